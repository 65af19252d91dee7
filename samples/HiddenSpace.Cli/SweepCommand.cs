using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using HiddenSpace.Compiler;
using Spectre.Console;

namespace HiddenSpace.Cli;

/// <summary>
/// <c>hiddenspace sweep</c>: check everything, load the data of every seed, compile every distinct architecture once,
/// train the grid in parallel (<see cref="Sweep"/>), print the summary and write sweep.csv and sweep.html.
/// </summary>
internal static class SweepCommand
{
    public static int Execute(SweepArguments arguments, TextWriter stdout, TextWriter stderr, IAnsiConsole console, CancellationToken cancellationToken)
    {
        // Everything the request can get wrong is found before the first network trains: the task, every seed's data and
        // training options, the output folder, and the networks (an architecture the generator rejects).
        TrainArguments shared = arguments.Shared;
        Preflight.CheckTask(shared.Data, shared.Task);
        LoadedData.InMemory[] loaded = [.. Enumerable.Range(0, arguments.Seeds).Select(seed => InMemory(DataSource.Load(shared with { Seed = seed }, phases: null, cancellationToken)))];
        SweepData[] data = [.. loaded.Select((seeded, seed) =>
            new SweepData(seed, seeded.Train, seeded.Test, TrainCommand.TrainingOptionsFor(shared with { Seed = seed }, seeded)))];
        LoadedData.InMemory first = loaded[0];
        string outputDirectory = arguments.Out ?? Path.Combine("out", first.Name);
        CreateFolder(outputDirectory, shared.Data);
        var points = new List<SweepPoint>();
        foreach (int[] hidden in arguments.Hidden)
            foreach (Activation activation in arguments.Activations)
                foreach (int bottleneck in arguments.Bottlenecks)
                    for (int seed = 0; seed < arguments.Seeds; seed++)
                        points.Add(new SweepPoint(hidden, activation, bottleneck, seed,
                            Preflight.Network(shared with { Hidden = hidden, Activation = activation, Bottleneck = bottleneck }, first.FeatureCount, first.Task, first.ClassCount)));

        string settings = string.Create(CultureInfo.InvariantCulture,
            $"{shared.Epochs} epochs, batch {shared.Batch}, {shared.Optimizer} lr {shared.LearningRate}, bottleneck activation {SweepSummary.Name(shared.BottleneckActivation)}");
        stdout.WriteLine($"hiddenspace sweep: {first.Description}");
        stdout.WriteLine($"  each seed draws its own {(DataSource.IsBuiltIn(shared.Data) ? "points and " : "")}split, as train's --seed does");
        stdout.WriteLine($"  grid: hidden {string.Join(" | ", arguments.Hidden.Select(h => string.Join(",", h)))} × {string.Join(", ", arguments.Activations.Select(SweepSummary.Name))}" +
            $" × bottleneck {string.Join(", ", arguments.Bottlenecks)} × {arguments.Seeds} seeds = {points.Count} runs; {settings}; {arguments.Parallel} at a time");

        using NetworkFactory networks = shared.Engine == EngineChoice.Generated
            ? NetworkFactory.Compile(points, shared.Cache, arguments.Parallel, stdout, stderr, cancellationToken)
            : NetworkFactory.Reference(stdout);
        SweepResult result = Sweep.Run(points, data, networks.Create, arguments.Parallel, new RunLines(stdout, points.Count), cancellationToken);

        var summary = new SweepSummary(result);
        stdout.WriteLine(summary.Answer());
        PrintTable(console, summary);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Runs.Count} runs in {result.Elapsed.TotalSeconds:0.0} s, {result.Parallelism} at a time ({result.Runs.Sum(r => r.Elapsed.TotalSeconds):0.0} s of training and measuring)"));
        int diverged = result.Runs.Count(run => run.Outcome == TrainingOutcome.Diverged);
        if (diverged > 0)
            stdout.WriteLine($"note: {diverged} run{(diverged == 1 ? "" : "s")} diverged (outcome Diverged in sweep.csv); their figures are of the last finite weights.");

