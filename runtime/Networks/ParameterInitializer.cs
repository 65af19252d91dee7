using System;

namespace HiddenSpace;

/// <summary>
/// Deterministic weight initialisation shared by generated and reference networks, so that the same
/// seed gives the same starting point whichever implementation runs.
/// Weights are uniform in ±√(6 / fan) with fan = fan-in + fan-out (Glorot/Xavier) for tanh, sigmoid,
/// softmax and linear layers, and fan = fan-in (He, √2 gain) for the ReLU family (ReLU, LeakyReLU, ELU,
/// GELU, Softplus). Biases start at zero.
/// </summary>
public static class ParameterInitializer
{
    /// <summary>Fills <paramref name="parameters"/> for <paramref name="shape"/> from <paramref name="seed"/>.</summary>
    public static void Initialize(NetworkShape shape, Span<float> parameters, int seed)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (parameters.Length != shape.ParameterCount)
            throw new ArgumentException($"Expected {shape.ParameterCount} parameters but the span holds {parameters.Length}.", nameof(parameters));

        var random = new SeededRandom(seed);
        for (int l = 0; l < shape.Layers.Count; l++)
        {
            LayerShape layer = shape.Layers[l];
            int fanIn = shape.FanIn(l);
            double limit = IsReluFamily(layer.Activation)
                ? Math.Sqrt(6.0 / fanIn)
                : Math.Sqrt(6.0 / (fanIn + layer.Units));
            Span<float> weights = parameters.Slice(shape.WeightOffset(l), layer.Units * fanIn);
            for (int i = 0; i < weights.Length; i++)
                weights[i] = (float)random.NextDouble(-limit, limit);
            parameters.Slice(shape.BiasOffset(l), layer.Units).Clear();
        }
    }

    private static bool IsReluFamily(Activation activation) => activation is
        Activation.ReLU or Activation.LeakyReLU or Activation.ELU or Activation.GELU or Activation.Softplus;
}
