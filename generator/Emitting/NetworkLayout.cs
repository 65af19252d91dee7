using System.Collections.Generic;
using System.Linq;
using HiddenSpace.Gen.Model;

namespace HiddenSpace.Gen.Emitting;

/// <summary>Where one layer's parameters and activations live.</summary>
/// <param name="Number">1-based layer number.</param>
/// <param name="FanIn">Inputs to the layer.</param>
/// <param name="Weights">Offset of W [units × fanIn] in the parameter (and gradient) vector.</param>
/// <param name="Bias">Offset of b [units].</param>
/// <param name="Input">Offset in scratch of the layer's input (the network input or the previous activations).</param>
/// <param name="PreActivation">Offset in scratch of z [units].</param>
/// <param name="Activation">Offset in scratch of a [units] (equal to <paramref name="PreActivation"/> for Linear layers).</param>
/// <param name="Delta">Offset in scratch of d [units]: dLoss/da, turned into dLoss/dz in place by the backward pass.</param>
/// <param name="InputDelta">Offset of the previous layer's d, or -1 for the first layer.</param>
internal sealed record LayerLayout(LayerSpec Spec, int Number, int FanIn, int Weights, int Bias, int Input, int PreActivation, int Activation, int Delta, int InputDelta);

/// <summary>
/// Offsets of every buffer, derived from the spec. Parameters: per layer W then b (the runtime's
/// NetworkShape layout). Scratch: x, then per layer z, a (unless Linear), d.
/// </summary>
internal sealed class NetworkLayout
{
    public NetworkLayout(NetworkSpec spec)
    {
        var layers = new List<LayerLayout>();
        int parameter = 0, scratch = spec.Inputs, input = 0, fanIn = spec.Inputs, inputDelta = -1;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            int weights = parameter, bias = parameter + layer.Units * fanIn;
            parameter = bias + layer.Units;
            int z = scratch;
            int a = ActivationFacts.Of(layer.Activation).IsIdentity ? z : z + layer.Units;
            int d = a + layer.Units;
            scratch = d + layer.Units;
            layers.Add(new LayerLayout(layer, i + 1, fanIn, weights, bias, input, z, a, d, inputDelta));
            input = a;
            inputDelta = d;
            fanIn = layer.Units;
        }
        Layers = layers;
        Tapped = [.. layers.Where(l => l.Spec.Tap is not null)];
        ParameterCount = parameter;
        ScratchLength = scratch;
    }

    public IReadOnlyList<LayerLayout> Layers { get; }

    public LayerLayout Output => Layers[Layers.Count - 1];

    /// <summary>The layers with a tap, in the order of their tap index.</summary>
    public IReadOnlyList<LayerLayout> Tapped { get; }

    public int ParameterCount { get; }

    public int ScratchLength { get; }
}
