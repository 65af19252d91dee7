using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HiddenSpace.Kernels;

namespace HiddenSpace;

/// <summary>Everything <see cref="TrainingReportHtml"/> draws.</summary>
/// <param name="Data">Every row, train rows first; the frames' tap values follow the same order.</param>
/// <param name="IsTest">Per row: whether it belongs to the test split.</param>
/// <param name="Network">The architecture.</param>
/// <param name="Tap">Index of the bottleneck tap, or -1 when the network has none.</param>
/// <param name="ClassNames">Display name of each class (empty for regression).</param>
/// <param name="InputBounds">The input plane the frames' grids cover; null unless there are 2 inputs.</param>
/// <param name="GridResolution">Cells per side of the frames' input grids.</param>
/// <param name="History">How training ended.</param>
/// <param name="Curves">Per-epoch loss and accuracy or R².</param>
/// <param name="Frames">The snapshots the slider moves through.</param>
/// <param name="Layers">The final figures per representation.</param>
public sealed record TrainingReport(Dataset Data, bool[] IsTest, NetworkShape Network, int Tap, IReadOnlyList<string> ClassNames,
    PlotBounds? InputBounds, int GridResolution, TrainingHistory History, IReadOnlyList<EpochCurve> Curves,
    IReadOnlyList<TrainingFrame> Frames, IReadOnlyList<LayerFigures> Layers)
{
    /// <summary>Rows of the whole data set when <see cref="Data"/> is a sample of it (the page says so); 0 when it is all of it.</summary>
    public long RowsInData { get; init; }
}

/// <summary>
/// Writes <c>report.html</c>: one self-contained page (inline CSS and script, no external resource) whose epoch
/// slider moves the bottleneck scatter with the output layer's regions, the input-plane decision regions, the
/// loss and accuracy (or R²) curves and the separability figures through the training snapshots.
/// </summary>
/// <remarks>
/// The data travels as JSON in a <c>&lt;script type="application/json"&gt;</c> element. Every <c>&lt;</c>,
/// <c>&gt;</c>, <c>&amp;</c>, U+2028 and U+2029 in the JSON text is written as a \u escape, so no string from
/// the data (a CSV column name) can close the element or start markup; the script puts strings on the page
/// with <c>textContent</c> only. The title is HTML-encoded.
/// </remarks>
public static class TrainingReportHtml
{
    /// <summary>The page with <paramref name="report"/> embedded.</summary>
    public static string Render(TrainingReport report)
    {
        using var page = new MemoryStream();
        WriteTo(page, report);
        return Encoding.UTF8.GetString(page.GetBuffer(), 0, (int)page.Length);
    }

    /// <summary>Writes the page to <paramref name="path"/> atomically, streamed (the data is never one string).</summary>
    /// <exception cref="IOException">The file cannot be written; the message names it.</exception>
    public static void Write(string path, TrainingReport report)
    {
        using AtomicFile.Pending file = Prepare(path, report);
        file.Commit();
    }

