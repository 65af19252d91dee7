using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;

namespace HiddenSpace;

/// <summary>Everything <see cref="SweepReportHtml"/> shows.</summary>
/// <param name="Summary">The sweep and its summaries.</param>
/// <param name="DataName">The data set's name (a built-in set's, or the CSV file's without extension).</param>
/// <param name="Data">One line about the data (for built-in sets, that of the first seed).</param>
/// <param name="Settings">One line about the training settings every run shares.</param>
/// <param name="Engine">What ran the networks, e.g. "generated" or "reference".</param>
public sealed record SweepReport(SweepSummary Summary, string DataName, string Data, string Settings, string Engine);

/// <summary>
/// Writes <c>sweep.html</c>: one self-contained page (inline CSS and script, no external resource) that shows how
/// the bottleneck's separability (regression: its linear fit) and the network's accuracy depend on each choice of the
/// grid (median and range over the seeds), a table per activation of every configuration, and every run.
/// </summary>
/// <remarks>
/// The data travels as JSON in a <c>&lt;script type="application/json"&gt;</c> element, escaped as
/// <see cref="TrainingReportHtml.EscapeForScript"/> does for report.html; the script puts strings on the page with
/// <c>textContent</c> only, and the title is HTML-encoded.
/// </remarks>
public static class SweepReportHtml
{
    /// <summary>The page with <paramref name="report"/> embedded.</summary>
    public static string Render(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        string title = $"{report.DataName}: how much hidden layer it takes";
        // Split at the data first, so text from the data that looks like a placeholder stays text. The template opens
        // as TrainingReport.html does (head, base style) on purpose: each page is one self-contained file.
        string[] parts = TrainingReportHtml.Template("HiddenSpace.Export.SweepReport.html").Split("{{DATA}}");
        return parts[0].Replace("{{TITLE}}", WebUtility.HtmlEncode(title), StringComparison.Ordinal)
            + TrainingReportHtml.EmbeddableJson(json => WriteData(json, report, title)) + parts[1];
    }

    /// <summary>Writes the page to <paramref name="path"/> atomically.</summary>
    /// <exception cref="System.IO.IOException">The file cannot be written; the message names it.</exception>
    public static void Write(string path, SweepReport report) => AtomicFile.WriteAllText(path, Render(report));

    private static void WriteData(Utf8JsonWriter json, SweepReport report, string title)
    {
        SweepSummary summary = report.Summary;
        SweepResult result = summary.Result;
        json.WriteStartObject();
        json.WriteString("title", title);
        json.WriteString("answer", summary.Answer());
        json.WriteString("data", report.Data);
        json.WriteString("settings", report.Settings);
        json.WriteString("engine", report.Engine);
        json.WriteString("task", result.Task == TaskKind.Classification ? "classification" : "regression");
        json.WriteNumber("planned", result.Planned);
        json.WriteNumber("finished", result.Runs.Count);
        json.WriteNumber("parallelism", result.Parallelism);
        json.WriteNumber("seconds", Math.Round(result.Elapsed.TotalSeconds, 2));
        json.WriteNumber("runSeconds", Math.Round(result.Runs.Sum(run => run.Elapsed.TotalSeconds), 2));

        json.WriteStartArray("figures");
        foreach (SweepFigure figure in summary.Figures)
        {
            json.WriteStartObject();
            json.WriteString("key", figure.Key);
            json.WriteString("label", figure.Label);
            json.WriteBoolean("higherIsBetter", figure.HigherIsBetter);
            json.WriteBoolean("isShare", figure.IsShare);
            if (figure.InputValue is null) json.WriteNull("input");
            else WriteSpread(json, "input", summary.Input(figure));
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("choices");
        foreach (SweepChoice choice in summary.Choices)
        {
            json.WriteStartObject();
            json.WriteString("name", choice.Name);
            json.WriteStartArray("levels");
            foreach (SweepLevel level in choice.Levels)
            {
                json.WriteStartObject();
                json.WriteString("level", level.Level);
                WriteSpreads(json, summary.Figures, level.Runs);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("configurations");
        foreach (SweepConfiguration configuration in summary.Configurations)
        {
            json.WriteStartObject();
            WritePoint(json, configuration.Point);
            json.WriteNumber("runs", configuration.Runs.Count);
            json.WriteNumber("untangled", configuration.Untangled);
            WriteSpreads(json, summary.Figures, configuration.Runs);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("runs");
        foreach (SweepRun run in result.Runs)
        {
            json.WriteStartObject();
            WritePoint(json, run.Point);
            json.WriteNumber("seed", run.Point.Seed);
            json.WriteString("outcome", run.Outcome.ToString());
            json.WriteNumber("epochs", run.Epochs);
            json.WriteString("verdict", run.BottleneckTest?.Verdict);
            json.WriteString("inputVerdict", run.InputTest?.Verdict);
            json.WriteNumber("seconds", Math.Round(run.Elapsed.TotalSeconds, 3));
            json.WriteStartObject("values");
            foreach (SweepFigure figure in summary.Figures) Number(json, figure.Key, figure.Value(run));
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WritePoint(Utf8JsonWriter json, SweepPoint point)
    {
        json.WriteString("hidden", point.HiddenLabel);
        json.WriteString("activation", SweepSummary.Name(point.Activation));
        json.WriteString("bottleneck", point.Bottleneck.ToString(System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("network", point.Network.Widths());
        json.WriteNumber("parameters", point.Network.ParameterCount);
    }

    private static void WriteSpreads(Utf8JsonWriter json, IReadOnlyList<SweepFigure> figures, IReadOnlyList<SweepRun> runs)
    {
        json.WriteStartObject("figures");
        foreach (SweepFigure figure in figures) WriteSpread(json, figure.Key, figure.Over(runs));
        json.WriteEndObject();
    }

    private static void WriteSpread(Utf8JsonWriter json, string name, Spread spread)
    {
        json.WriteStartObject(name);
        Number(json, "median", spread.Median);
        Number(json, "min", spread.Min);
        Number(json, "max", spread.Max);
        json.WriteNumber("count", spread.Count);
        json.WriteEndObject();
    }

    /// <summary>A number, or null where it is NaN or infinite (JSON has neither).</summary>
    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteNull(name);
    }
}