        string csvPath = Path.GetFullPath(Path.Combine(outputDirectory, "sweep.csv"));
        string htmlPath = Path.GetFullPath(Path.Combine(outputDirectory, "sweep.html"));
        SweepCsv.Write(csvPath, result);
        SweepReportHtml.Write(htmlPath, new SweepReport(summary, first.Name, first.Description, settings, networks.Description));
        stdout.WriteLine("Wrote:");
        stdout.WriteLine("  " + csvPath);
        stdout.WriteLine("  " + htmlPath);
        return result.Cancelled
            ? CliProgram.Fail(stderr, CliProgram.Cancelled, $"cancelled after {result.Runs.Count} of {result.Planned} runs; sweep.csv and sweep.html hold the runs that finished.")
            : CliProgram.Success;
    }

    /// <summary>The data in memory: a sweep trains every grid point on the same rows, many at once, so a streamed file is refused.</summary>
    private static LoadedData.InMemory InMemory(LoadedData data) => data as LoadedData.InMemory
        ?? throw new CliException($"--data: a sweep keeps every seed's rows in memory, and this file is streamed: {DataSource.InMemoryHint((LoadedData.Csv)data)}");

    /// <summary>
    /// Checks and creates the output folder now, so a bad <c>--out</c> is found before any training: refused when it holds
    /// a sweep.csv or sweep.html no earlier run wrote there, or when <paramref name="data"/> is one of those files.
    /// </summary>
    private static void CreateFolder(string directory, string data)
    {
        Preflight.CheckOutputFolder(directory, OutputFolder.SweepFileNames, data);
        try
        {
            OutputFolder.Mark(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--out: cannot create the folder '{Path.GetFullPath(directory)}': {e.Message}");
        }
    }

    private static void PrintTable(IAnsiConsole console, SweepSummary summary)
    {
        bool classify = summary.Result.Task == TaskKind.Classification;
        SweepFigure[] figures = [.. summary.Figures.Where(figure => figure.Headline)];
        var table = new Table().Title("median over the seeds (range)");
        if (classify) table.Caption("separable, wrong side: the bottleneck on the test split (the share of points its best line leaves on the wrong side)");
        table.AddColumn("network");
        if (classify) table.AddColumn("separable");
        foreach (SweepFigure figure in figures) table.AddColumn(Markup.Escape(figure.ShortLabel));
        foreach (SweepConfiguration configuration in summary.Configurations)
        {
            SweepPoint point = configuration.Point;
            var cells = new List<string> { $"{point.Network.Widths()} {SweepSummary.Name(point.Activation)}" };
            if (classify) cells.Add($"{configuration.Untangled} of {configuration.Runs.Count}");
            foreach (SweepFigure figure in figures) cells.Add(Format(figure.Over(configuration.Runs), figure));
            table.AddRow([.. cells.Select(Markup.Escape)]);
        }
        console.Write(table);
    }

    private static string Format(Spread spread, SweepFigure figure)
    {
        if (spread.Count == 0) return "-";
        string Value(double v) => figure.IsShare ? string.Create(CultureInfo.InvariantCulture, $"{100 * v:0.0} %") : v.ToString("0.000", CultureInfo.InvariantCulture);
        if (spread.Min == spread.Max) return Value(spread.Median);
        string range = figure.IsShare
            ? string.Create(CultureInfo.InvariantCulture, $"{100 * spread.Min:0.0}–{100 * spread.Max:0.0} %")
            : $"{Value(spread.Min)}–{Value(spread.Max)}";
        return $"{Value(spread.Median)} ({range})";
    }

    /// <summary>One line per finished run, from the pool's threads.</summary>
    private sealed class RunLines(TextWriter stdout, int planned) : IProgress<SweepRun>
    {
        private readonly Lock _lock = new();
        private int _finished;

        public void Report(SweepRun value)
        {
            string figures = value.BottleneckTest is SeparabilityCount separability
                ? string.Create(CultureInfo.InvariantCulture, $"test accuracy {value.TestAccuracy:0.000}, bottleneck {separability.Verdict}")
                : string.Create(CultureInfo.InvariantCulture, $"test R² {value.TestRSquared:0.000}, bottleneck R² {value.Bottleneck.RSquared:0.000}");
            string outcome = value.Outcome == TrainingOutcome.Completed ? "" : $" ({value.Outcome})";
            lock (_lock)
            {
                _finished++;
                int width = planned.ToString(CultureInfo.InvariantCulture).Length;
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  [{_finished.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{planned}] {value.Point.Network.Widths()} {SweepSummary.Name(value.Point.Activation)}, seed {value.Point.Seed}{outcome}: {figures} ({value.Elapsed.TotalSeconds:0.00} s)"));
            }
        }
    }

    /// <summary>Makes the sweep's networks: the generated code of each distinct architecture, compiled once, or the reference network.</summary>
    private sealed class NetworkFactory : IDisposable
    {
        private readonly Dictionary<string, CompiledNetwork>? _compiled; // by fingerprint; null for the reference network

        private NetworkFactory(Dictionary<string, CompiledNetwork>? compiled, string description)
        {
            _compiled = compiled;
            Description = description;
        }

        /// <summary>What runs the networks, for the report.</summary>
        public string Description { get; }

        /// <summary>A new network for <paramref name="point"/>, initialised from its seed.</summary>
        public INetwork Create(SweepPoint point) =>
            _compiled is null ? new ReferenceNetwork(point.Network, point.Seed) : _compiled[point.Network.Fingerprint()].Create(point.Seed);

        public static NetworkFactory Reference(TextWriter stdout)
        {
            stdout.WriteLine("  engine: reference (the runtime's ReferenceNetwork, plain loops)");
            return new NetworkFactory(null, "reference (the runtime's ReferenceNetwork, plain loops)");
        }

        /// <summary>Compiles (or loads from the cache) every distinct architecture of <paramref name="points"/> on <paramref name="parallel"/> threads; says which each was.</summary>
        public static NetworkFactory Compile(IReadOnlyList<SweepPoint> points, string? cache, int parallel, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
        {
            NetworkShape[] shapes = [.. points.Select(point => point.Network).DistinctBy(shape => shape.Fingerprint())];
            var compiler = new NetworkCompiler(new NetworkCompilerOptions { CacheDirectory = cache }, stderr.WriteLine);
            var compiled = new CompiledNetwork?[shapes.Length];
            var clock = Stopwatch.StartNew();
            try
            {
                Parallel.For(0, shapes.Length, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken },
                    i => compiled[i] = compiler.Compile(shapes[i], cancellationToken));
            }
            catch (Exception e)
            {
                foreach (CompiledNetwork? network in compiled) network?.Dispose();
                if (cancellationToken.IsCancellationRequested) throw new CancelledException("cancelled while compiling the networks; nothing was written.");
                if (e is AggregateException aggregate) ExceptionDispatchInfo.Throw(aggregate.InnerExceptions[0]);
                throw;
            }
            clock.Stop();

            stdout.WriteLine($"  engine: generated code, {shapes.Length} architecture{(shapes.Length == 1 ? "" : "s")}:");
            for (int i = 0; i < shapes.Length; i++)
            {
                CompiledNetwork network = compiled[i]!;
                string seconds = network.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
                stdout.WriteLine($"    {shapes[i].Widths()} {SweepSummary.Name(shapes[i].Layers[0].Activation)}: " +
                    (network.Origin == CompiledNetworkOrigin.Cache ? $"from the cache in {seconds} s" : $"compiled in {seconds} s"));
            }
            CompiledNetwork[] fromCache = [.. compiled.Where(network => network!.Origin == CompiledNetworkOrigin.Cache).Select(network => network!)];
            CompiledNetwork[] built = [.. compiled.Where(network => network!.Origin != CompiledNetworkOrigin.Cache).Select(network => network!)];
            string total = string.Create(CultureInfo.InvariantCulture,
                $"{built.Length} compiled ({built.Sum(n => n.Elapsed.TotalSeconds):0.00} s), {fromCache.Length} from the cache ({fromCache.Sum(n => n.Elapsed.TotalSeconds):0.00} s); {clock.Elapsed.TotalSeconds:0.00} s on {Math.Min(parallel, shapes.Length)} threads");
            string where = compiler.CacheDirectory is string directory ? $"cache: {directory}" : "in memory only";
            stdout.WriteLine($"  networks: {total}; {where}");
            var byFingerprint = new Dictionary<string, CompiledNetwork>();
            for (int i = 0; i < shapes.Length; i++) byFingerprint.Add(shapes[i].Fingerprint(), compiled[i]!);
            return new NetworkFactory(byFingerprint, $"generated ({shapes.Length} architectures: {total})");
        }

        public void Dispose()
        {
            if (_compiled is null) return;
            foreach (CompiledNetwork network in _compiled.Values) network.Dispose();
        }
    }
}
