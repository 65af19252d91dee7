using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
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
        bool generated = NetworkCatalog.HasGenerated(shape);
        string outputDirectory = DataSource.OutputDirectory(arguments);
        var options = new TrainingOptions(arguments.Epochs, arguments.Batch,
            new OptimizerSettings(arguments.Optimizer, (float)arguments.LearningRate), arguments.Seed);

        stdout.WriteLine($"hiddenspace: {data.Description}");
        stdout.WriteLine($"  network {shape.Widths()} {arguments.Activation} ({shape.Loss}, {shape.ParameterCount} parameters), " +
            $"{(generated ? "generated code compiled into this tool" : "runtime ReferenceNetwork")}; " +
            string.Create(CultureInfo.InvariantCulture, $"{arguments.Epochs} epochs, batch {arguments.Batch}, {arguments.Optimizer} lr {arguments.LearningRate}, seed {arguments.Seed}"));

        var clock = Stopwatch.StartNew();
        var job = new ExperimentJob(data, options, outputDirectory, cancellationToken);
        ExperimentResult result;
        if (console.Profile.Capabilities.Interactive)
        {
            result = console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    ProgressTask task = context.AddTask("training", maxValue: arguments.Epochs);
                    job.Progress = new BarProgress(task, data.Task);
                    job.Phases = new PhaseTasks(context);
                    return NetworkCatalog.Run(shape, arguments.Seed, job);
                });
        }
        else
        {
            job.Progress = new LineProgress(stdout, arguments.Epochs, data.Task);
            job.Phases = new PhaseLines(stdout);
            result = NetworkCatalog.Run(shape, arguments.Seed, job);
        }
        clock.Stop();

        PrintFigures(console, stdout, result, clock.Elapsed);
        if (!generated)
        {
            stdout.WriteLine("No network compiled into this tool has this architecture, so it ran on the runtime's ReferenceNetwork.");
            stdout.WriteLine("For the fast generated version, paste this into a project that references HiddenSpace.Gen:");
            stdout.Write(shape.ToDeclaration("MyNet"));
        }

        return result.History.Outcome switch
        {
            TrainingOutcome.Completed => CliProgram.Success,
            TrainingOutcome.Cancelled => CliProgram.Fail(stderr, CliProgram.Cancelled,
                $"cancelled: {result.History.Message} The files above hold the weights reached so far; the analysis and bottleneck.csv were skipped."),
            _ => CliProgram.Fail(stderr, CliProgram.Failed, result.History.Message),
        };
    }

    /// <summary>The network for these arguments: hidden layers, the tapped bottleneck, and the output layer the task needs.</summary>
    public static NetworkShape Architecture(TrainArguments arguments, int inputs, TaskKind task, int classCount)
    {
        var layers = new List<LayerShape>();
        foreach (int width in arguments.Hidden) layers.Add(new LayerShape(width, arguments.Activation));
        layers.Add(new LayerShape(arguments.Bottleneck, arguments.Activation, TapName));
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

    private static void PrintFigures(IAnsiConsole console, TextWriter stdout, ExperimentResult result, TimeSpan elapsed)
    {
        bool classify = result.Task == TaskKind.Classification;
        var table = new Table().Title(Markup.Escape($"{result.Dataset}: the hidden space after {result.History.Epochs.Count} epochs (test split)"));
        table.AddColumn("representation");
        table.AddColumn(new TableColumn("width").RightAligned());
        if (classify)
        {
            table.AddColumn(new TableColumn("linear probe").RightAligned());
            table.AddColumn("separable");
            table.AddColumn(new TableColumn("normalised margin").RightAligned());
        }
        else
        {
            table.AddColumn(new TableColumn("linear fit R²").RightAligned());
        }
        foreach (LayerFigures layer in result.Layers)
        {
            var cells = new List<string> { Markup.Escape(layer.Name), layer.Width.ToString(CultureInfo.InvariantCulture) };
            if (classify)
            {
                cells.Add(Format(layer.ProbeAccuracy));
                cells.Add(layer.Separability?.Separable switch { true => "yes", false => "no", null => "unknown" });
                cells.Add(Format(layer.WorstNormalizedMargin));
            }
            else
            {
                cells.Add(Format(layer.RSquared));
            }
            table.AddRow([.. cells]);
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

    /// <summary>Runs the experiment on whichever network type the catalog hands over.</summary>
    private sealed class ExperimentJob(LoadedData data, TrainingOptions options, string outputDirectory, CancellationToken cancellationToken)
        : INetworkJob<ExperimentResult>
    {
        public IProgress<EpochStats>? Progress { get; set; }

        public IProgress<PhaseProgress>? Phases { get; set; }

        public ExperimentResult Run<TNetwork>(TNetwork network) where TNetwork : INetwork =>
            data.Run(network, options, outputDirectory, Progress, Phases, cancellationToken);
    }

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
        ? string.Create(CultureInfo.InvariantCulture, $"train loss {value.TrainLoss:0.0000}  test loss {value.TestLoss:0.0000}  test accuracy {value.TestAccuracy:0.000}")
        : string.Create(CultureInfo.InvariantCulture, $"train loss {value.TrainLoss:0.0000}  test loss {value.TestLoss:0.0000}");
}
