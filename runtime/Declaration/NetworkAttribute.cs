using System;

namespace HiddenSpace;

/// <summary>
/// Declares a feed-forward network on a <c>partial class</c>. The layers are the class's
/// <see cref="DenseAttribute"/>s in source order; the HiddenSpace.Gen source generator writes the
/// forward and backward code into the other half of the partial class.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>
    /// Layers with more weights than this are written as loops under <see cref="Unrolling.Auto"/>. Measured on
    /// .NET 10: up to 512 weights a layer, the JIT removes every bounds check from the unrolled code; at 1,024
    /// it keeps some, and one method holding 2,048 multiply-adds is compiled unoptimised (MinOpts).
    /// </summary>
    public const int DefaultUnrollLimit = 512;

    /// <summary>Number of input features. Must be at least 1.</summary>
    public int Inputs { get; set; }

    /// <summary>The loss the training methods minimise.</summary>
    public Loss Loss { get; set; }

    /// <summary>Whether layers are unrolled or looped; see <see cref="DefaultUnrollLimit"/>.</summary>
    public Unrolling Unrolling { get; set; }

    /// <summary>
    /// A text weights file (<see cref="WeightsFile.SaveText"/>, or <c>weights.json</c> from <c>hiddenspace train</c>) listed in
    /// the project's <c>AdditionalFiles</c>. When set, the network is generated inference-only: its weights are constants in
    /// the code, it applies the file's input standardisation itself, and it has <c>Forward</c>, <c>ForwardBatch</c>, taps
    /// and <c>Predict</c> but no gradients (it implements <see cref="IForwardNetwork"/>). Matched against the end of the
    /// additional files' paths, so <c>"moons.weights.json"</c> finds <c>data/moons.weights.json</c>.
    /// </summary>
    public string? Weights { get; set; }
}

/// <summary>A fully connected layer: a = f(W·x + b), W of shape [units × inputs of this layer].</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <summary>A layer of <paramref name="units"/> neurons with activation <paramref name="activation"/>.</summary>
    public DenseAttribute(int units, Activation activation = Activation.Linear)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>Number of neurons (outputs) of the layer.</summary>
    public int Units { get; }

    /// <summary>The activation applied to the layer's pre-activations.</summary>
    public Activation Activation { get; }

    /// <summary>
    /// When set, the layer's activations after each forward pass are exposed under this name: as a
    /// generated property of that name and through <see cref="IForwardNetwork.TapActivations(int)"/>.
    /// Must be a valid C# identifier.
    /// </summary>
    public string? Tap { get; set; }
}
