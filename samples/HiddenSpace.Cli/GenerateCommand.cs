using System.Collections.Generic;
using System.IO;
using System.Threading;
using HiddenSpace.Compiler;

namespace HiddenSpace.Cli;

/// <summary>The parsed options of <c>hiddenspace generate</c>.</summary>
internal sealed record GenerateArguments(
    string? Data,
    string Label,
    TaskChoice? Task,
    IReadOnlyList<int> Hidden,
    int Bottleneck,
    Activation Activation,
    Activation BottleneckActivation,
    int Inputs,
    int? Classes,
    string ClassName,
    string? Namespace,
    string? Out)
{
    /// <summary>CSV: columns that are not features (<c>--ignore</c>); null for none.</summary>
    public IReadOnlyList<string>? Ignore { get; init; }

    /// <summary>CSV: leave out rows with a missing value (<c>--missing skip</c>) instead of stopping at the first.</summary>
    public bool SkipMissing { get; init; }
}

/// <summary>
/// <c>hiddenspace generate</c>: the exact code the generator writes for an architecture — the one <c>train</c> would
/// build for the same options — printed as a declaration and written as C# files, without creating a project.
/// </summary>
internal static class GenerateCommand
{
    public static int Execute(GenerateArguments arguments, TextWriter stdout, CancellationToken cancellationToken)
    {
        if (NetworkCompiler.ClassNameProblem(arguments.ClassName, standalone: false) is string problem)
            throw new CliException($"--class: {problem}");
        NetworkShape shape = Architecture(arguments, cancellationToken);
        GeneratedNetworkCode code = NetworkCompiler.Generate(shape, arguments.ClassName, arguments.Namespace, cancellationToken);
        string directory = arguments.Out ?? Path.Combine("out", "generated");
        var written = new List<string> { Path.GetFullPath(Path.Combine(directory, arguments.ClassName + ".cs")) };
        AtomicFile.WriteAllText(written[0], code.Declaration);
        foreach (GeneratedFile file in code.Files)
        {
            string path = Path.GetFullPath(Path.Combine(directory, file.HintName));
            AtomicFile.WriteAllText(path, file.Text);
            written.Add(path);
        }

        stdout.WriteLine($"hiddenspace: {shape.Widths()} ({shape.Loss}, {shape.ParameterCount} parameters), declared as:");
        stdout.WriteLine();
        stdout.Write(code.Declaration);
        stdout.WriteLine();
        stdout.WriteLine("Wrote:");
        foreach (string path in written) stdout.WriteLine("  " + path);
        return CliProgram.Success;
    }

    /// <summary>The architecture <c>train</c> builds: from the data when <c>--data</c> is given, else from <c>--inputs</c>, <c>--task</c> and <c>--classes</c>.</summary>
    private static NetworkShape Architecture(GenerateArguments arguments, CancellationToken cancellationToken)
    {
        if (arguments.Data is null)
        {
            TaskKind task = arguments.Task == TaskChoice.Regress ? TaskKind.Regression : TaskKind.Classification;
            return Preflight.Architecture(arguments.Hidden, arguments.Activation, arguments.Bottleneck, arguments.BottleneckActivation, arguments.Inputs, task, arguments.Classes ?? 2);
        }
        Preflight.CheckTask(arguments.Data, arguments.Task);
        var dataArguments = new TrainArguments(arguments.Data, arguments.Label, arguments.Task, arguments.Hidden, arguments.Bottleneck, arguments.Activation,
            Epochs: 1, Batch: 1, LearningRate: 0.01, OptimizerKind.Adam, Seed: 0, arguments.Classes ?? CliProgram.DefaultBlobClasses, Noise: null, Points: 100, Out: null)
        {
            Ignore = arguments.Ignore,
            SkipMissing = arguments.SkipMissing,
        };
        LoadedData data = DataSource.Load(dataArguments, phases: null, cancellationToken);
        return Preflight.Architecture(arguments.Hidden, arguments.Activation, arguments.Bottleneck, arguments.BottleneckActivation,
            data.FeatureCount, data.Task, data.ClassCount);
    }
}
