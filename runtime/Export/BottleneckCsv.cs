using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace HiddenSpace;

/// <summary>
/// One CSV row per sample with what the network saw, what its tapped layer made of it and what it
/// predicted: <c>split, &lt;input columns&gt;, &lt;tap columns&gt;, label, prediction</c>. RFC 4180: comma
/// separated, CRLF line ends, fields with commas, quotes or line breaks quoted. Floats use the shortest
/// round-trip form ("R") in the invariant culture, so parsing a value gives back the exact float.
/// </summary>
public static class BottleneckCsv
{
    /// <summary>
    /// Writes the rows of a classification <paramref name="data"/> set and its tap activations to
    /// <paramref name="path"/> through <see cref="AtomicFile"/>. Input columns take the data set's feature
    /// names, tap columns are named <c>{tap.Name}_0</c>, <c>{tap.Name}_1</c>, ...
    /// </summary>
    /// <param name="path">The CSV file to write.</param>
    /// <param name="data">The samples; supplies the feature names, features and labels.</param>
    /// <param name="isTest">Whether each row belongs to the test split.</param>
    /// <param name="tap">The tapped layer; its width is the number of tap columns.</param>
    /// <param name="tapValues">The tap's activations, row-major (<c>data.Count × tap.Width</c>).</param>
    /// <param name="predictions">The predicted class of each row.</param>
    /// <exception cref="ArgumentException">The data set is not a classification set, or a span's length does not fit.</exception>
    /// <exception cref="System.IO.IOException">The file cannot be written; the message names the path.</exception>
    public static void Write(string path, Dataset data, ReadOnlySpan<bool> isTest, TapInfo tap, ReadOnlySpan<float> tapValues, ReadOnlySpan<int> predictions)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(tap);
        if (data.Task != TaskKind.Classification)
            throw new ArgumentException($"Data set '{data.Name}' is a regression set; the CSV has a class label column.", nameof(data));
        var tapNames = new string[tap.Width];
        for (int unit = 0; unit < tapNames.Length; unit++)
            tapNames[unit] = tap.Name + "_" + unit.ToString(CultureInfo.InvariantCulture);
        Write(path, data.FeatureNames, data.Features, tapNames, tapValues, data.Labels, predictions, isTest);
    }

    /// <summary>Writes <see cref="Format"/>'s text to <paramref name="path"/> through <see cref="AtomicFile"/>.</summary>
    /// <exception cref="ArgumentException">A span's length does not fit the column names and the number of labels.</exception>
    /// <exception cref="System.IO.IOException">The file cannot be written; the message names the path.</exception>
    public static void Write(string path, IReadOnlyList<string> inputNames, ReadOnlySpan<float> inputs,
        IReadOnlyList<string> tapNames, ReadOnlySpan<float> tapValues, ReadOnlySpan<int> labels, ReadOnlySpan<int> predictions, ReadOnlySpan<bool> isTest)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteAllText(path, Format(inputNames, inputs, tapNames, tapValues, labels, predictions, isTest));
    }

    /// <summary>
    /// The CSV text: a header row, then one row per label. The number of rows is <c>labels.Length</c>;
    /// <paramref name="inputs"/> and <paramref name="tapValues"/> are row-major with one column per name.
    /// </summary>
    /// <param name="inputNames">Names of the input feature columns.</param>
    /// <param name="inputs">Input features, row-major (<c>rows × inputNames.Count</c>).</param>
    /// <param name="tapNames">Names of the tap columns.</param>
    /// <param name="tapValues">Tap activations, row-major (<c>rows × tapNames.Count</c>).</param>
    /// <param name="labels">The true class of each row.</param>
    /// <param name="predictions">The predicted class of each row.</param>
    /// <param name="isTest">Whether each row belongs to the test split.</param>
    /// <exception cref="ArgumentException">A span's length does not fit the column names and the number of labels.</exception>
    public static string Format(IReadOnlyList<string> inputNames, ReadOnlySpan<float> inputs,
        IReadOnlyList<string> tapNames, ReadOnlySpan<float> tapValues, ReadOnlySpan<int> labels, ReadOnlySpan<int> predictions, ReadOnlySpan<bool> isTest)
    {
        CheckNames(inputNames, nameof(inputNames));
        CheckNames(tapNames, nameof(tapNames));
        int rows = labels.Length, inputCount = inputNames.Count, tapCount = tapNames.Count;
        CheckLength(inputs.Length, rows * inputCount, $"{rows} rows × {inputCount} input columns", nameof(inputs));
        CheckLength(tapValues.Length, rows * tapCount, $"{rows} rows × {tapCount} tap columns", nameof(tapValues));
        CheckLength(predictions.Length, rows, $"{rows} rows", nameof(predictions));
        CheckLength(isTest.Length, rows, $"{rows} rows", nameof(isTest));

        var csv = new StringBuilder();
        var row = new List<string>(inputCount + tapCount + 3) { "split" };
        row.AddRange(inputNames);
        row.AddRange(tapNames);
        row.Add("label");
        row.Add("prediction");
        AppendRow(csv, row);
        for (int r = 0; r < rows; r++)
        {
            row.Clear();
            row.Add(isTest[r] ? "test" : "train");
            foreach (float value in inputs.Slice(r * inputCount, inputCount)) row.Add(FormatFloat(value));
            foreach (float value in tapValues.Slice(r * tapCount, tapCount)) row.Add(FormatFloat(value));
            row.Add(labels[r].ToString(CultureInfo.InvariantCulture));
            row.Add(predictions[r].ToString(CultureInfo.InvariantCulture));
            AppendRow(csv, row);
        }
        return csv.ToString();
    }

    private static string FormatFloat(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>One RFC 4180 row: fields with commas, quotes or line breaks quoted, CRLF at the end.</summary>
    internal static void AppendRow(StringBuilder csv, List<string> fields)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            if (i > 0) csv.Append(',');
            string field = fields[i];
            if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
                csv.Append(field);
            else
                csv.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        csv.Append("\r\n");
    }

    private static void CheckNames(IReadOnlyList<string> names, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(names, parameterName);
        for (int i = 0; i < names.Count; i++)
            if (names[i] is null)
                throw new ArgumentException($"Column name {i} is null.", parameterName);
    }

    private static void CheckLength(int actual, int expected, string expectedDescription, string parameterName)
    {
        if (actual != expected)
            throw new ArgumentException($"{actual} values where {expectedDescription} need {expected}.", parameterName);
    }
}
