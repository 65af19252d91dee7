using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using HiddenSpace.Compiler;
using Spectre.Console;

namespace HiddenSpace.Cli;

/// <summary><c>hiddenspace train</c>: load the data, build the network, run the experiment, print the figures.</summary>
internal static class TrainCommand
{
    /// <summary>Name of the tapped layer before the output layer.</summary>
    public const string TapName = "Bottleneck";

    public static int Execute(TrainArguments arguments, TextWriter stdout, TextWriter stderr, IAnsiConsole console, CancellationToken cancellationToken)
    {
        Preflight.Check(arguments);
        LoadedData data = DataSource.Load(arguments, new PhaseLines(stdout), cancellationToken);
        NetworkShape shape = Preflight.Network(arguments, data.FeatureCount, data.Task, data.ClassCount);
        string outputDirectory = DataSource.OutputDirectory(arguments);
        if (arguments.EarlyStopping is not null && data is LoadedData.Csv streamed)
            throw new CliException($"--early-stopping needs the training rows in memory (it holds some out for validation), and this file is streamed: {DataSource.InMemoryHint(streamed)}");
        TrainingOptions options = TrainingOptionsFor(arguments, data);
        // Before the network is compiled (seconds): whether early stopping can hold out --validation of these rows.
        if (data is LoadedData.InMemory memory) Trainer.CheckValidationSplit(memory.Train, options);
        var settings = new ExperimentSettings(Engine: arguments.Engine == EngineChoice.Generated ? "generated" : "reference");
        data.StartInputFigures(settings, cancellationToken); // on another core while the network is loaded or compiled

        stdout.WriteLine($"hiddenspace: {data.Description}");
        stdout.WriteLine($"  network {shape.Widths()} {arguments.Activation}, bottleneck {arguments.BottleneckActivation} ({shape.Loss}, {shape.ParameterCount} parameters); " +
            string.Create(CultureInfo.InvariantCulture, $"{arguments.Epochs} epochs, batch {arguments.Batch}, {arguments.Optimizer} lr {arguments.LearningRate}, seed {arguments.Seed}"));
        using CompiledNetwork? compiled = arguments.Engine == EngineChoice.Generated ? Compile(shape, arguments.Cache, stdout, stderr, cancellationToken) : null;
        if (compiled is null) stdout.WriteLine("  engine: reference (the runtime's ReferenceNetwork, plain loops)");
        INetwork network = compiled?.Create(arguments.Seed) ?? new ReferenceNetwork(shape, arguments.Seed);

        var clock = Stopwatch.StartNew();
        ExperimentResult result;
        if (console.Profile.Capabilities.Interactive)
        {
            result = console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    ProgressTask task = context.AddTask("training", maxValue: arguments.Epochs);
                    return data.Run(network, options, outputDirectory, new BarProgress(task, data.Task), new PhaseTasks(context), settings, cancellationToken);
                });
        }
        else
        {
            result = data.Run(network, options, outputDirectory, new LineProgress(stdout, arguments.Epochs, data.Task), new PhaseLines(stdout), settings, cancellationToken);
        }
        clock.Stop();

        PrintFigures(console, stdout, result, clock.Elapsed);
        return result.History.Outcome switch
        {
            TrainingOutcome.Completed => CliProgram.Success,
            TrainingOutcome.Cancelled => CliProgram.Fail(stderr, CliProgram.Cancelled,
                $"cancelled: {result.History.Message} The files above hold the weights reached so far; the analysis and bottleneck.csv were skipped."),
            _ => CliProgram.Fail(stderr, CliProgram.Failed, result.History.Message),
        };
    }

    /// <summary>The generated code for <paramref name="shape"/>, compiled now or loaded from the cache; says which and how long it took.</summary>
    private static CompiledNetwork Compile(NetworkShape shape, string? cache, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var compiler = new NetworkCompiler(new NetworkCompilerOptions { CacheDirectory = cache }, stderr.WriteLine);
        CompiledNetwork compiled;
        try
        {
            compiled = compiler.Compile(shape, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new CancelledException("cancelled while compiling the network; nothing was written.");
        }
        string seconds = compiled.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        stdout.WriteLine(compiled.Origin switch
        {
            CompiledNetworkOrigin.Cache => $"  engine: generated (from the cache in {seconds} s: {compiler.CacheDirectory})",
            CompiledNetworkOrigin.Compiled => $"  engine: generated (compiled in {seconds} s, cached in {compiler.CacheDirectory})",
            _ => $"  engine: generated (compiled in {seconds} s, in memory only)",
        });
        return compiled;
    }

    /// <summary>The network for <paramref name="inputs"/> features and the task: hidden layers, the tapped bottleneck, and the output layer.</summary>
    public static NetworkShape Architecture(IReadOnlyList<int> hidden, Activation activation, int bottleneck, Activation bottleneckActivation,
        int inputs, TaskKind task, int classCount)
    {
        var layers = new List<LayerShape>();
        foreach (int width in hidden) layers.Add(new LayerShape(width, activation));
        layers.Add(new LayerShape(bottleneck, bottleneckActivation, TapName));
        Loss loss;
        if (task == TaskKind.Regression)
        {
            layers.Add(new LayerShape(1, Activation.Linear));
            loss = Loss.MeanSquaredError;
        }
        else if (classCount == 2)
        {
            layers.Add(new LayerShape(1, Activation.Sigmoid));
            loss = Loss.BinaryCrossEntropy;
        }
        else
        {
            layers.Add(new LayerShape(classCount, Activation.Softmax));
            loss = Loss.SoftmaxCrossEntropy;
        }
        return new NetworkShape(inputs, loss, [.. layers]);
    }

    /// <summary>The training settings <paramref name="arguments"/> ask for, with the class weights checked against the data's classes.</summary>
    public static TrainingOptions TrainingOptionsFor(TrainArguments arguments, LoadedData data) =>
        new(arguments.Epochs, arguments.Batch,
            new OptimizerSettings(arguments.Optimizer, (float)arguments.LearningRate, L2: (float)arguments.Penalties.L2, L1: (float)arguments.Penalties.L1), arguments.Seed)
        {
            Schedule = arguments.Schedule,
            EarlyStopping = arguments.EarlyStopping,
            ClassWeights = ClassWeightsFor(arguments, data),
        };

    /// <summary>The weights <c>--class-weights</c> asks for, checked against the data's classes.</summary>
    private static float[]? ClassWeightsFor(TrainArguments arguments, LoadedData data)
    {
        if (arguments.ClassWeights is not string text) return null;
        if (data.Task != TaskKind.Classification)
            throw new CliException("--class-weights needs class labels; this is a regression run.");
        if (data is LoadedData.Csv streamed)
            throw new CliException($"--class-weights needs the training rows in memory, and this file is streamed: {DataSource.InMemoryHint(streamed)}");
        Dataset train = ((LoadedData.InMemory)data).Train;
        if (text == "balanced") return ClassWeights.Balanced(train);
        float[] weights = CliProgram.ParseWeights(text)!;
        if (weights.Length != train.ClassCount)
            throw new CliException($"--class-weights gives {weights.Length} weight{(weights.Length == 1 ? "" : "s")} but the data has {train.ClassCount} classes"
                + (train.ClassNames is { } names ? $" ({string.Join(", ", names)}, in that order)." : "."));
        return weights;
    }

    private static void PrintFigures(IAnsiConsole console, TextWriter stdout, ExperimentResult result, TimeSpan elapsed)
    {
        bool classify = result.Task == TaskKind.Classification;
        stdout.WriteLine(result.Claim);
        var table = new Table().Title(Markup.Escape($"{result.Dataset}: the hidden space after {result.History.Epochs.Count} epochs"));
        table.AddColumn("representation");
        table.AddColumn(new TableColumn("width").RightAligned());
        if (classify)
        {
            table.AddColumn("split");
            table.AddColumn(new TableColumn("linear probe").RightAligned());
            table.AddColumn("how close to linearly separable");
            table.AddColumn(new TableColumn("margin").RightAligned());
        }
        else
        {
            table.AddColumn(new TableColumn("linear fit R² (test)").RightAligned());
        }
        foreach (LayerFigures layer in result.Layers)
        {
            string width = layer.Width.ToString(CultureInfo.InvariantCulture);
            if (!classify)
            {
                table.AddRow(Markup.Escape(layer.Name), width, Format(layer.RSquared));
                continue;
            }
            foreach ((string split, SeparabilityReport? report) in new[] { ("test", layer.Separability), ("train", layer.TrainSeparability) })
            {
                bool test = split == "test";
                table.AddRow(test ? Markup.Escape(layer.Name) : "", test ? width : "", split, test ? Format(layer.ProbeAccuracy) : "",
                    Markup.Escape(report is null ? "-" : HiddenSpaceClaim.Verdict(report)), test ? Format(layer.WorstNormalizedMargin) : "");
            }
        }
        table.Caption(classify
            ? string.Create(CultureInfo.InvariantCulture, $"network: train accuracy {result.TrainAccuracy:0.000}, test accuracy {result.TestAccuracy:0.000}")
            : string.Create(CultureInfo.InvariantCulture, $"network: train R² {result.TrainRSquared:0.000}, test R² {result.TestRSquared:0.000}"));
        console.Write(table);

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.History.Message} ({elapsed.TotalSeconds:0.0} s, {result.Frames.Count} report frames)"));
        stdout.WriteLine("Wrote:");
        foreach (string file in result.FilesWritten) stdout.WriteLine("  " + file);
    }

    private static string Format(double? value) =>
        value is double v && double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "-";

    /// <summary>Moves the Spectre progress bar (Report runs on the training thread, after each epoch).</summary>
    private sealed class BarProgress(ProgressTask task, TaskKind kind) : IProgress<EpochStats>
    {
        public void Report(EpochStats value)
        {
            task.Value = value.Epoch;
            task.Description = Markup.Escape(Describe(value, kind));
        }
    }

    /// <summary>About ten plain lines per run, for output that is not a terminal (Spectre draws nothing there).</summary>
    private sealed class LineProgress(TextWriter stdout, int epochs, TaskKind kind) : IProgress<EpochStats>
    {
        private readonly int _every = Math.Max(1, epochs / 10);

        public void Report(EpochStats value)
        {
            if (value.Epoch % _every == 0 || value.Epoch == 1 || value.Epoch == epochs)
                stdout.WriteLine($"  epoch {value.Epoch,5}/{epochs}  {Describe(value, kind)}");
        }
    }

    private static string Describe(EpochStats value, TaskKind kind) => kind == TaskKind.Classification
        ? $"train loss {LossText(value.TrainLoss)}  test loss {LossText(value.TestLoss)}  test accuracy {value.TestAccuracy.ToString("0.000", CultureInfo.InvariantCulture)}"
        : $"train loss {LossText(value.TrainLoss)}  test loss {LossText(value.TestLoss)}";

    /// <summary>
    /// A loss as four decimals, or in exponent form from 100,000 on: a regression's mean squared error is in the
    /// target's units squared, and targets of order 10³⁰ gave losses written out in 60 digits.
    /// </summary>
    internal static string LossText(double loss) =>
        loss.ToString(Math.Abs(loss) < 1e5 ? "0.0000" : "0.0000E+0", CultureInfo.InvariantCulture);
}
