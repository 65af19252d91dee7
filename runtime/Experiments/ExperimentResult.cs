using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>What <see cref="BottleneckExperiment"/> found and wrote.</summary>
/// <param name="Dataset">Name of the data set.</param>
/// <param name="Network">The architecture.</param>
/// <param name="History">Per-epoch figures and how training ended.</param>
/// <param name="TrainAccuracy">Accuracy on the training split after training (NaN for regression).</param>
/// <param name="TestAccuracy">Accuracy on the test split after training (NaN for regression).</param>
/// <param name="ProbeAccuracy">Linear-probe test accuracy: "input" for the raw inputs, then one entry per tap (empty for regression).</param>
/// <param name="FilesWritten">Full paths of the files written, in order.</param>
public sealed record ExperimentResult(
    string Dataset,
    NetworkShape Network,
    TrainingHistory History,
    double TrainAccuracy,
    double TestAccuracy,
    IReadOnlyList<KeyValuePair<string, double>> ProbeAccuracy,
    IReadOnlyList<string> FilesWritten)
{
    /// <summary>Classification or regression.</summary>
    public TaskKind Task { get; init; }

    /// <summary>The classes' names in class order when the data named them (a CSV label column of names); null otherwise.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>R² of the network on the training split (NaN for classification).</summary>
    public double TrainRSquared { get; init; } = double.NaN;

    /// <summary>R² of the network on the test split (NaN for classification).</summary>
    public double TestRSquared { get; init; } = double.NaN;

    /// <summary>Probe or linear-fit figures and separability verdicts: "input", then one entry per tap.</summary>
    public IReadOnlyList<LayerFigures> Layers { get; init; } = [];

    /// <summary>The run's answer to the project's claim, one sentence over <see cref="Layers"/> on the test split (<see cref="HiddenSpaceClaim"/>).</summary>
    public string Claim => HiddenSpaceClaim.Sentence(Layers);

    /// <summary>Snapshots taken during training (what report.html plays).</summary>
    public IReadOnlyList<TrainingFrame> Frames { get; init; } = [];

    /// <summary>The training options of the run (recorded in summary.json).</summary>
    public TrainingOptions? Options { get; init; }

    /// <summary>Rows in the train split.</summary>
    public long TrainRows { get; init; }

    /// <summary>Rows in the test split.</summary>
    public long TestRows { get; init; }

    /// <summary>Train and test rows the figures (accuracy, R², probes and verdicts before their own budget) were measured on.</summary>
    public (int Train, int Test) MeasuredRows { get; init; }

    /// <summary>Points drawn in the plots and the report (all rows, or a stratified sample of them).</summary>
    public int PlottedPoints { get; init; }
}
