using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace HiddenSpace;

/// <summary>
/// <c>sweep.csv</c>: one row per finished run of a sweep, in grid order, with the figures <c>hiddenspace train</c>
/// reports for the same settings. RFC 4180 as <see cref="BottleneckCsv"/> writes it; numbers in the invariant culture,
/// doubles in round-trip form, and an empty field where a figure does not apply (accuracies for regression, R² and
/// separability for classification). Nothing in it depends on the machine or the parallelism, so the same sweep gives
/// the same bytes.
/// </summary>
public static class SweepCsv
{
    /// <summary>The columns, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "hidden", "activation", "bottleneck", "seed", "network", "parameters", "outcome", "epochs",
        "train_accuracy", "test_accuracy", "train_r_squared", "test_r_squared",
        "input_probe_accuracy", "input_r_squared", "input_wrong", "input_rows", "input_verdict",
        "bottleneck_probe_accuracy", "bottleneck_r_squared",
        "bottleneck_separable", "bottleneck_wrong", "bottleneck_rows", "bottleneck_wrong_exact", "bottleneck_verdict",
        "bottleneck_train_separable", "bottleneck_train_wrong", "bottleneck_train_rows", "bottleneck_train_verdict",
    ];

    /// <summary>Writes <see cref="Format"/>'s text to <paramref name="path"/> through <see cref="AtomicFile"/>.</summary>
    /// <exception cref="System.IO.IOException">The file cannot be written; the message names the path.</exception>
    public static void Write(string path, SweepResult result) => AtomicFile.WriteAllText(path, Format(result));

    /// <summary>The CSV text: the header row, then one row per finished run.</summary>
    public static string Format(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var csv = new StringBuilder();
        var row = new List<string>(Columns);
        BottleneckCsv.AppendRow(csv, row);
        foreach (SweepRun run in result.Runs)
        {
            row.Clear();
            SweepPoint point = run.Point;
            row.AddRange([point.HiddenLabel, SweepSummary.Name(point.Activation), Whole(point.Bottleneck), Whole(point.Seed),
                point.Network.Widths(), Whole(point.Network.ParameterCount), run.Outcome.ToString(), Whole(run.Epochs)]);
            row.AddRange([Real(run.TrainAccuracy), Real(run.TestAccuracy), Real(run.TrainRSquared), Real(run.TestRSquared)]);
            SeparabilityCount? input = run.InputTest;
            row.AddRange([Real(run.Input.ProbeAccuracy), Real(run.Input.RSquared), Whole(input?.Wrong), Whole(input?.Rows), input?.Verdict ?? ""]);
            row.AddRange([Real(run.Bottleneck.ProbeAccuracy), Real(run.Bottleneck.RSquared)]);
            AddCount(row, run.BottleneckTest, withExact: true);
            AddCount(row, run.BottleneckTrain, withExact: false);
            BottleneckCsv.AppendRow(csv, row);
        }
        return csv.ToString();
    }

    private static void AddCount(List<string> row, SeparabilityCount? count, bool withExact)
    {
        row.AddRange([Flag(count?.Separable), Whole(count?.Wrong), Whole(count?.Rows)]);
        if (withExact) row.Add(Flag(count?.Exact));
        row.Add(count?.Verdict ?? "");
    }

    private static string Whole(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Real(double? value) => value is double v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Flag(bool? value) => value switch { true => "true", false => "false", null => "" };
}
