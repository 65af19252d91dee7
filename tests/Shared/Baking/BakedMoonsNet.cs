namespace HiddenSpace.Tests.Baking;

/// <summary>
/// The seed network with the weights BakedMoonsTests (the tool's tests) trains, baked at build time from the committed
/// moons.weights.json next to this file (an AdditionalFiles item of the projects that link it).
/// </summary>
[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy, Weights = "Baking/moons.weights.json")]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(2, Activation.Tanh, Tap = "Bottleneck")]
[Dense(1, Activation.Sigmoid)]
public partial class BakedMoonsNet
{
    /// <summary>The committed weights file this class is baked from.</summary>
    internal static string CommittedPath => System.IO.Path.Combine(Repository.Root(), "tests", "Shared", "Baking", "moons.weights.json");
}
