using System;
using System.Collections.Generic;

namespace HiddenSpace.Cli;

/// <summary>What <c>--task</c> asks for.</summary>
internal enum TaskChoice
{
    /// <summary>Class labels (the default for every set except sineridge).</summary>
    Classify,
    /// <summary>A real-valued target.</summary>
    Regress,
}

/// <summary>What <c>--engine</c> asks for.</summary>
internal enum EngineChoice
{
    /// <summary>The generator's code for the architecture, compiled at run time and cached (the default).</summary>
    Generated,
    /// <summary>The runtime's ReferenceNetwork: plain loops, no compilation.</summary>
    Reference,
}

/// <summary>The parsed options of <c>hiddenspace train</c>.</summary>
internal sealed record TrainArguments(
    string Data,
    string Label,
    TaskChoice? Task,
    IReadOnlyList<int> Hidden,
    int Bottleneck,
    Activation Activation,
    int Epochs,
    int Batch,
    double LearningRate,
    OptimizerKind Optimizer,
    int Seed,
    int Classes,
    double? Noise,
    int Points,
    string? Out)
{
    /// <summary>Activation of the tapped bottleneck layer (<c>--bottleneck-activation</c>).</summary>
    public Activation BottleneckActivation { get; init; } = Activation.Linear;

    /// <summary>L1 and L2 penalties (<c>--l1</c>, <c>--l2</c>).</summary>
    public (double L1, double L2) Penalties { get; init; }

    /// <summary>The learning-rate schedule (<c>--schedule</c>, <c>--warmup</c>, <c>--step-epochs</c>, <c>--step-factor</c>); null for a constant rate.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Early stopping (<c>--early-stopping</c>, <c>--validation</c>, <c>--patience</c>); null when off.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>Class weights (<c>--class-weights</c>): "balanced", comma-separated numbers, or null for none.</summary>
    public string? ClassWeights { get; init; }

    /// <summary>What runs the network (<c>--engine</c>).</summary>
    public EngineChoice Engine { get; init; } = EngineChoice.Generated;

    /// <summary>The folder of compiled networks (<c>--cache</c>); null for the compiler's default.</summary>
    public string? Cache { get; init; }

    /// <summary>CSV: rows the shuffle buffer holds (<c>--shuffle-buffer</c>); null for the default (256 MB of rows).</summary>
    public int? ShuffleBuffer { get; init; }

    /// <summary>CSV: columns that are not features (<c>--ignore</c>); null for none.</summary>
    public IReadOnlyList<string>? Ignore { get; init; }

    /// <summary>CSV: leave out rows with a missing value (<c>--missing skip</c>) instead of stopping at the first.</summary>
    public bool SkipMissing { get; init; }

    /// <summary>Share of each class's rows (of all rows for regression) held out for testing (<c>--test-fraction</c>).</summary>
    public double TestFraction { get; init; } = DataSource.DefaultTestFraction;
}

/// <summary>A problem with the user's request, reported as one line on stderr (exit code 2).</summary>
internal sealed class CliException(string message) : Exception(message);

/// <summary>The run was cancelled before it had anything to write (exit code 130).</summary>
internal sealed class CancelledException(string message) : Exception(message);
