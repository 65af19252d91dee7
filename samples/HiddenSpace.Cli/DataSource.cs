using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;

namespace HiddenSpace.Cli;

/// <summary>The data a run trains on: in memory (a built-in set, or a CSV file whose rows fit the shuffle buffer), or a CSV file streamed from disk.</summary>
internal abstract class LoadedData
{
    /// <summary>Display name: the built-in set's name or the file name without extension.</summary>
    public abstract string Name { get; }

    /// <summary>One line about where the rows came from.</summary>
    public abstract string Description { get; }

    /// <summary>Features per row.</summary>
    public abstract int FeatureCount { get; }

    /// <summary>Classification or regression.</summary>
    public abstract TaskKind Task { get; }

    /// <summary>Classes (0 for regression).</summary>
    public abstract int ClassCount { get; }

    /// <summary>
    /// Starts measuring the input's figures, which need only the data, while the caller builds the network (the next
    /// <see cref="Run"/> uses them); a streamed file's are measured in Run, on the samples its passes draw.
    /// </summary>
    public virtual void StartInputFigures(ExperimentSettings settings, CancellationToken cancellationToken)
    {
    }

    /// <summary>Runs the experiment on <paramref name="network"/>.</summary>
    public abstract ExperimentResult Run<TNetwork>(TNetwork network, TrainingOptions options, string outputDirectory, IProgress<EpochStats>? progress,
        IProgress<PhaseProgress>? phases, ExperimentSettings settings, CancellationToken cancellationToken) where TNetwork : INetwork;

    /// <summary>Rows held in memory and split there: a built-in set, or a CSV file standardised with <paramref name="standardizer"/>.</summary>
    public sealed class InMemory(Dataset train, Dataset test, Standardizer? standardizer, string description, long skippedRows = 0) : LoadedData
    {
        /// <summary>The (standardised) train split, for options that need every training row, such as --class-weights balanced.</summary>
        public Dataset Train => train;

        /// <summary>The (standardised) test split.</summary>
        public Dataset Test => test;

        public override string Name => train.Name;
        public override string Description => description;
        public override int FeatureCount => train.FeatureCount;
        public override TaskKind Task => train.Task;
        public override int ClassCount => train.ClassCount;

        private InputFiguresInProgress? _inputFigures;

        public override void StartInputFigures(ExperimentSettings settings, CancellationToken cancellationToken) =>
            _inputFigures = InputFiguresInProgress.Start(train, test, settings.Analysis, cancellationToken);

        public override ExperimentResult Run<TNetwork>(TNetwork network, TrainingOptions options, string outputDirectory, IProgress<EpochStats>? progress,
            IProgress<PhaseProgress>? phases, ExperimentSettings settings, CancellationToken cancellationToken)
        {
            InputFiguresInProgress? started = _inputFigures;
            _inputFigures = null; // the run takes it over
            return BottleneckExperiment.Run(network, train, test, options, outputDirectory, progress, cancellationToken,
                settings with { InputStandardizer = standardizer, SkippedRows = skippedRows }, phases, started);
        }
    }

    /// <summary>A CSV file: checked, split and standardised in passes, trained on through the shuffle buffer.</summary>
    public sealed class Csv(StreamedSplit split, string description) : LoadedData
    {
        public override string Name => split.Data.Name;
        public override string Description => description;
        public override int FeatureCount => split.Data.FeatureCount;
        public override TaskKind Task => split.Data.Task;
        public override int ClassCount => split.Data.ClassCount;

        /// <summary>Rows in the train split.</summary>
        public long TrainCount => split.TrainCount;

        /// <summary>Rows the shuffle buffer holds.</summary>
        public int ShuffleBufferRows => split.ShuffleBufferRows;

        public override ExperimentResult Run<TNetwork>(TNetwork network, TrainingOptions options, string outputDirectory, IProgress<EpochStats>? progress,
            IProgress<PhaseProgress>? phases, ExperimentSettings settings, CancellationToken cancellationToken) =>
            BottleneckExperiment.Run(network, split, options, outputDirectory, progress, cancellationToken, settings, phases);
    }
}

