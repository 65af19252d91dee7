using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace HiddenSpace.Cli;

/// <summary>
/// Every check that can fail a run, made before any work (before the data is read or generated, before training):
/// the option combinations, the output folder, and sizes — layer widths whose parameter count overflows an array
/// or does not fit in memory, built-in sets too large to generate in memory. A failure is a <see cref="CliException"/>
/// (exit code 2) naming the option, and nothing is left behind.
/// </summary>
internal static class Preflight
{
    /// <summary>Bytes a built-in set takes per point while it is generated, split and trained on (measured: about 60).</summary>
    public const long BytesPerBuiltInPoint = 80;

    /// <summary>Share of the memory .NET may use that a run may plan to take.</summary>
    private const double UsableMemoryShare = 0.8;

    /// <summary>Checks <paramref name="arguments"/> before anything is read, generated or written.</summary>
    /// <exception cref="CliException">A check failed; the message names the option.</exception>
    public static void Check(TrainArguments arguments)
    {
        CheckTask(arguments.Data, arguments.Task);
        bool builtIn = DataSource.IsBuiltIn(arguments.Data);
        // Before the output folder's check, which takes the data for a path (an empty one fails there, naming no option).
        if (!builtIn) DataSource.CheckCsvPath(arguments.Data);
        CheckOutputFolder(DataSource.OutputDirectory(arguments), OutputFolder.FileNames, arguments.Data);
        if (builtIn) CheckPoints(arguments.Points);
        CheckEpochs(arguments.Epochs);
        int inputs = builtIn ? 2 : CsvInputs(arguments);
        // A CSV file's classes are known once it has been read; as many as the plots colour is the most it may have.
        int classes = builtIn ? (DataSource.IsBlobs(arguments.Data) ? arguments.Classes : 2) : ClassPalette.MaxClasses;
        Network(arguments, inputs, DataSource.Task(arguments), classes);
    }

    /// <summary>
    /// The network <see cref="TrainCommand.Architecture"/> builds for these layers and the data: its parameters must fit in one array.
    /// </summary>
    /// <exception cref="CliException">The layers are too wide; the message names --hidden and --bottleneck.</exception>
    public static NetworkShape Architecture(IReadOnlyList<int> hidden, Activation activation, int bottleneck, Activation bottleneckActivation,
        int inputs, TaskKind task, int classCount)
    {
        try
        {
            return TrainCommand.Architecture(hidden, activation, bottleneck, bottleneckActivation, inputs, task, classCount);
        }
        catch (ArgumentException e) when (e.ParamName == "layers")
        {
            throw new CliException($"{LayersOption(hidden, bottleneck)}: {CliProgram.WithoutParameterName(e)}");
        }
    }

    /// <summary>
    /// The network for the data: its parameters must fit in one array and, with their companions, in memory.
    /// </summary>
    /// <exception cref="CliException">The layers are too wide; the message names --hidden and --bottleneck.</exception>
    public static NetworkShape Network(TrainArguments arguments, int inputs, TaskKind task, int classCount)
    {
        string option = LayersOption(arguments.Hidden, arguments.Bottleneck);
        NetworkShape shape = Architecture(arguments.Hidden, arguments.Activation, arguments.Bottleneck, arguments.BottleneckActivation, inputs, task, classCount);
        int copies = 4 + arguments.Optimizer switch { OptimizerKind.Adam => 2, OptimizerKind.Momentum => 1, _ => 0 }
            + (arguments.Batch >= TrainingOptions.DefaultParallelBatchThreshold ? Environment.ProcessorCount - 1 : 0);
        long needed = (long)shape.ParameterCount * sizeof(float) * copies, usable = (long)(AvailableMemory * UsableMemoryShare);
        if (needed > usable)
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"{option}: the network's {shape.ParameterCount:N0} parameters need about {Size(needed)} ({copies} floats each: weights, gradients, a copy kept against divergence, the initial values and the {arguments.Optimizer} state), and {Size(usable)} is available here; use narrower layers."));
        return shape;
    }

    private static string LayersOption(IReadOnlyList<int> hidden, int bottleneck) => $"--hidden {string.Join(',', hidden)} --bottleneck {bottleneck}";

    /// <summary>The memory .NET may use here, in bytes.</summary>
    public static long AvailableMemory => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>A built-in set's task must be the one <c>--task</c> asks for.</summary>
    public static void CheckTask(string data, TaskChoice? task)
    {
        if (!DataSource.IsBuiltIn(data) || task is null) return;
        bool regressionSet = DataSource.IsRegressionSet(data);
        if (task == TaskChoice.Regress && !regressionSet)
            throw new CliException($"--task regress needs a regression set ({DataSource.SineRidge} or a CSV file); '{data}' has class labels.");
        if (task == TaskChoice.Classify && regressionSet)
            throw new CliException($"--task classify needs class labels; '{data}' is a regression set (use --task regress).");
    }

    /// <summary>
    /// <see cref="OutputFolder.Check(string, IReadOnlyList{string}, string?)"/> for a run that writes
    /// <paramref name="fileNames"/> and reads <paramref name="data"/> (a built-in set's name or a file).
    /// </summary>
    public static void CheckOutputFolder(string directory, IReadOnlyList<string> fileNames, string data)
    {
        try
        {
            OutputFolder.Check(directory, fileNames, DataSource.IsBuiltIn(data) ? null : data);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--out: {e.Message}");
        }
    }

    /// <summary>The feature count from the CSV header (the file itself is read later).</summary>
    private static int CsvInputs(TrainArguments arguments) =>
        CsvDataStream.ReadFeatureNames(arguments.Data, DataSource.CsvOptions(arguments)).Count;

    /// <summary>What a run keeps for each epoch (its figures in the history, the report and summary.json): about 175 bytes measured at 16 million epochs, with room.</summary>
    public const long BytesPerEpoch = 200;

    private static void CheckEpochs(int epochs)
    {
        long needed = epochs * BytesPerEpoch, usable = (long)(AvailableMemory * UsableMemoryShare);
        if (needed > usable)
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"--epochs {epochs}: a run keeps every epoch's figures, about {BytesPerEpoch} bytes an epoch ({Size(needed)}), and {Size(usable)} is available here; use at most {usable / BytesPerEpoch:N0} epochs."));
    }

    private static void CheckPoints(int points)
    {
        long needed = points * BytesPerBuiltInPoint, usable = (long)(AvailableMemory * UsableMemoryShare);
        if (needed > usable)
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"--points {points}: the built-in sets are made in memory, about {BytesPerBuiltInPoint} bytes a point ({Size(needed)}), and {Size(usable)} is available here; use at most {usable / BytesPerBuiltInPoint:N0} points, or write the data to a CSV file, which is streamed."));
    }

    private static string Size(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.0} GB");
}
