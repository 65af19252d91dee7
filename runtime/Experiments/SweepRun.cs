using System;
using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>One point of a sweep's grid: hidden layers, their activation, the bottleneck width and a seed, with the network they make.</summary>
/// <param name="Hidden">Widths of the hidden layers before the bottleneck.</param>
/// <param name="Activation">Activation of the hidden layers.</param>
/// <param name="Bottleneck">Units of the tapped bottleneck layer just before the output layer.</param>
/// <param name="Seed">Seeds the data, the initial weights and the shuffling, as <c>hiddenspace train --seed</c> does.</param>
/// <param name="Network">The architecture: the hidden layers, the bottleneck tap and the output layer the task needs.</param>
public sealed record SweepPoint(IReadOnlyList<int> Hidden, Activation Activation, int Bottleneck, int Seed, NetworkShape Network)
{
    /// <summary>The hidden widths as the tool's <c>--hidden</c> option writes them, e.g. "16,16".</summary>
    public string HiddenLabel => string.Join(",", Hidden);
}

/// <summary>The data and training options of one seed of a sweep.</summary>
/// <param name="Seed">The seed the points of this data carry.</param>
/// <param name="Train">Training split.</param>
/// <param name="Test">Test split; the figures are measured on it (and on the training split).</param>
/// <param name="Options">How every network of this seed is trained (the sweep sets <see cref="TrainingOptions.Workers"/> to 1).</param>
public sealed record SweepData(int Seed, Dataset Train, Dataset Test, TrainingOptions Options);

/// <summary>
/// How close one representation comes to linearly separable, as one count: for two classes the fewest points a line
/// (hyperplane) leaves on the wrong side, for more the count of the worst pair of classes (0 when every pair is
/// separable), as <see cref="HiddenSpaceClaim.Verdict(SeparabilityReport)"/> words it.
/// </summary>
/// <param name="Separable">The report's overall verdict (for more than two classes: every class separable from the rest); null when not applicable.</param>
/// <param name="Wrong">The points left on the wrong side; null when not applicable.</param>
/// <param name="Rows">The points the count is out of.</param>
/// <param name="Exact">Whether <see cref="Wrong"/> is the exact minimum rather than the best found (above 2 dimensions).</param>
/// <param name="Verdict">The verdict in words, e.g. "separable except 1 of 300 (0.3 %)".</param>
public sealed record SeparabilityCount(bool? Separable, int? Wrong, int Rows, bool Exact, string Verdict)
{
    /// <summary><see cref="Wrong"/> / <see cref="Rows"/>, NaN when not applicable.</summary>
    public double WrongShare => Wrong is int wrong && Rows > 0 ? (double)wrong / Rows : double.NaN;

    /// <summary>The count of <paramref name="report"/>.</summary>
    public static SeparabilityCount Of(SeparabilityReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        string verdict = HiddenSpaceClaim.Verdict(report);
        if (report.Separable is null) return new SeparabilityCount(null, null, report.Count, true, verdict);
        SeparabilityEntry? entry = report.ClassCount == 2 ? report.Pairs[0] : HiddenSpaceClaim.Worst(report);
        return entry is null
            ? new SeparabilityCount(report.Separable, 0, report.Count, true, verdict)
            : new SeparabilityCount(report.Separable, entry.FewestWrong, entry.Rows, entry.FewestWrongIsExact, verdict);
    }
}

/// <summary>
/// One finished run of a sweep: the same figures <c>hiddenspace train</c> reports for these settings (network
/// accuracy or R², and <see cref="HiddenSpaceAnalysis.Measure(string, Dataset, Dataset)"/> on the raw input and the bottleneck).
/// </summary>
/// <param name="Point">The grid point.</param>
/// <param name="Outcome">Completed, or Diverged (the figures are then of the last finite weights).</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="TrainAccuracy">Network accuracy on the training split (NaN for regression).</param>
/// <param name="TestAccuracy">Network accuracy on the test split (NaN for regression).</param>
/// <param name="TrainRSquared">Network R² on the training split (NaN for classification).</param>
/// <param name="TestRSquared">Network R² on the test split (NaN for classification).</param>
/// <param name="Input">Figures of the raw input (the same for every run of a seed).</param>
/// <param name="Bottleneck">Figures of the bottleneck tap.</param>
/// <param name="Elapsed">Training and measuring time of this run (not part of the results: it depends on the machine and the parallelism).</param>
public sealed record SweepRun(SweepPoint Point, TrainingOutcome Outcome, int Epochs, double TrainAccuracy, double TestAccuracy,
    double TrainRSquared, double TestRSquared, LayerFigures Input, LayerFigures Bottleneck, TimeSpan Elapsed)
{
    /// <summary>How close the bottleneck is to separable on the test split; null for regression.</summary>
    public SeparabilityCount? BottleneckTest => Bottleneck.Separability is { } report ? SeparabilityCount.Of(report) : null;

    /// <summary>How close the bottleneck is to separable on the training split; null for regression.</summary>
    public SeparabilityCount? BottleneckTrain => Bottleneck.TrainSeparability is { } report ? SeparabilityCount.Of(report) : null;

    /// <summary>How close the raw input is to separable on the test split; null for regression.</summary>
    public SeparabilityCount? InputTest => Input.Separability is { } report ? SeparabilityCount.Of(report) : null;
}

/// <summary>What <see cref="Sweep.Run"/> did.</summary>
/// <param name="Task">Classification or regression.</param>
/// <param name="Planned">Runs in the grid.</param>
/// <param name="Runs">The finished runs, in grid order (all of them unless the sweep was cancelled).</param>
/// <param name="Parallelism">Runs that were trained at the same time.</param>
/// <param name="Elapsed">Wall time of the sweep (training and measuring).</param>
public sealed record SweepResult(TaskKind Task, int Planned, IReadOnlyList<SweepRun> Runs, int Parallelism, TimeSpan Elapsed)
{
    /// <summary>Whether runs are missing because the sweep was cancelled.</summary>
    public bool Cancelled => Runs.Count < Planned;
}