/// <summary>Turns <c>--data</c> and its companions into a <see cref="LoadedData"/>.</summary>
internal static class DataSource
{
    /// <summary>Share of each class held out for testing unless <c>--test-fraction</c> says otherwise.</summary>
    public const double DefaultTestFraction = 0.3;

    /// <summary>The built-in regression set.</summary>
    public const string SineRidge = "sineridge";

    /// <summary>Every name <c>--data</c> accepts besides a CSV path.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = [.. Datasets.Names, SineRidge];

    /// <summary>Whether <paramref name="data"/> names a built-in set (case-insensitive).</summary>
    public static bool IsBuiltIn(string data) => BuiltInNames.Contains(data, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="data"/> names the blobs set, the one whose classes <c>--classes</c> sets.</summary>
    public static bool IsBlobs(string data) => string.Equals(data, "blobs", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a built-in set is a regression set.</summary>
    public static bool IsRegressionSet(string data) => string.Equals(data, SineRidge, StringComparison.OrdinalIgnoreCase);

    /// <summary>The task the arguments ask for: --task, else regression for sineridge and classification for the rest.</summary>
    public static TaskKind Task(TrainArguments arguments) =>
        arguments.Task == TaskChoice.Regress || (arguments.Task is null && IsRegressionSet(arguments.Data)) ? TaskKind.Regression : TaskKind.Classification;

    /// <summary>--out, or out/&lt;data set name&gt;.</summary>
    public static string OutputDirectory(TrainArguments arguments)
    {
        if (arguments.Out is string directory) return directory;
        string name = IsBuiltIn(arguments.Data) ? arguments.Data.ToLowerInvariant() : Path.GetFileNameWithoutExtension(arguments.Data);
        return Path.Combine("out", name.Length == 0 ? arguments.Data : name);
    }

    /// <summary>The noise a built-in set uses when <c>--noise</c> is not given (for blobs: the cluster spread).</summary>
    public static double DefaultNoise(string name) => name.ToLowerInvariant() switch
    {
        "circles" => 0.05,
        "spiral" => 0.03, // at 0.1 the arms (1/3 apart) overlap: the Bayes classifier gets only about 0.87
        "blobs" => 0.8,   // at 1.0 five clusters overlap: the Bayes classifier gets 0.970-0.987
        SineRidge => 0.05,
        _ => 0.1,
    };

    /// <summary>How the CSV file is read: --label names the label column, --task says what it holds.</summary>
    /// <exception cref="CliException">The options cannot work with any file (an empty label name, a column left out twice); the message names the option.</exception>
    public static CsvLoadOptions CsvOptions(TrainArguments arguments)
    {
        var options = new CsvLoadOptions(arguments.Label, Task(arguments), IgnoredColumns: arguments.Ignore, SkipRowsWithMissingValues: arguments.SkipMissing);
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            string option = e.ParamName == nameof(CsvLoadOptions.IgnoredColumns) ? "--ignore" : "--label";
            throw new CliException($"{option}: {CliProgram.WithoutParameterName(e)}");
        }
        return options;
    }

    /// <summary>" (12 more skipped for a missing value, the first on line 7)" when rows were left out, else "".</summary>
    private static string Skipped(CsvDataStream stream) => stream.SkippedRows == 0 ? ""
        : string.Create(CultureInfo.InvariantCulture, $" ({stream.SkippedRows:N0} more skipped for a missing value, the first on line {stream.FirstSkippedLine})");

    /// <summary>Throws unless <paramref name="data"/> is the path of an existing file.</summary>
    /// <exception cref="CliException">The data set is unknown or the file is missing.</exception>
    public static void CheckCsvPath(string data)
    {
        if (!data.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !File.Exists(data))
            throw new CliException($"--data: unknown data set '{data}'; use one of {string.Join(", ", BuiltInNames)} or the path of a .csv file.");
        if (!File.Exists(data))
            throw new CliException($"--data: no such file '{Path.GetFullPath(data)}'.");
    }

    /// <summary>Generates a built-in set, or reads, checks and splits a CSV file (reporting the passes to <paramref name="phases"/>).</summary>
    /// <exception cref="CliException">The data set is unknown, the file is missing, or it has more classes than the plots colour.</exception>
    /// <exception cref="DataFormatException">The CSV file is not a valid data set.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static LoadedData Load(TrainArguments arguments, IProgress<PhaseProgress>? phases, CancellationToken cancellationToken)
    {
        string data = arguments.Data;
        if (IsBuiltIn(data))
        {
            string name = data.ToLowerInvariant();
            double noise = arguments.Noise ?? DefaultNoise(name);
            Dataset all = name switch
            {
                SineRidge => Datasets.SineRidge(arguments.Points, noise, arguments.Seed),
                "blobs" => Datasets.Blobs(arguments.Points, arguments.Classes, noise, features: 2, arguments.Seed),
                _ => Datasets.ByName(name, arguments.Points, noise, arguments.Seed),
            };
            (Dataset train, Dataset test) = SplitOf(arguments, () => all.StratifiedSplit(arguments.TestFraction, arguments.Seed));
            string classes = all.Task == TaskKind.Classification ? $", {all.ClassCount} classes" : ", regression";
            return new LoadedData.InMemory(train, test, null, string.Create(CultureInfo.InvariantCulture, $"{all.Name}: {all.Count} points, noise {noise}{classes}"));
        }

        CheckCsvPath(data);
        CsvDataStream stream = CsvDataStream.Open(data, CsvOptions(arguments), phases, cancellationToken);
        if (stream.ClassCount > ClassPalette.MaxClasses)
            throw new CliException($"--label {arguments.Label}: the column holds {stream.ClassCount} classes, and the plots and the report colour at most {ClassPalette.MaxClasses}; for a real-valued target use --task regress.");
        var streaming = new StreamingOptions { ShuffleBufferRows = arguments.ShuffleBuffer };
        string kind = stream.Task == TaskKind.Classification ? $"{stream.ClassCount} classes" : "regression";
        string about = string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(data)}: {stream.Count:N0} rows{Skipped(stream)}, {stream.FeatureCount} features, label '{stream.TargetName}', {kind}, {stream.Encoding}; standardised with train-split statistics");
        if (stream.Count <= streaming.BufferRowsFor(stream))
        {
            // Every row fits the shuffle buffer: train in memory, where every training option works. Same split and
            // statistics as the streamed path (CsvDataStream checks that it reads what CsvDataLoader reads).
            Dataset loaded = CsvDataLoader.Load(data, CsvOptions(arguments));
            (Dataset rawTrain, Dataset rawTest) = SplitOf(arguments, () => loaded.StratifiedSplit(arguments.TestFraction, arguments.Seed));
            Standardizer standardizer = Standardizer.Fit(rawTrain);
            return new LoadedData.InMemory(standardizer.Apply(rawTrain), standardizer.Apply(rawTest), standardizer, about + "; held in memory", stream.SkippedRows);
        }
        StreamedSplit split = SplitOf(arguments, () => stream.Split(arguments.TestFraction, arguments.Seed, streaming, phases, cancellationToken));
        return new LoadedData.Csv(split, about + string.Create(CultureInfo.InvariantCulture, $"; streamed through a shuffle buffer of {split.ShuffleBufferRows:N0} rows"));
    }

    /// <summary>A split of the data's rows; data too small for it is reported against <c>--data</c> with the split the tool makes.</summary>
    private static T SplitOf<T>(TrainArguments arguments, Func<T> split)
    {
        try
        {
            return split();
        }
        catch (ArgumentException e) when (e is not ArgumentOutOfRangeException)
        {
            string data = IsBuiltIn(arguments.Data) ? $"{arguments.Data} with --points {arguments.Points}" : $"'{Path.GetFullPath(arguments.Data)}'";
            throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"--data: {data} is too small: {CliProgram.WithoutParameterName(e)} The tool tests on {arguments.TestFraction:0.##%} of each class's rows (of all rows for regression; --test-fraction) and trains on the rest."));
        }
    }

    /// <summary>What to do so that the streamed file is held in memory (for options that need every training row).</summary>
    public static string InMemoryHint(LoadedData.Csv streamed) => string.Create(CultureInfo.InvariantCulture,
        $"its {streamed.TrainCount:N0} training rows pass through a shuffle buffer of {streamed.ShuffleBufferRows:N0}; --shuffle-buffer {streamed.TrainCount} or more holds them (memory permitting).");
}
