using System;
using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>
/// What a text weights file records besides the architecture and the parameters: how the inputs were standardised,
/// what the features are called, and what the outputs mean. A baked network applies the input standardisation itself,
/// so it takes raw features.
/// </summary>
public sealed record WeightsMetadata
{
    /// <summary>The input features' names, in input order (default <c>x0, x1, ...</c>).</summary>
    public IReadOnlyList<string>? FeatureNames { get; init; }

    /// <summary>The standardisation the network was trained behind (applied to raw rows before <see cref="IForwardNetwork.Forward"/>), or null.</summary>
    public Standardizer? InputStandardizer { get; init; }

    /// <summary>A classifier's class names in output order (default <c>0, 1, ...</c>); null for regression.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>A regression network's target name (default <c>target</c>); null for a classifier.</summary>
    public string? TargetName { get; init; }

    /// <summary>
    /// The target standardisation the trainer used (<see cref="TrainingOptions.StandardizeTargets"/>), recorded for the
    /// reader: the network itself predicts on the original scale, so nothing is applied to its output.
    /// </summary>
    public TargetScale? TargetScale { get; init; }
}

/// <summary>A network read from a text weights file: its architecture, parameters and metadata (defaults filled in).</summary>
/// <param name="Shape">The architecture.</param>
/// <param name="Parameters">The weights and biases, in the layout <see cref="NetworkShape"/> documents.</param>
/// <param name="Metadata">Feature names, input standardisation, class or target names.</param>
/// <param name="Sha256">The file's checksum (64 lowercase hexadecimal digits).</param>
public sealed record TrainedWeights(NetworkShape Shape, float[] Parameters, WeightsMetadata Metadata, string Sha256)
{
    /// <summary>A <see cref="ReferenceNetwork"/> holding these weights.</summary>
    public ReferenceNetwork CreateReferenceNetwork()
    {
        var network = new ReferenceNetwork(Shape, seed: 0);
        Parameters.CopyTo(network.Parameters);
        return network;
    }

    /// <summary>The features of one raw row as the network takes them: standardised when the metadata says so, else copied.</summary>
    /// <exception cref="ArgumentException">A span's length is not the network's input count.</exception>
    public void PrepareInput(ReadOnlySpan<float> raw, Span<float> input)
    {
        NetworkArguments.CheckLength(raw.Length, Shape.Inputs, nameof(raw));
        NetworkArguments.CheckLength(input.Length, Shape.Inputs, nameof(input));
        if (Metadata.InputStandardizer is Standardizer standardizer) standardizer.Apply(raw, input);
        else raw.CopyTo(input);
    }
}
