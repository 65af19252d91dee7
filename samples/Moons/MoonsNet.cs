using HiddenSpace;

namespace HiddenSpace.Samples.Moons;

/// <summary>The seed's network: two tanh layers, a 2-unit tanh bottleneck, and a logistic-regression output.</summary>
[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(2, Activation.Tanh, Tap = "Bottleneck")]   // the 2-unit layer just before the output
[Dense(1, Activation.Sigmoid)]                    // output layer: linear + sigmoid = logistic regression
public partial class MoonsNet { }
