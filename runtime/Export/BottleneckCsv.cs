using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace HiddenSpace;

/// <summary>
/// One CSV row per sample with where it came from, what the network was given, what its tapped layer made of it
/// and what it predicted: <c>row, split, &lt;feature columns&gt;, &lt;tap columns&gt;, label, prediction</c>.
/// <c>row</c> is the sample's position in the source data (0 for the first data row of a CSV file, after the
/// header), so the file joins back to its source; the feature columns keep the source's names (one that another
/// column has gets a suffix, <see cref="Writer.Header"/>). RFC 4180: comma
/// separated, CRLF line ends, fields with commas, quotes or line breaks quoted. Floats use the shortest round-trip
/// form ("R") in the invariant culture, so parsing a value gives back the exact float. The rows are written as
/// they come (<see cref="Writer"/>), never held as one text, and the file appears atomically when complete.
/// <c>label</c> and <c>prediction</c> are class numbers, or the classes' names when the data set has them
/// (<see cref="Dataset.ClassNames"/>: the labels of a CSV file were names).
/// </summary>
public static class BottleneckCsv
{
    /// <summary>
    /// Writes the rows of a classification <paramref name="data"/> set and its tap activations to
    /// <paramref name="path"/>: <c>row</c> is <see cref="Dataset.SourceRow"/>, the features are the data set's,
    /// tap columns are named <c>{tap.Name}_0</c>, <c>{tap.Name}_1</c>, ...
    /// </summary>
    /// <param name="path">The CSV file to write.</param>
    /// <param name="data">The samples; supplies the feature names, features, labels and source rows.</param>
    /// <param name="isTest">Whether each row belongs to the test split.</param>
    /// <param name="tap">The tapped layer; its width is the number of tap columns.</param>
    /// <param name="tapValues">The tap's activations, row-major (<c>data.Count × tap.Width</c>).</param>
    /// <param name="predictions">The predicted class of each row.</param>
    /// <exception cref="ArgumentException">The data set is not a classification set, or a span's length does not fit.</exception>
    /// <exception cref="IOException">The file cannot be written; the message names the path.</exception>
    public static void Write(string path, Dataset data, ReadOnlySpan<bool> isTest, TapInfo tap, ReadOnlySpan<float> tapValues, ReadOnlySpan<int> predictions)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(tap);
        if (data.Task != TaskKind.Classification)
            throw new ArgumentException($"Data set '{data.Name}' is a regression set; the CSV has a class label column.", nameof(data));
        CheckLength(tapValues.Length, (long)data.Count * tap.Width, "rows × tap columns", nameof(tapValues));
        CheckLength(predictions.Length, data.Count, "rows", nameof(predictions));
        CheckLength(isTest.Length, data.Count, "rows", nameof(isTest));
        using var writer = new Writer(path, data.FeatureNames, TapColumns(tap), data.ClassNames);
        for (int r = 0; r < data.Count; r++)
            writer.WriteRow(data.SourceRow(r), isTest[r], data.Row(r), tapValues.Slice(r * tap.Width, tap.Width), data.Labels[r], predictions[r]);
        writer.Commit();
    }

    /// <summary>The tap's column names: <c>{tap.Name}_0</c>, <c>{tap.Name}_1</c>, ...</summary>
    public static string[] TapColumns(TapInfo tap)
    {
        ArgumentNullException.ThrowIfNull(tap);
        var names = new string[tap.Width];
        for (int unit = 0; unit < names.Length; unit++)
            names[unit] = tap.Name + "_" + unit.ToString(CultureInfo.InvariantCulture);
        return names;
    }

    /// <summary>A CSV field as written: as is, or in quotes (inner quotes doubled) when it holds a comma, a quote or a line break.</summary>
    internal static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Appends one CSV row of <paramref name="fields"/> (each <see cref="Quote"/>d) and its CRLF.</summary>
    internal static void AppendRow(StringBuilder csv, List<string> fields)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            if (i > 0) csv.Append(',');
            csv.Append(Quote(fields[i]));
        }
        csv.Append("\r\n");
    }

    private static void CheckLength(long actual, long expected, string what, string parameterName)
    {
        if (actual != expected)
            throw new ArgumentException($"{actual} values where the {what} need {expected}.", parameterName);
    }

    /// <summary>Writes the file row by row; <see cref="Commit"/> puts it in place, disposing without it leaves no file.</summary>
    public sealed class Writer : IDisposable
    {
        private static readonly UTF8Encoding Utf8WithoutBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        private readonly AtomicFile.Pending _file;
        private readonly StreamWriter _text;
        private readonly int _features, _taps;
        private readonly string[]? _classNames; // as written (quoted where needed), or null to write class numbers
        private readonly int _longestClass;
        private char[] _line = new char[256];
        private bool _committed;

        /// <summary>
        /// Starts the file at <paramref name="path"/> and writes the header; with <paramref name="classNames"/>, the
        /// label and prediction columns hold class c's name instead of c.
        /// </summary>
        /// <exception cref="ArgumentException">A column or class name is null.</exception>
        /// <exception cref="IOException">The file cannot be written; the message names the path.</exception>
        public Writer(string path, IReadOnlyList<string> featureNames, IReadOnlyList<string> tapNames, IReadOnlyList<string>? classNames = null)
        {
            CheckNames(featureNames, nameof(featureNames));
            CheckNames(tapNames, nameof(tapNames));
            if (classNames is not null)
            {
                CheckNames(classNames, nameof(classNames));
                _classNames = new string[classNames.Count];
                for (int c = 0; c < _classNames.Length; c++)
                {
                    _classNames[c] = Quote(classNames[c]);
                    _longestClass = Math.Max(_longestClass, _classNames[c].Length);
                }
            }
            _features = featureNames.Count;
            _taps = tapNames.Count;
            _file = AtomicFile.Begin(path);
            _text = new StreamWriter(_file.Stream, Utf8WithoutBom, bufferSize: 1 << 16, leaveOpen: true);
            List<string> header = Header(featureNames, tapNames);
            for (int i = 0; i < header.Count; i++)
            {
                if (i > 0) _text.Write(',');
                WriteField(header[i]);
            }
            _text.Write("\r\n");
        }

        /// <summary>
        /// The file's column names: row, split, the features, the tap's columns, label, prediction. A feature named like
        /// another column (a CSV file's column called "row" or "label", or "Bottleneck_0") is written as
        /// "{name}_feature" ("_feature2", ... if that is taken too), so every column of the file has its own name and
        /// the fixed columns keep theirs.
        /// </summary>
        internal static List<string> Header(IReadOnlyList<string> featureNames, IReadOnlyList<string> tapNames)
        {
            var header = new List<string>(featureNames.Count + tapNames.Count + 4) { "row", "split" };
            var taken = new HashSet<string>(StringComparer.Ordinal) { "row", "split", "label", "prediction" };
            taken.UnionWith(tapNames);
            foreach (string feature in featureNames)
            {
                string name = feature;
                for (int n = 1; !taken.Add(name); n++)
                    name = feature + "_feature" + (n == 1 ? "" : n.ToString(CultureInfo.InvariantCulture));
                header.Add(name);
            }
            header.AddRange(tapNames);
            header.Add("label");
            header.Add("prediction");
            return header;
        }

        /// <summary>Rows written so far.</summary>
        public long Rows { get; private set; }

        /// <summary>One sample's row.</summary>
        /// <exception cref="ArgumentException">A span's length is not the number of its columns.</exception>
        public void WriteRow(long row, bool isTest, ReadOnlySpan<float> features, ReadOnlySpan<float> tap, int label, int prediction)
        {
            CheckLength(features.Length, _features, "feature columns", nameof(features));
            CheckLength(tap.Length, _taps, "tap columns", nameof(tap));
            // Longest float in "R": 15 characters (-1.17549435E-38); a long: 20; an int: 11.
            int longest = 20 + 6 + 16 * (_features + _taps) + 2 * (Math.Max(11, _longestClass) + 1) + 2;
            if (_line.Length < longest) _line = new char[longest];
            Span<char> line = _line;
            int at = Append(line, row);
            (isTest ? ",test" : ",train").AsSpan().CopyTo(line[at..]);
            at += isTest ? 5 : 6;
            foreach (float value in features) at += AppendValue(line[at..], value);
            foreach (float value in tap) at += AppendValue(line[at..], value);
            line[at++] = ',';
            at += AppendClass(line[at..], label, nameof(label));
            line[at++] = ',';
            at += AppendClass(line[at..], prediction, nameof(prediction));
            line[at++] = '\r';
            line[at++] = '\n';
            _text.Write(line[..at]);
            Rows++;
        }

        /// <summary>Flushes the rows and puts the file in place.</summary>
        /// <exception cref="IOException">The file cannot be written; the message names the path.</exception>
        public void Commit()
        {
            _text.Flush();
            _file.Commit();
            _committed = true;
        }

        /// <summary>Deletes the unfinished file unless <see cref="Commit"/> succeeded.</summary>
        public void Dispose()
        {
            // A StreamWriter that leaves its stream open flushes it again on every Dispose; after the commit the stream is closed.
            if (!_committed) _text.Dispose();
            _file.Dispose();
        }

        private static int Append(Span<char> destination, long value)
        {
            value.TryFormat(destination, out int written, default, CultureInfo.InvariantCulture);
            return written;
        }

        private int AppendClass(Span<char> destination, int value, string parameterName)
        {
            if (_classNames is null) return Append(destination, value);
            if ((uint)value >= (uint)_classNames.Length)
                throw new ArgumentOutOfRangeException(parameterName, value, $"Classes are 0..{_classNames.Length - 1}.");
            _classNames[value].CopyTo(destination);
            return _classNames[value].Length;
        }

        private static int AppendValue(Span<char> destination, float value)
        {
            destination[0] = ',';
            // The default format is the shortest round-trip form, the same text as "R" without its allocation.
            value.TryFormat(destination[1..], out int written, default, CultureInfo.InvariantCulture);
            return written + 1;
        }

        private void WriteField(string field) => _text.Write(Quote(field));

        private static void CheckNames(IReadOnlyList<string> names, string parameterName)
        {
            ArgumentNullException.ThrowIfNull(names, parameterName);
            for (int i = 0; i < names.Count; i++)
                if (names[i] is null)
                    throw new ArgumentException($"Column name {i} is null.", parameterName);
        }
    }
}
