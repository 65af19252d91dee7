using HiddenSpace;

namespace HiddenSpace.Cli;

// The networks compiled into the tool: the default architecture (--hidden 16,16 --bottleneck 2 --activation tanh)
// for each kind of built-in data set. Any other architecture runs on the runtime's ReferenceNetwork.

/// <summary>Binary classification (moons, circles, xor, spiral): logistic regression on the 2-unit bottleneck.</summary>
[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(2, Activation.Tanh, Tap = "Bottleneck")]
[Dense(1, Activation.Sigmoid)]
public sealed partial class BinaryNet { }

/// <summary>Blobs with 3 classes: softmax regression on the 2-unit bottleneck.</summary>
[Network(Inputs = 2, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(2, Activation.Tanh, Tap = "Bottleneck")]
[Dense(3, Activation.Softmax)]
public sealed partial class Blobs3Net { }

/// <summary>Blobs with 4 classes.</summary>
[Network(Inputs = 2, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(2, Activation.Tanh, Tap = "Bottleneck")]
[Dense(4, Activation.Softmax)]
public sealed partial class Blobs4Net { }

/// <summary>Blobs with 5 classes.</summary>
[Network(Inputs = 2, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(2, Activation.Tanh, Tap = "Bottleneck")]
[Dense(5, Activation.Softmax)]
public sealed partial class Blobs5Net { }

/// <summary>Regression (sineridge): a linear output on the 2-unit bottleneck.</summary>
[Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(2, Activation.Tanh, Tap = "Bottleneck")]
[Dense(1, Activation.Linear)]
public sealed partial class RegressionNet { }
