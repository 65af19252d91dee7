using HiddenSpace;

namespace HiddenSpace.Benchmarks;

// The benchmarked architectures, declared for the generator. NetworkCase checks at setup that each
// generated Architecture equals the run-time shape in HiddenSpace.Baselines.BenchmarkShapes.

/// <summary>2-16-16-2-1, the seed network: tanh layers, a 2-unit tanh bottleneck, sigmoid + BCE.</summary>
[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(2, Activation.Tanh, Tap = "Bottleneck")]
[Dense(1, Activation.Sigmoid)]
public partial class SeedNet { }

/// <summary>8-64-64-2-4: ReLU layers, a 2-unit ReLU bottleneck, softmax over 4 classes.</summary>
[Network(Inputs = 8, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(64, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(2, Activation.ReLU, Tap = "Bottleneck")]
[Dense(4, Activation.Softmax)]
public partial class MidNet { }

/// <summary>13-16-16-2-3: a table's 13 features, tanh layers, a 2-unit tanh bottleneck, softmax over 3 classes.</summary>
[Network(Inputs = 13, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(2, Activation.Tanh, Tap = "Bottleneck")]
[Dense(3, Activation.Softmax)]
public partial class TabularNet { }

/// <summary>30-16-16-2-1: the tool's default network for a 30-feature table, ReLU layers, a 2-unit linear bottleneck, sigmoid + BCE.</summary>
[Network(Inputs = 30, Loss = Loss.BinaryCrossEntropy)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(2, Activation.Linear, Tap = "Bottleneck")]
[Dense(1, Activation.Sigmoid)]
public partial class Table30Net { }

/// <summary>784-128-64-10, MNIST-sized; the layers are above the unroll limit, so the generator writes loops.</summary>
[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(128, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class LargeNet { }
