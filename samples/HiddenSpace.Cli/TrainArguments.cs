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
    string? Out,
    EngineChoice Engine = EngineChoice.Generated,
    string? Cache = null);

/// <summary>A problem with the user's request, reported as one line on stderr (exit code 2).</summary>
internal sealed class CliException(string message) : Exception(message);

/// <summary>The run was cancelled before it had anything to write (exit code 130).</summary>
internal sealed class CancelledException(string message) : Exception(message);