    /// <summary>
    /// Writes the report to the temporary file of <paramref name="path"/>, not yet in place: <see cref="AtomicFile.Pending.Commit"/>
    /// puts it there, disposing without committing discards it (a run that fails after the report is written leaves none).
    /// </summary>
    internal static AtomicFile.Pending Prepare(string path, TrainingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        AtomicFile.Pending file = AtomicFile.Begin(path);
        try
        {
            WriteTo(file.Stream, report);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>JSON text that is safe inside an HTML script element (and as a JavaScript literal).</summary>
    public static string EscapeForScript(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Escaped(Encoding.UTF8.GetBytes(json));
    }

    private static string Escaped(ReadOnlySpan<byte> json)
    {
        using var escaped = new MemoryStream();
        EscapeInto(escaped, json);
        return Encoding.UTF8.GetString(escaped.GetBuffer(), 0, (int)escaped.Length);
    }

    private static void WriteTo(Stream output, TrainingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        string title = $"{report.Data.Name}: {report.Network.Widths()} hidden space";
        string template = Template("HiddenSpace.Export.TrainingReport.html").Replace("{{TITLE}}", WebUtility.HtmlEncode(title), StringComparison.Ordinal);
        int data = template.IndexOf("{{DATA}}", StringComparison.Ordinal);
        output.Write(Encoding.UTF8.GetBytes(template[..data]));
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        // The relaxed encoder keeps non-ASCII names readable; EscapeInto then removes what HTML cares about.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteData(json, report, () =>
            {
                // Utf8JsonWriter flushes whole tokens, so no UTF-8 sequence is split between two drains.
                json.Flush();
                EscapeInto(output, buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            });
            json.Flush();
        }
        EscapeInto(output, buffer.WrittenSpan);
        output.Write(Encoding.UTF8.GetBytes(template[(data + "{{DATA}}".Length)..]));
    }

    /// <summary>Copies UTF-8 JSON to <paramref name="output"/> with &lt;, &gt;, &amp;, U+2028 and U+2029 written as \u escapes.</summary>
    private static void EscapeInto(Stream output, ReadOnlySpan<byte> json)
    {
        int start = 0;
        for (int i = 0; i < json.Length; i++)
        {
            ReadOnlySpan<byte> escape = json[i] switch
            {
                (byte)'<' => "\\u003c"u8,
                (byte)'>' => "\\u003e"u8,
                (byte)'&' => "\\u0026"u8,
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
                0xE2 when i + 2 < json.Length && json[i + 1] == 0x80 && json[i + 2] == 0xA8 => "\\u2028"u8,
                0xE2 when i + 2 < json.Length && json[i + 1] == 0x80 && json[i + 2] == 0xA9 => "\\u2029"u8,
                _ => default,
            };
            if (escape.IsEmpty) continue;
            output.Write(json[start..i]);
            output.Write(escape);
            i += json[i] == 0xE2 ? 2 : 0;
            start = i + 1;
        }
        output.Write(json[start..]);
    }

    /// <summary>An HTML page template embedded in this assembly (report.html, sweep.html).</summary>
    internal static string Template(string resourceName)
    {
        using Stream stream = typeof(TrainingReportHtml).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"The page template {resourceName} is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The JSON <paramref name="write"/> writes, as text safe inside a script element (<see cref="EscapeForScript"/>), for small pages.</summary>
    internal static string EmbeddableJson(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(json);
        return Escaped(buffer.WrittenSpan);
    }

    private static void WriteData(Utf8JsonWriter json, TrainingReport report, Action drain)
    {
        Dataset data = report.Data;
        NetworkShape shape = report.Network;
        bool classify = data.Task == TaskKind.Classification;
        json.WriteStartObject();
        json.WriteString("claim", HiddenSpaceClaim.Sentence(report.Layers));
        json.WriteString("dataset", data.Name);
        json.WriteString("task", classify ? "classification" : "regression");
        json.WriteString("network", shape.Widths());
        json.WriteString("outputActivation", shape.Layers[^1].Activation.ToString());
        json.WriteString("outcome", report.History.Outcome.ToString());
        json.WriteString("message", report.History.Message);
        json.WriteString("targetName", data.TargetName);
        json.WriteNumber("pointsShown", data.Count);
        json.WriteNumber("pointsTotal", report.RowsInData > 0 ? report.RowsInData : data.Count);
        Strings(json, "featureNames", data.FeatureNames);
        Strings(json, "classNames", report.ClassNames);
        var colors = new List<string>();
        var tints = new List<string>();
        for (int c = 0; c < Math.Min(Math.Max(report.ClassNames.Count, 1), ClassPalette.MaxClasses); c++)
        {
            colors.Add(ClassPalette.Color(c));
            tints.Add(ClassPalette.Tint(c));
        }
        Strings(json, "colors", colors);
        Strings(json, "tints", tints);

        TapInfo? tap = report.Tap >= 0 ? shape.Taps[report.Tap] : null;
        json.WriteString("tapName", tap?.Name ?? "");
        json.WriteNumber("tapWidth", tap?.Width ?? 0);
        bool feedsOutput = tap is not null && tap.LayerIndex == shape.Layers.Count - 2;
        json.WriteBoolean("tapFeedsOutput", feedsOutput);
        PlotBounds? tapBounds = tap is { Width: >= 2 } ? TapBounds(report.Frames, tap.Width) : null;
        if (tapBounds is null) json.WriteNull("tapBounds");
        else Bounds(json, "tapBounds", tapBounds);
        // The output layer's class regions are exact polygons on the tap plane when the 2-unit tap feeds it.
        PlotBounds? regionBounds = classify && feedsOutput && tap!.Width == 2 ? tapBounds : null;

        json.WriteStartArray(classify ? "labels" : "targets");
        for (int i = 0; i < data.Count; i++)
        {
            if (classify) json.WriteNumberValue(data.Labels[i]);
            else Compact(json, data.Values[i]);
        }
        json.WriteEndArray();
        var split = new StringBuilder(data.Count);
        foreach (bool test in report.IsTest) split.Append(test ? '1' : '0');
        json.WriteString("test", split.ToString());

        if (report.InputBounds is PlotBounds bounds)
        {
            json.WriteStartObject("input");
            Bounds(json, "bounds", bounds);
            json.WriteNumber("resolution", report.GridResolution);
            json.WriteStartArray("xs");
            for (int i = 0; i < data.Count; i++) Compact(json, data.Row(i)[0]);
            json.WriteEndArray();
            json.WriteStartArray("ys");
            for (int i = 0; i < data.Count; i++) Compact(json, data.Row(i)[1]);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("input");
        }

        json.WriteStartArray("curves");
        foreach (EpochCurve curve in report.Curves)
        {
            json.WriteStartArray();
            json.WriteNumberValue(curve.Stats.Epoch);
            Compact(json, curve.Stats.TrainLoss);
            Compact(json, curve.Stats.TestLoss);
            Compact(json, classify ? curve.Stats.TrainAccuracy : curve.TrainRSquared);
            Compact(json, classify ? curve.Stats.TestAccuracy : curve.TestRSquared);
            json.WriteEndArray();
        }
        json.WriteEndArray();

        drain();
        json.WriteStartArray("frames");
        foreach (TrainingFrame frame in report.Frames)
        {
            WriteFrame(json, frame, classify, regionBounds is null ? null : (shape.Layers[^1].Activation, regionBounds));
            drain();
        }
        json.WriteEndArray();

        json.WriteStartArray("layers");
        foreach (LayerFigures layer in report.Layers)
        {
            json.WriteStartObject();
            json.WriteString("name", layer.Name);
            json.WriteNumber("width", layer.Width);
            Compact(json, "probe", layer.ProbeAccuracy);
            Compact(json, "r2", layer.RSquared);
            if (layer.Separability is SeparabilityReport separability) WriteSeparability(json, "sep", separability);
            if (layer.TrainSeparability is SeparabilityReport trainSeparability) WriteSeparability(json, "trainSep", trainSeparability);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteFrame(Utf8JsonWriter json, TrainingFrame frame, bool classify, (Activation Output, PlotBounds Bounds)? regions)
    {
        json.WriteStartObject();
        json.WriteNumber("epoch", frame.Epoch);
        Numbers(json, "tap", frame.TapValues);
        Numbers(json, "w", frame.OutputWeights);
        Numbers(json, "b", frame.OutputBiases);
        if (regions is var (output, bounds) && Finite.All(frame.OutputWeights) && Finite.All(frame.OutputBiases))
        {
            json.WriteStartArray("regions");
            foreach (double[] polygon in OutputRegions.Of(frame.OutputWeights, frame.OutputBiases, output, bounds))
            {
                json.WriteStartArray();
                foreach (double coordinate in polygon) Compact(json, coordinate);
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
        if (frame.InputGrid is float[] grid)
        {
            if (classify)
            {
                // One character per cell ('0' + class; at most 10 classes are coloured): a tenth of a number array.
                var cells = new StringBuilder(grid.Length);
                foreach (float cell in grid) cells.Append((char)('0' + Math.Min((int)cell, 9)));
                json.WriteString("grid", cells.ToString());
            }
            else
            {
                Numbers(json, "grid", grid);
            }
        }
        Compact(json, "r2", frame.TapRSquared);
        if (frame.Separability is SeparabilityReport separability) WriteSeparability(json, "sep", separability);
        json.WriteEndObject();
    }

    /// <summary>The verdict with its wording; one-vs-rest entries as [class, separable, normalised margin, wording].</summary>
    private static void WriteSeparability(Utf8JsonWriter json, string name, SeparabilityReport report)
    {
        json.WriteStartObject(name);
        if (report.Separable is bool separable) json.WriteBoolean("separable", separable);
        else json.WriteNull("separable");
        json.WriteString("verdict", HiddenSpaceClaim.Verdict(report));
        Compact(json, "margin", LayerFigures.WorstMargin(report));
        json.WriteStartArray("oneVsRest");
        foreach (SeparabilityEntry entry in report.OneVsRest)
        {
            json.WriteStartArray();
            json.WriteNumberValue(entry.Class);
            if (entry.Separable is bool s) json.WriteBooleanValue(s);
            else json.WriteNullValue();
            Compact(json, entry.NormalizedMargin ?? double.NaN);
            json.WriteStringValue(HiddenSpaceClaim.Verdict(entry));
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// The tap plane shown in every frame: the first two units' values over all frames (finite ones), 5 % padding,
    /// so the view stays put while the points move. Null when no frame has a finite value.
    /// </summary>
    private static PlotBounds? TapBounds(IReadOnlyList<TrainingFrame> frames, int width)
    {
        var xs = new List<float>();
        var ys = new List<float>();
        foreach (TrainingFrame frame in frames)
            for (int i = 0; i + 1 < frame.TapValues.Length; i += width)
                if (float.IsFinite(frame.TapValues[i]) && float.IsFinite(frame.TapValues[i + 1]))
                {
                    xs.Add(frame.TapValues[i]);
                    ys.Add(frame.TapValues[i + 1]);
                }
        return xs.Count == 0 ? null : PlotBounds.Around([.. xs], [.. ys]);
    }

    private static void Bounds(Utf8JsonWriter json, string name, PlotBounds bounds)
    {
        json.WriteStartArray(name);
        foreach (double edge in (ReadOnlySpan<double>)[bounds.MinX, bounds.MaxX, bounds.MinY, bounds.MaxY]) Compact(json, edge);
        json.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }

    private static void Numbers(Utf8JsonWriter json, string name, ReadOnlySpan<float> values)
    {
        json.WriteStartArray(name);
        foreach (float value in values) Compact(json, value);
        json.WriteEndArray();
    }

    private static void Compact(Utf8JsonWriter json, string name, double? value)
    {
        json.WritePropertyName(name);
        Compact(json, value ?? double.NaN);
    }

    /// <summary>
    /// Four significant digits (plenty for a plot, a third of the text of full precision); null for NaN and ±∞. The
    /// text is what <see cref="Utf8JsonWriter.WriteNumberValue(double)"/> writes for the double nearest the rounded
    /// decimal; between 10⁻⁴ and 10⁴ (fixed notation there, and every tap value and loss a report holds) the digits are
    /// written directly, without formatting a double (a report writes ~180,000 numbers for 51 frames of 1,800 points).
    /// </summary>
    internal static void Compact(Utf8JsonWriter json, double value)
    {
        if (!double.IsFinite(value))
        {
            json.WriteNullValue();
            return;
        }
        if (value == 0)
        {
            json.WriteNumberValue(0);
            return;
        }
        int exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        int decimals = 3 - exponent;
        if (decimals >= 0 && decimals <= 7)
        {
            WriteFixed(json, value < 0, (long)Math.Round(Math.Abs(value) * Pow10(decimals)), decimals);
            return;
        }
        // Dividing an integer by an exact power of ten gives the double nearest the decimal, which prints short.
        double rounded = decimals >= 0 && decimals <= 15
            ? Math.Round(value * Pow10(decimals)) / Pow10(decimals)
            : decimals < 0 && decimals >= -15 ? Math.Round(value / Pow10(-decimals)) * Pow10(-decimals) : value;
        json.WriteNumberValue(rounded);
    }

    /// <summary>±digits / 10^decimals in fixed notation, trailing zeros of the fraction dropped (as the shortest round-trip text of that decimal reads).</summary>
    private static void WriteFixed(Utf8JsonWriter json, bool negative, long digits, int decimals)
    {
        Span<byte> text = stackalloc byte[32];
        long scale = (long)Pow10(decimals), whole = digits / scale, fraction = digits % scale;
        int length = 0;
        if (negative) text[length++] = (byte)'-';
        whole.TryFormat(text[length..], out int written, provider: CultureInfo.InvariantCulture);
        length += written;
        if (fraction != 0)
        {
            text[length++] = (byte)'.';
            for (long place = scale / 10; place > 0 && fraction != 0; place /= 10)
            {
                text[length++] = (byte)('0' + fraction / place);
                fraction %= place;
            }
        }
        json.WriteRawValue(text[..length], skipInputValidation: true);
    }

    private static double Pow10(int exponent)
    {
        double result = 1;
        for (int i = 0; i < exponent; i++) result *= 10;
        return result;
    }
}
