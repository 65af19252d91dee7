using System;

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
