using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using HiddenSpace.Shapes;

namespace HiddenSpace;

/// <summary>One dense layer of a <see cref="NetworkShape"/>.</summary>
/// <param name="Units">Number of neurons.</param>
/// <param name="Activation">Activation function.</param>
/// <param name="Tap">Tap name, or null when the layer is not tapped.</param>
public sealed record LayerShape(int Units, Activation Activation, string? Tap = null);

/// <summary>A tapped layer: its name, its layer index (0-based) and its width.</summary>
public sealed record TapInfo(string Name, int LayerIndex, int Width);

/// <summary>
/// The architecture of a network, known at build time (generated networks expose it as
/// <see cref="IForwardNetwork.Shape"/>) or at run time (it builds a ReferenceNetwork).
/// Parameter layout, shared by every implementation: for each layer in order, the weights W
/// [units × fan-in] row-major, then the biases b [units].
/// </summary>
public sealed class NetworkShape : IEquatable<NetworkShape>
{
    private readonly LayerShape[] _layers;
    private readonly int[] _weightOffsets;
    private readonly TapInfo[] _taps;

    /// <summary>Validates and describes an architecture.</summary>
    /// <exception cref="ArgumentException">An argument does not describe a valid network; the message says which and why.</exception>
    public NetworkShape(int inputs, Loss loss, params LayerShape[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (!ShapeRules.IsValidCount(inputs))
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "A network needs at least one input.");
        if (!Enum.IsDefined(loss))
            throw new ArgumentOutOfRangeException(nameof(loss), loss, "Not a defined Loss value.");
        if (layers.Length == 0)
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));

        _layers = (LayerShape[])layers.Clone();
        _weightOffsets = new int[layers.Length];
        var taps = new List<TapInfo>();
        var tapNames = new HashSet<string>(StringComparer.Ordinal);
        long offset = 0;
        int fanIn = inputs;
        for (int l = 0; l < _layers.Length; l++)
        {
            LayerShape layer = _layers[l] ?? throw new ArgumentException($"Layer {l} is null.", nameof(layers));
            if (!ShapeRules.IsValidCount(layer.Units))
                throw new ArgumentException($"Layer {l} has {layer.Units} units; it needs at least 1.", nameof(layers));
            if (!Enum.IsDefined(layer.Activation))
                throw new ArgumentException($"Layer {l} has activation {(int)layer.Activation}, which is not a defined Activation value.", nameof(layers));
            if (ShapeRules.IsMisplacedSoftmax((int)layer.Activation, l, _layers.Length))
                throw new ArgumentException($"Layer {l} uses Softmax, which is allowed on the output layer only.", nameof(layers));
            if (layer.Tap is not null)
            {
                if (!ShapeRules.IsIdentifier(layer.Tap))
                    throw new ArgumentException($"Layer {l} has tap name \"{layer.Tap}\", which is not a C# identifier (a letter or '_', then letters, digits and '_'; not a keyword).", nameof(layers));
                if (!tapNames.Add(layer.Tap))
                    throw new ArgumentException($"Tap name \"{layer.Tap}\" is used by more than one layer.", nameof(layers));
                taps.Add(new TapInfo(layer.Tap, l, layer.Units));
            }
            _weightOffsets[l] = (int)offset; // at most Array.MaxLength, checked below for the layers before
            // In long: 65,536 × 65,536 weights alone overflow an int.
            offset += ShapeRules.LayerParameters(layer.Units, fanIn);
            if (offset > ShapeRules.MaxArrayLength)
                throw new ArgumentException(
                    $"Layers 0..{l} already have {offset} parameters, more than one array holds ({ShapeRules.MaxArrayLength}); make the layers narrower.", nameof(layers));
            fanIn = layer.Units;
        }

        LayerShape output = _layers[^1];
        if (ShapeRules.LossNeeds((int)loss, (int)output.Activation, output.Units) is { } needs)
            throw new ArgumentException($"{loss} needs {needs}, not {ShapeRules.DescribeOutput(output.Activation.ToString(), output.Units)}.", nameof(loss));

        Inputs = inputs;
        Loss = loss;
        ParameterCount = (int)offset;
        _taps = taps.ToArray();
    }

    /// <summary>Number of input features.</summary>
    public int Inputs { get; }

    /// <summary>Number of outputs (units of the last layer).</summary>
    public int Outputs => _layers[^1].Units;

    /// <summary>The loss minimised in training.</summary>
    public Loss Loss { get; }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<LayerShape> Layers => _layers;

    /// <summary>The tapped layers, in layer order. <see cref="IForwardNetwork.TapActivations(int)"/> takes an index into this list.</summary>
    public IReadOnlyList<TapInfo> Taps => _taps;

    /// <summary>Total number of weights and biases.</summary>
    public int ParameterCount { get; }

    /// <summary>Number of inputs to layer <paramref name="layer"/>.</summary>
    public int FanIn(int layer) => layer == 0 ? Inputs : _layers[layer - 1].Units;

    /// <summary>Offset of layer <paramref name="layer"/>'s weights in the parameter vector.</summary>
    public int WeightOffset(int layer) => _weightOffsets[layer];

    /// <summary>Offset of layer <paramref name="layer"/>'s biases in the parameter vector.</summary>
    public int BiasOffset(int layer) => _weightOffsets[layer] + _layers[layer].Units * FanIn(layer);

    /// <summary>Index of the tap named <paramref name="name"/>, or -1.</summary>
    public int TapIndex(string name) => Array.FindIndex(_taps, t => t.Name == name);

    /// <summary>"2-16-16-2-1" style summary of the widths.</summary>
    public string Widths()
    {
        var sb = new StringBuilder().Append(Inputs.ToString(CultureInfo.InvariantCulture));
        foreach (LayerShape layer in _layers)
            sb.Append('-').Append(layer.Units.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>
    /// A stable text fingerprint of the architecture (inputs, loss, every layer's units, activation and tap);
    /// two shapes are equal exactly when their fingerprints are.
    /// </summary>
    public string Fingerprint() =>
        HiddenSpace.Weights.WeightsText.Fingerprint(Inputs, Loss.ToString(), _layers.Select(l => (l.Units, l.Activation.ToString(), l.Tap)));

    /// <summary>The C# declaration that makes the generator emit this architecture as class <paramref name="className"/>.</summary>
    public string ToDeclaration(string className)
    {
        var sb = new StringBuilder();
        sb.Append("[Network(Inputs = ").Append(Inputs.ToString(CultureInfo.InvariantCulture)).Append(", Loss = Loss.").Append(Loss).Append(")]\n");
        foreach (LayerShape layer in _layers)
        {
            sb.Append("[Dense(").Append(layer.Units.ToString(CultureInfo.InvariantCulture)).Append(", Activation.").Append(layer.Activation);
            if (layer.Tap is not null) sb.Append(", Tap = \"").Append(layer.Tap).Append('"');
            sb.Append(")]\n");
        }
        sb.Append("public partial class ").Append(className).Append(" { }\n");
        return sb.ToString();
    }

    /// <inheritdoc/>
    public bool Equals(NetworkShape? other) => other is not null && Fingerprint() == other.Fingerprint();

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as NetworkShape);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Fingerprint());

    /// <inheritdoc/>
    public override string ToString() => $"{Widths()} ({Loss})";
}
