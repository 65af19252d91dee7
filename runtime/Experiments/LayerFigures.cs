using System;
using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>How linearly usable one representation (the raw input or a tapped layer) is.</summary>
/// <param name="Name">"input" for the raw input, else the tap's name.</param>
/// <param name="Width">Values per row in this representation.</param>
/// <param name="ProbeAccuracy">Classification: test accuracy of a <see cref="LinearProbe"/> fitted on the train split; null for regression.</param>
/// <param name="RSquared">Regression: test R² of a <see cref="LinearFit"/> fitted on the train split; null for classification.</param>
/// <param name="Separability">Classification: the verdict on the test split, with the fewest points a line leaves on the wrong side; null for regression.</param>
/// <param name="TrainSeparability">Classification: the same on the train split; null for regression.</param>
public sealed record LayerFigures(string Name, int Width, double? ProbeAccuracy, double? RSquared, SeparabilityReport? Separability,
    SeparabilityReport? TrainSeparability)
{
    /// <summary>
    /// The smallest normalised margin over the one-vs-rest entries when every class is separable from the
    /// rest (how much room the worst-placed class has), else null.
    /// </summary>
    public double? WorstNormalizedMargin => Separability is null ? null : WorstMargin(Separability);

    internal static double? WorstMargin(SeparabilityReport report)
    {
        if (report.Separable != true) return null;
        double? worst = null;
        foreach (SeparabilityEntry entry in report.OneVsRest)
            if (entry.NormalizedMargin is double margin)
                worst = worst is double w ? Math.Min(w, margin) : margin;
        return worst;
    }
}

/// <summary>
/// Measures the raw input and every tap of a trained network: the question the project asks is how much
/// more linear each layer made the data.
/// </summary>
public static class HiddenSpaceAnalysis
{
    /// <summary>Figures for "input" and then every tap of <paramref name="network"/>, in tap order.</summary>
    /// <exception cref="ArgumentException">The data sets do not fit the network or each other.</exception>
    public static IReadOnlyList<LayerFigures> Measure(INetwork network, Dataset train, Dataset test)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        var figures = new List<LayerFigures> { Measure("input", train, test) };
        for (int t = 0; t < network.Shape.Taps.Count; t++)
            figures.Add(Measure(network.Shape.Taps[t].Name, TapRecorder.AsDataset(network, train, t), TapRecorder.AsDataset(network, test, t)));
        return figures.AsReadOnly();
    }

    /// <summary>Figures for one representation, fitted on <paramref name="train"/> and judged on <paramref name="test"/>.</summary>
    public static LayerFigures Measure(string name, Dataset train, Dataset test)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        return train.Task == TaskKind.Classification
            ? new LayerFigures(name, train.FeatureCount, LinearProbe.Score(train, test), null, Separability.Analyze(test), Separability.Analyze(train))
            : new LayerFigures(name, train.FeatureCount, null, LinearFit.Score(train, test), null, null);
    }
}
