using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace HiddenSpace.Cli;

/// <summary>The data a run trains on, split and (for CSV files) standardised with train-split statistics.</summary>
/// <param name="Name">Display name: the built-in set's name or the file name without extension.</param>
/// <param name="Train">Training split.</param>
/// <param name="Test">Test split (30 % of each class).</param>
/// <param name="Standardizer">The statistics applied to both splits, fitted on the train split; null for built-in sets.</param>
/// <param name="Description">One line about where the rows came from.</param>
internal sealed record LoadedData(string Name, Dataset Train, Dataset Test, Standardizer? Standardizer, string Description);

/// <summary>Turns <c>--data</c> and its companions into a <see cref="LoadedData"/>.</summary>
internal static class DataSource
{
    /// <summary>Share of each class held out for testing.</summary>
    public const double TestFraction = 0.3;

    /// <summary>The built-in regression set.</summary>
    public const string SineRidge = "sineridge";

    /// <summary>Every name <c>--data</c> accepts besides a CSV path.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = [.. Datasets.Names, SineRidge];

    /// <summary>Whether <paramref name="data"/> names a built-in set (case-insensitive).</summary>
    public static bool IsBuiltIn(string data) => BuiltInNames.Contains(data, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a built-in set is a regression set.</summary>
    public static bool IsRegressionSet(string data) => string.Equals(data, SineRidge, StringComparison.OrdinalIgnoreCase);

    /// <summary>The noise a built-in set uses when <c>--noise</c> is not given (for blobs: the cluster spread).</summary>
    public static double DefaultNoise(string name) => name.ToLowerInvariant() switch
    {
        "circles" => 0.05,
        "spiral" => 0.03, // at 0.1 the arms (1/3 apart) overlap: the Bayes classifier gets only about 0.87
        "blobs" => 0.8,   // at 1.0 five clusters overlap: the Bayes classifier gets 0.970-0.987
        SineRidge => 0.05,
        _ => 0.1,
    };

    /// <summary>Loads a built-in set or a CSV file.</summary>
    /// <exception cref="CliException">The data set is unknown or the file is missing.</exception>
    /// <exception cref="DataFormatException">The CSV file is not a valid data set.</exception>
    public static LoadedData Load(TrainArguments arguments)
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
            (Dataset train, Dataset test) = all.StratifiedSplit(TestFraction, arguments.Seed);
            string classes = all.Task == TaskKind.Classification ? $", {all.ClassCount} classes" : ", regression";
            return new LoadedData(all.Name, train, test, null,
                string.Create(CultureInfo.InvariantCulture, $"{all.Name}: {all.Count} points, noise {noise}{classes}"));
        }

        if (!data.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !File.Exists(data))
            throw new CliException($"--data: unknown data set '{data}'; use one of {string.Join(", ", BuiltInNames)} or the path of a .csv file.");
        if (!File.Exists(data))
            throw new CliException($"--data: no such file '{Path.GetFullPath(data)}'.");
        TaskKind task = arguments.Task == TaskChoice.Regress ? TaskKind.Regression : TaskKind.Classification;
        Dataset loaded = CsvDataLoader.Load(data, new CsvLoadOptions(arguments.Label, task));
        (Dataset rawTrain, Dataset rawTest) = loaded.StratifiedSplit(TestFraction, arguments.Seed);
        // Statistics of the train split only: the test split must not leak into training.
        Standardizer standardizer = Standardizer.Fit(rawTrain);
        string kind = task == TaskKind.Classification ? $"{loaded.ClassCount} classes" : "regression";
        return new LoadedData(loaded.Name, standardizer.Apply(rawTrain), standardizer.Apply(rawTest), standardizer,
            $"{Path.GetFileName(data)}: {loaded.Count} rows, {loaded.FeatureCount} features, label '{loaded.TargetName}', {kind}, standardised with train-split statistics");
    }
}
