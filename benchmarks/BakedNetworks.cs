using HiddenSpace;

namespace HiddenSpace.Benchmarks;

/// <summary>
/// The seed network (<see cref="SeedNet"/>'s architecture) baked from the trained weights file the tests commit
/// (linked into this project as an AdditionalFiles item and copied next to the benchmarks, so the parameterised
/// networks can load the same weights).
/// </summary>
[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy, Weights = "moons.weights.json")]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(2, Activation.Tanh, Tap = "Bottleneck")]
[Dense(1, Activation.Sigmoid)]
public partial class BakedSeedNet { }
