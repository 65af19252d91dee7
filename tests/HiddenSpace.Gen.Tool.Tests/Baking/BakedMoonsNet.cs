namespace HiddenSpace.Tests.Baking;

/// <summary>
/// The seed network with the weights <see cref="BakedMoonsTests"/> trains, baked at build time from the committed
/// moons.weights.json (an AdditionalFiles item of this project).
/// </summary>
[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy, Weights = "Baking/moons.weights.json")]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(2, Activation.Tanh, Tap = "Bottleneck")]
[Dense(1, Activation.Sigmoid)]
public partial class BakedMoonsNet { }
