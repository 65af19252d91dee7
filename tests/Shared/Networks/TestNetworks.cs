namespace HiddenSpace.Tests.Generated;

// Networks declared the way users declare them: generated at build time by the analyzer reference.

[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(2, Activation.Tanh, Tap = "Bottleneck")]
[Dense(1, Activation.Sigmoid)]
public partial class SeedNet { }

/// <summary>784-128-10: both layers exceed the unroll limit, so the generator writes kernel loops.</summary>
[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(128, Activation.ReLU, Tap = "Hidden")]
[Dense(10, Activation.Softmax)]
public partial class DigitsNet { }

/// <summary>Unrolled and looped layers side by side, a linear hidden layer and a regression head.</summary>
[Network(Inputs = 40, Loss = Loss.MeanSquaredError)]
[Dense(20, Activation.GELU)]      // 800 weights: loops
[Dense(8, Activation.Linear, Tap = "Linear")]
[Dense(3, Activation.ELU, Tap = "Last")]
[Dense(2, Activation.Tanh)]
public partial class MixedNet { }

/// <summary>
/// The tool's default network on a 30-column table: a first layer whose fan-in is not whole vectors (16 + 14 at
/// 16 lanes, its last vector of weight gradients masked; 8 lanes keep per-lane copies).
/// </summary>
[Network(Inputs = 30, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(2, Activation.Linear, Tap = "Bottleneck")]
[Dense(3, Activation.Softmax)]
public partial class TableNet { }

/// <summary>
/// Lane-form fan-ins either side of the generator's loop threshold (8): 7 inputs written out, 9 and 8 as loops; the
/// 9-input layer's weight gradients stay per lane (9 of 16 lanes is under the outer products' 5/8), so its backward
/// method loops twice (dW over its 9 inputs, d1 over its 8 units).
/// </summary>
[Network(Inputs = 7, Loss = Loss.BinaryCrossEntropy)]
[Dense(9, Activation.Tanh)]
[Dense(8, Activation.ReLU, Tap = "Hidden")]
[Dense(1, Activation.Sigmoid)]
public partial class ThresholdNet { }

public static partial class Outer
{
    /// <summary>A network nested in a static class.</summary>
    [Network(Inputs = 3, Loss = Loss.SoftmaxCrossEntropy, Unrolling = Unrolling.Never)]
    [Dense(4, Activation.LeakyReLU)]
    [Dense(3, Activation.Softmax)]
    internal partial class NestedNet { }
}
