using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace HiddenSpace;

/// <summary>
/// Loads a CSV file with a header row into a <see cref="Dataset"/>.
/// <para>
/// The text is RFC 4180 CSV in UTF-8 (a byte order mark is allowed): comma-separated fields, double quotes
/// around fields that hold commas, quotes (doubled) or line breaks, CRLF or LF line ends, a final line break
/// or not. Empty lines are skipped. The first record names the columns; names are trimmed and must be
/// unique and non-empty. Every record must have as many fields as the header.
/// </para>
/// <para>
/// Feature and regression-target values are numbers in the invariant culture (<c>.</c> as decimal point,
/// exponents such as <c>1e-3</c>, no thousands separators), with spaces around them allowed; an empty field,
/// NaN, infinity and values beyond the float range are errors. Class labels are whole numbers ≥ 0 (written
/// <c>2</c> or <c>2.0</c>); the class count is the largest label + 1, and every class below it must have at
/// least one row (a class with no rows usually means the labels are numbered from 1, or a class was lost
/// while preparing the file).
/// </para>
/// <para>
/// Every problem with the file is a <see cref="DataFormatException"/> whose message names the file, the
/// line the offending field starts on and the column.
/// </para>
/// </summary>
public static class CsvDataLoader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Loads the CSV file at <paramref name="path"/>; the data set is named after the file, without its extension.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="DataFormatException">The file is not a valid data set; the message says where and why.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static Dataset Load(string path, CsvLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new CsvLoadOptions();
        options.Validate();
        if (!File.Exists(path))
            throw new FileNotFoundException($"There is no CSV file at '{path}'.", path);
        using var reader = new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader, path, options);
    }

    /// <summary>
    /// Reads CSV text from <paramref name="reader"/>. <paramref name="sourceName"/> stands for the file in
    /// error messages and, without its extension, names the data set.
    /// </summary>
    /// <exception cref="DataFormatException">The text is not a valid data set; the message says where and why.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static Dataset Parse(TextReader reader, string sourceName, CsvLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        options ??= new CsvLoadOptions();
        options.Validate();

        var tokenizer = new CsvTokenizer(reader, sourceName);
        var fields = new List<string>();
        var fieldLines = new List<int>();
        if (!tokenizer.ReadRecord(fields, fieldLines))
            throw new DataFormatException(sourceName, null, null, $"the file is empty; it needs a header row naming the columns (e.g. 'x1,x2,{options.LabelColumn}') and then one row per sample.");
        int headerLine = fieldLines[0];
        string[] columns = ReadHeader(sourceName, fields, fieldLines);
        tokenizer.ColumnNames = columns;
        int labelIndex = Array.IndexOf(columns, options.LabelColumn);
        if (labelIndex < 0)
            throw new DataFormatException(sourceName, headerLine, options.LabelColumn,
                $"there is no such column; the columns are {List(columns)}. Name the label column in CsvLoadOptions.LabelColumn.");
        int[] featureIndices = FeatureIndices(sourceName, headerLine, columns, labelIndex, options);

        var features = new List<float>();
        var labels = new List<int>();
        var targets = new List<float>();
        var firstLineOfClass = new Dictionary<int, int>();
        while (tokenizer.ReadRecord(fields, fieldLines))
        {
            if (fields.Count != columns.Length)
                throw FieldCountError(sourceName, fieldLines, columns);
            foreach (int f in featureIndices)
                features.Add(ParseNumber(sourceName, fieldLines[f], columns[f], fields[f], "value"));
            if (options.Task == TaskKind.Regression)
            {
                targets.Add(ParseNumber(sourceName, fieldLines[labelIndex], columns[labelIndex], fields[labelIndex], "target"));
            }
            else
            {
                int label = ParseLabel(sourceName, fieldLines[labelIndex], columns[labelIndex], fields[labelIndex]);
                labels.Add(label);
                firstLineOfClass.TryAdd(label, fieldLines[labelIndex]);
            }
        }

        int rows = options.Task == TaskKind.Regression ? targets.Count : labels.Count;
        if (rows == 0)
            throw new DataFormatException(sourceName, null, null, $"the file has a header (line {headerLine.ToString(CultureInfo.InvariantCulture)}) but no data rows.");
        string name = DatasetName(sourceName);
        string[] featureNames = featureIndices.Select(f => columns[f]).ToArray();
        if (options.Task == TaskKind.Regression)
            return Dataset.ForRegression(name, featureIndices.Length, features.ToArray(), targets.ToArray(), featureNames, columns[labelIndex]);
        int classCount = ClassCount(sourceName, columns[labelIndex], firstLineOfClass);
        return Dataset.ForClassification(name, featureIndices.Length, features.ToArray(), labels.ToArray(), classCount, featureNames, columns[labelIndex]);
    }

    private static string[] ReadHeader(string sourceName, List<string> fields, List<int> fieldLines)
    {
        var columns = new string[fields.Count];
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < columns.Length; i++)
        {
            string column = fields[i].Trim();
            if (column.Length == 0)
                throw new DataFormatException(sourceName, fieldLines[i], null,
                    $"header field {Number(i + 1)} is empty; every column needs a name.");
            if (!firstIndex.TryAdd(column, i))
                throw new DataFormatException(sourceName, fieldLines[i], column,
                    $"the column name appears twice in the header (fields {Number(firstIndex[column] + 1)} and {Number(i + 1)}); column names must be unique.");
            columns[i] = column;
        }
        return columns;
    }

    private static int[] FeatureIndices(string sourceName, int headerLine, string[] columns, int labelIndex, CsvLoadOptions options)
    {
        if (options.FeatureColumns is null)
        {
            if (columns.Length == 1)
                throw new DataFormatException(sourceName, headerLine, null,
                    $"the only column is the label column '{columns[labelIndex]}'; a data set needs at least one feature column.");
            return Enumerable.Range(0, columns.Length).Where(i => i != labelIndex).ToArray();
        }
        var indices = new int[options.FeatureColumns.Count];
        for (int i = 0; i < indices.Length; i++)
        {
            string feature = options.FeatureColumns[i];
            indices[i] = Array.IndexOf(columns, feature);
            if (indices[i] < 0)
                throw new DataFormatException(sourceName, headerLine, feature,
                    $"CsvLoadOptions.FeatureColumns names this column but the file has no such column; the columns are {List(columns)}.");
        }
        return indices;
    }

    private static DataFormatException FieldCountError(string sourceName, List<int> fieldLines, string[] columns)
    {
        int count = fieldLines.Count;
        if (count < columns.Length)
            return new DataFormatException(sourceName, fieldLines[^1], columns[count],
                $"the row has {Number(count)} field{(count == 1 ? "" : "s")} but the header has {Number(columns.Length)} columns, so this column and those after it are missing. Check for a missing comma or an unquoted line break.");
        return new DataFormatException(sourceName, fieldLines[columns.Length], null,
            $"the row has {Number(count)} fields but the header has {Number(columns.Length)} columns; field {Number(columns.Length + 1)} and those after it have no column. Quote fields that contain commas.");
    }

    private static float ParseNumber(string sourceName, int line, string column, string text, string what)
    {
        ReadOnlySpan<char> trimmed = text.AsSpan().Trim();
        if (trimmed.IsEmpty)
            throw new DataFormatException(sourceName, line, column, $"the {what} is missing (the field is empty).");
        if (!float.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
            throw new DataFormatException(sourceName, line, column,
                $"'{Shorten(trimmed)}' is not a number; write numbers like 1.5, -2 or 3e-4, with '.' as the decimal point and no thousands separators.");
        if (!float.IsFinite(value))
            throw new DataFormatException(sourceName, line, column, NonFiniteDetail(trimmed, value));
        return value;
    }

    private static int ParseLabel(string sourceName, int line, string column, string text)
    {
        ReadOnlySpan<char> trimmed = text.AsSpan().Trim();
        if (trimmed.IsEmpty)
            throw new DataFormatException(sourceName, line, column, "the label is missing (the field is empty).");
        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new DataFormatException(sourceName, line, column,
                $"label '{Shorten(trimmed)}' is not a number; class labels are the whole numbers 0, 1, 2, ...");
        if (!double.IsFinite(value))
            throw new DataFormatException(sourceName, line, column, NonFiniteDetail(trimmed, value));
        if (value != Math.Floor(value))
            throw new DataFormatException(sourceName, line, column,
                $"label '{Shorten(trimmed)}' is not a whole number; class labels are 0, 1, 2, ... (for real-valued targets use TaskKind.Regression).");
        if (value < 0)
            throw new DataFormatException(sourceName, line, column,
                $"label '{Shorten(trimmed)}' is negative; class labels are 0, 1, 2, ...");
        if (value >= int.MaxValue)
            throw new DataFormatException(sourceName, line, column,
                $"label '{Shorten(trimmed)}' is too large; class labels are 0, 1, 2, ... up to the number of classes − 1.");
        return (int)value;
    }

    private static int ClassCount(string sourceName, string labelColumn, Dictionary<int, int> firstLineOfClass)
    {
        int largest = firstLineOfClass.Keys.Max();
        if (largest == 0)
            throw new DataFormatException(sourceName, null, labelColumn, "every row has label 0; classification needs at least two classes (labels 0 and 1).");
        // Fewer distinct labels than largest + 1 means a gap, and the first gap is at most the number of distinct labels.
        for (int label = 0; label < largest; label++)
        {
            if (!firstLineOfClass.ContainsKey(label))
                throw new DataFormatException(sourceName, null, labelColumn,
                    $"class {Number(label)} has no rows. The class count is the largest label + 1 ({Number(largest + 1)}, from label {Number(largest)} on line {Number(firstLineOfClass[largest])}), and every class 0..{Number(largest)} needs at least one row; renumber the labels from 0 without gaps.");
        }
        return largest + 1;
    }

    private static string NonFiniteDetail(ReadOnlySpan<char> text, double value) =>
        double.IsNaN(value) || text.Contains("inf", StringComparison.OrdinalIgnoreCase) || text.Contains('∞')
            ? $"'{Shorten(text)}' is not a finite number; NaN and infinity are not allowed in a data set."
            : $"'{Shorten(text)}' is beyond the float range (about ±3.4e38).";

    private static string DatasetName(string sourceName)
    {
        string name = Path.GetFileNameWithoutExtension(sourceName);
        return name.Length == 0 ? sourceName : name;
    }

    private static string List(string[] columns) => string.Join(", ", columns.Select(c => "'" + c + "'"));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Keeps messages readable when a field holds a whole paragraph (a missing closing quote elsewhere, binary junk).</summary>
    private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..37], "...");
}
