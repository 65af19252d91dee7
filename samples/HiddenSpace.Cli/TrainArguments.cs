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
    string? Out,
    int? ShuffleBuffer = null);

/// <summary>A problem with the user's request, reported as one line on stderr (exit code 2).</summary>
internal sealed class CliException(string message) : Exception(message);
