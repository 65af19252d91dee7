using System;

namespace HiddenSpace;

/// <summary>Settings of <see cref="BottleneckExperiment"/> beyond training.</summary>
/// <param name="MaxFrames">The most snapshots to take, at least 2 (the first and last epoch are always among them).</param>
/// <param name="GridResolution">Cells per side of the input-plane prediction grid in each snapshot, 2..<see cref="DecisionRegionSvg.MaxResolution"/>.</param>
/// <param name="InputStandardizer">How the features were standardised before training, recorded in summary.json; null when they were not.</param>
/// <param name="Engine">What runs the network (e.g. "generated" or "reference"), recorded in summary.json; null to leave it out.</param>
public sealed record ExperimentSettings(int MaxFrames = FrameSchedule.DefaultMaxFrames, int GridResolution = 48, Standardizer? InputStandardizer = null,
    string? Engine = null)
{
    /// <summary>Points drawn in the plots and the report by default.</summary>
    public const int DefaultMaxPlotPoints = 5_000;

    /// <summary>
    /// The most points the plots and the report draw: with more rows, a stratified sample (train and test in
    /// proportion, each class in proportion, the same rows every run), and the figures say so.
    /// </summary>
    public int MaxPlotPoints { get; init; } = DefaultMaxPlotPoints;

    /// <summary>The work the analysis may do per representation.</summary>
    public AnalysisBudget Analysis { get; init; } = new();

    /// <summary>
    /// Rows of the source left out before the run (a CSV file's rows with a missing value,
    /// <see cref="CsvLoadOptions.SkipRowsWithMissingValues"/>), recorded in summary.json's "rows"; a streamed file's run
    /// takes its <see cref="CsvDataStream.SkippedRows"/>.
    /// </summary>
    public long SkippedRows { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (MaxFrames < 2) throw new ArgumentOutOfRangeException(nameof(MaxFrames), MaxFrames, "At least 2 frames (first and last epoch).");
        if (GridResolution < 2 || GridResolution > DecisionRegionSvg.MaxResolution)
            throw new ArgumentOutOfRangeException(nameof(GridResolution), GridResolution, $"The grid resolution must be in 2..{DecisionRegionSvg.MaxResolution}.");
        if (MaxPlotPoints < 2) throw new ArgumentOutOfRangeException(nameof(MaxPlotPoints), MaxPlotPoints, "The plots need at least 2 points.");
        ArgumentOutOfRangeException.ThrowIfNegative(SkippedRows);
        ArgumentNullException.ThrowIfNull(Analysis);
        Analysis.Validate();
    }
}
