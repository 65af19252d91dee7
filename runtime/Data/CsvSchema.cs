using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace HiddenSpace;

/// <summary>
/// The columns of a CSV data file, read from its header, and the parsing of one data record into features and
/// a label or target: what <see cref="CsvDataLoader"/> (in memory) and <see cref="CsvDataStream"/> (streamed)
/// share, so both accept the same files and report the same errors.
/// </summary>
internal sealed class CsvSchema
{
    /// <summary>Different names a label column may hold: far more classes than a classifier here trains, few enough that a column of row ids fails early.</summary>
    internal const int MaxClassNames = 65_536;

    private enum LabelForm { Unknown, Numbers, Names }

    private LabelForm _labelForm;
    private string _firstLabel = "";
    private int _firstLabelLine;
    private Dictionary<string, int>? _classes; // the names' classes when the labels are names
    private bool _namesFixed;
    private long _records; // data records read so far (the current one included)

    private CsvSchema(string sourceName, string[] columns, int headerLine, int labelIndex, int[] featureIndices, TaskKind task, bool skipMissing)
    {
        SkipsMissing = skipMissing;
        SourceName = sourceName;
        Columns = columns;
        HeaderLine = headerLine;
        LabelIndex = labelIndex;
        FeatureIndices = featureIndices;
        Task = task;
        FeatureNames = featureIndices.Select(f => columns[f]).ToArray();
    }

    /// <summary>The file or source name used in messages.</summary>
    public string SourceName { get; }

    /// <summary>Every column name, in file order.</summary>
    public string[] Columns { get; }

    /// <summary>The line the header is on.</summary>
    public int HeaderLine { get; }

    /// <summary>Index of the label (or target) column.</summary>
    public int LabelIndex { get; }

    /// <summary>Indices of the feature columns, in the order the network takes them.</summary>
    public int[] FeatureIndices { get; }

    /// <summary>Names of the feature columns, in the order the network takes them.</summary>
    public string[] FeatureNames { get; }

    /// <summary>Name of the label (or target) column.</summary>
    public string LabelName => Columns[LabelIndex];

    /// <summary>Class labels or regression targets.</summary>
    public TaskKind Task { get; }

    /// <summary>The data set's name: the file name without its extension.</summary>
    public string DatasetName
    {
        get
        {
            string name = Path.GetFileNameWithoutExtension(SourceName);
            return name.Length == 0 ? SourceName : name;
        }
    }

    /// <summary>Reads the header record and resolves the label and feature columns.</summary>
    /// <exception cref="DataFormatException">The text is empty, the header is invalid, or a named column is missing.</exception>
    public static CsvSchema Read(CsvRecordReader records, CsvLoadOptions options)
    {
        string sourceName = records.SourceName;
        if (!records.Read())
            throw new DataFormatException(sourceName, null, null, $"the file is empty; it needs a header row naming the columns (e.g. 'x1,x2,{options.LabelColumn}') and then one row per sample.");
        int headerLine = records.Line;
        // Before the names' own checks: a first row of numbers often repeats one (0,0,1).
        if (IsAllNumbers(records) && options.LabelColumn is var label && !IsNumber(label))
            throw new DataFormatException(sourceName, headerLine, null,
                $"the first row ({Shorten(string.Join(",", Enumerable.Range(0, records.FieldCount).Select(i => records.Field(i).Trim().ToString())))}) holds numbers, not column names: the file seems to have no header row. Add one naming the columns, such as '{ExampleHeader(records.FieldCount, label)}'.");
        var columns = new string[records.FieldCount];
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < columns.Length; i++)
        {
            string column = records.Field(i).Trim().ToString();
            if (column.Length == 0)
                throw new DataFormatException(sourceName, records.FieldLine(i), null,
                    $"header field {Number(i + 1)} is empty; every column needs a name.");
            if (!firstIndex.TryAdd(column, i))
                throw new DataFormatException(sourceName, records.FieldLine(i), column,
                    $"the column name appears twice in the header (fields {Number(firstIndex[column] + 1)} and {Number(i + 1)}); column names must be unique.");
            columns[i] = column;
        }
        records.ColumnNames = columns;
        int labelIndex = Array.IndexOf(columns, options.LabelColumn);
        if (labelIndex < 0 && columns.Length == 1 && OtherSeparator(columns[0]) is string separators)
            throw new DataFormatException(sourceName, headerLine, null,
                $"the header is one column, '{Shorten(columns[0])}': the file looks separated by {separators}, not commas. Save it as comma-separated values (RFC 4180), with '.' as the decimal point.");
        if (labelIndex < 0)
            throw new DataFormatException(sourceName, headerLine, options.LabelColumn,
                $"there is no such column; the columns are {List(columns)}.",
                problem: DataFormatProblem.MissingLabelColumn, fix: "Name the label column in CsvLoadOptions.LabelColumn.");
        return new CsvSchema(sourceName, columns, headerLine, labelIndex, ResolveFeatures(sourceName, headerLine, columns, labelIndex, options), options.Task,
            options.SkipRowsWithMissingValues);
    }

    /// <summary>The error for a file with a header and no data rows.</summary>
    public DataFormatException NoRowsError(long skipped = 0) =>
        new(SourceName, null, null, skipped == 0
            ? $"the file has a header (line {HeaderLine.ToString(CultureInfo.InvariantCulture)}) but no data rows."
            : $"every data row ({skipped.ToString("N0", CultureInfo.InvariantCulture)}) has a missing value, so none is left.");

    /// <summary>Whether rows with a missing value are left out (<see cref="CsvLoadOptions.SkipRowsWithMissingValues"/>).</summary>
    public bool SkipsMissing { get; }

    /// <summary>Whether the current record has a missing value (<see cref="CsvLoadOptions.SkipRowsWithMissingValues"/>) in the label or a feature column.</summary>
    public bool HasMissingValue(CsvRecordReader records)
    {
        if (IsMissing(records.Field(LabelIndex).Trim())) return true;
        foreach (int f in FeatureIndices)
            if (IsMissing(records.Field(f).Trim())) return true;
        return false;
    }

    private static bool IsMissing(ReadOnlySpan<char> field) => field.Length switch
    {
        0 => true,
        1 => field[0] == '?',
        2 => field.Equals("NA", StringComparison.OrdinalIgnoreCase),
        3 => field.Equals("N/A", StringComparison.OrdinalIgnoreCase) || field.Equals("NaN", StringComparison.OrdinalIgnoreCase),
        4 => field.Equals("#N/A", StringComparison.OrdinalIgnoreCase) || field.Equals("null", StringComparison.OrdinalIgnoreCase) || field.Equals("None", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>Throws unless the current record has one field per column.</summary>
    public void CheckFieldCount(CsvRecordReader records)
    {
        _records++;
        int count = records.FieldCount;
        if (count == Columns.Length) return;
        if (count < Columns.Length)
            throw new DataFormatException(SourceName, records.FieldLine(count - 1), Columns[count],
                $"the row has {Number(count)} field{(count == 1 ? "" : "s")} but the header has {Number(Columns.Length)} columns, so this column and those after it are missing. Check for a missing comma or an unquoted line break.");
        throw new DataFormatException(SourceName, records.FieldLine(Columns.Length), null,
            $"the row has {Number(count)} fields but the header has {Number(Columns.Length)} columns; field {Number(Columns.Length + 1)} and those after it have no column. Quote fields that contain commas.");
    }

    /// <summary>Parses the feature fields of the current record into <paramref name="destination"/> (one value per feature).</summary>
    public void ReadFeatures(CsvRecordReader records, Span<float> destination)
    {
        for (int f = 0; f < FeatureIndices.Length; f++)
            destination[f] = ReadNumber(records, FeatureIndices[f], "value");
    }

    /// <summary>The regression target of the current record.</summary>
    public float ReadTarget(CsvRecordReader records) => ReadNumber(records, LabelIndex, "target");

    /// <summary>
    /// The class of the current record. A label column holds either whole numbers ≥ 0, which are the classes, or
    /// names (any text that is not a number, e.g. <c>yes</c>/<c>no</c> or <c>setosa</c>), which the first label decides;
    /// a name gets the next free class as it first appears, until <see cref="TakeClassNames"/> orders them.
    /// </summary>
    public int ReadLabel(CsvRecordReader records)
    {
        ReadOnlySpan<char> trimmed = records.Field(LabelIndex).Trim();
        if (_labelForm == LabelForm.Numbers && trimmed.Length is > 0 and < 10 && int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out int whole))
            return whole;
        // A name seen before needs no check that it is not a number.
        if (_labelForm == LabelForm.Names && _classes!.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(trimmed, out int known))
            return known;
        return ParseLabel(records, trimmed);
    }

    /// <summary>
    /// The class names in class order when the label column holds names (null when it holds numbers), sorted by
    /// ordinal comparison so that the classes do not depend on the rows' order (a binary <c>no</c>/<c>yes</c>
    /// column makes <c>yes</c> class 1, the class a single sigmoid output scores); and for each class handed out
    /// while reading, the class it becomes. The schema reads the names' classes from then on.
    /// </summary>
    /// <exception cref="DataFormatException">Every row has the same name: classification needs two classes.</exception>
    public (string[] Names, int[] NewClass)? TakeClassNames()
    {
        if (_classes is null) return null;
        string[] names = [.. _classes.Keys];
        if (names.Length < 2)
            throw new DataFormatException(SourceName, null, LabelName,
                $"every row has label '{Shorten(names[0])}'; classification needs at least two classes (two different labels).");
        Array.Sort(names, StringComparer.Ordinal);
        var newClass = new int[names.Length];
        for (int c = 0; c < names.Length; c++) newClass[_classes[names[c]]] = c;
        UseClassNames(names);
        return (names, newClass);
    }

    /// <summary>Reads the label column as the names of <paramref name="names"/>, name c being class c (a later pass over a file whose first pass found them).</summary>
    public void UseClassNames(string[] names)
    {
        _classes = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++) _classes.Add(names[c], c);
        _labelForm = LabelForm.Names;
        _namesFixed = true;
    }

    private int ParseLabel(CsvRecordReader records, ReadOnlySpan<char> trimmed)
    {
        // The markers are missing labels, never names: a name column with '?' for unknown rows gets no class '?'.
        if (IsMissing(trimmed))
            throw MissingValue(records, LabelIndex, trimmed.IsEmpty ? "the label is missing (the field is empty)." : $"'{trimmed}' marks a missing label.");
        bool isNumber = double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double value);
        if (_labelForm == LabelForm.Unknown)
        {
            _labelForm = isNumber ? LabelForm.Numbers : LabelForm.Names;
            (_firstLabel, _firstLabelLine) = (trimmed.ToString(), records.FieldLine(LabelIndex));
        }
        if (_labelForm == LabelForm.Names)
        {
            if (isNumber)
                throw Error(records, LabelIndex, $"label '{Shorten(trimmed)}' is a number, but the labels are names (the first, on line {Number(_firstLabelLine)}, is '{Shorten(_firstLabel)}'); a label column holds either names or the whole numbers 0, 1, 2, ..., not both.");
            return ClassOfName(records, trimmed);
        }
        if (!isNumber)
            throw Error(records, LabelIndex, $"label '{Shorten(trimmed)}' is not a number, but the labels are numbers (the first, on line {Number(_firstLabelLine)}, is '{Shorten(_firstLabel)}'); a label column holds either the whole numbers 0, 1, 2, ... or names, not both.");
        if (!double.IsFinite(value))
            throw Error(records, LabelIndex, NonFiniteDetail(trimmed, value));
        if (value != Math.Floor(value))
            throw new DataFormatException(SourceName, records.FieldLine(LabelIndex), Columns[LabelIndex],
                $"label '{Shorten(trimmed)}' is not a whole number; class labels are 0, 1, 2, ...",
                problem: DataFormatProblem.FractionalLabel, fix: "For real-valued targets use TaskKind.Regression.");
        if (value < 0)
            throw Error(records, LabelIndex, $"label '{Shorten(trimmed)}' is negative; class labels are 0, 1, 2, ...");
        if (value >= int.MaxValue)
            throw Error(records, LabelIndex, $"label '{Shorten(trimmed)}' is too large; class labels are 0, 1, 2, ... up to the number of classes − 1.");
        return (int)value;
    }

    /// <summary>The class of a name not seen before (<see cref="ReadLabel"/> looks up the others).</summary>
    private int ClassOfName(CsvRecordReader records, ReadOnlySpan<char> name)
    {
        _classes ??= new Dictionary<string, int>(StringComparer.Ordinal);
        if (_namesFixed)
            throw Error(records, LabelIndex, $"label '{Shorten(name)}' was not in the file when it was first read; run again on a file that stays put.");
        if (_classes.Count == MaxClassNames)
            throw Error(records, LabelIndex, $"label '{Shorten(name)}' is the {Number(MaxClassNames + 1)}th different name in the column; a label column names the classes (e.g. 'yes' and 'no'), so this is likely not the label column.");
        _classes.Add(name.ToString(), _classes.Count);
        return _classes.Count - 1;
    }

    private float ReadNumber(CsvRecordReader records, int index, string what)
    {
        ReadOnlySpan<char> trimmed = records.Field(index).Trim();
        if (CsvNumber.TryParse(trimmed, out float value) && float.IsFinite(value)) return value;
        if (IsMissing(trimmed))
            throw MissingValue(records, index, trimmed.IsEmpty ? $"the {what} is missing (the field is empty)." : $"'{trimmed}' marks a missing {what}.");
        if (!float.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            string detail = $"'{Shorten(trimmed)}' is not a number; write numbers like 1.5, -2 or 3e-4, with '.' as the decimal point and no thousands separators.";
            // Text in the first row of a feature column: most likely a column of ids or names rather than a typo.
            throw _records == 1 && index != LabelIndex ? TextInFirstRow(records, index, detail) : Error(records, index, detail);
        }
        throw Error(records, index, NonFiniteDetail(trimmed, value));
    }

    /// <summary>
    /// The error for text in feature column <paramref name="index"/> of the first row, naming every feature column whose
    /// first field is text. A method of its own: its lambda's capture would otherwise cost ReadNumber an allocation a call.
    /// </summary>
    private DataFormatException TextInFirstRow(CsvRecordReader records, int index, string detail)
    {
        string[] text = [.. FeatureIndices.Where(f => IsText(records.Field(f).Trim())).Select(f => Columns[f])];
        string others = text.Length == 1 ? "" : $" The first row has text in {Number(text.Length)} feature columns: {List(text)}.";
        return new DataFormatException(SourceName, records.FieldLine(index), Columns[index], detail + others,
            problem: DataFormatProblem.TextInFeatureColumn, columns: text,
            fix: text.Length == 1 ? "If the column is not a feature, leave it out with CsvLoadOptions.IgnoredColumns." : "If they are not features, leave them out with CsvLoadOptions.IgnoredColumns.");
    }

    /// <summary>A field that is neither a number nor missing (empty or a marker such as NA).</summary>
    private static bool IsText(ReadOnlySpan<char> field) => !IsMissing(field) && !IsNumber(field);

    private static bool IsAllNumbers(CsvRecordReader records)
    {
        for (int i = 0; i < records.FieldCount; i++)
            if (!IsNumber(records.Field(i).Trim())) return false;
        return true;
    }

    private static bool IsNumber(ReadOnlySpan<char> field) =>
        CsvNumber.TryParse(field, out _) || float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>"x1,x2,label" for <paramref name="columns"/> columns, the last the label (four features and more shortened with "...").</summary>
    private static string ExampleHeader(int columns, string label) =>
        (columns <= 4 ? string.Concat(Enumerable.Range(1, columns - 1).Select(i => $"x{Number(i)},")) : $"x1,x2,...,x{Number(columns - 1)},") + label;

    private DataFormatException MissingValue(CsvRecordReader records, int index, string detail) =>
        new(SourceName, records.FieldLine(index), Columns[index], detail,
            problem: DataFormatProblem.MissingValue, fix: "To leave out the rows with a missing value, set CsvLoadOptions.SkipRowsWithMissingValues.");

    private DataFormatException Error(CsvRecordReader records, int index, string detail) =>
        new(SourceName, records.FieldLine(index), Columns[index], detail);

    private static int[] ResolveFeatures(string sourceName, int headerLine, string[] columns, int labelIndex, CsvLoadOptions options)
    {
        if (options.FeatureColumns is null)
        {
            if (columns.Length == 1)
                throw new DataFormatException(sourceName, headerLine, null,
                    $"the only column is the label column '{columns[labelIndex]}'; a data set needs at least one feature column.");
            IReadOnlyList<string> ignored = options.IgnoredColumns ?? [];
            foreach (string column in ignored)
                if (Array.IndexOf(columns, column) < 0)
                    throw new DataFormatException(sourceName, headerLine, column,
                        $"the options leave this column out but the file has no such column; the columns are {List(columns)}.",
                        problem: DataFormatProblem.MissingIgnoredColumn, fix: "Check CsvLoadOptions.IgnoredColumns.");
            int[] features = Enumerable.Range(0, columns.Length).Where(i => i != labelIndex && !ignored.Contains(columns[i])).ToArray();
            if (features.Length == 0)
                throw new DataFormatException(sourceName, headerLine, null,
                    $"every column but the label column '{columns[labelIndex]}' is left out; a data set needs at least one feature column.");
            return features;
        }
        var indices = new int[options.FeatureColumns.Count];
        for (int i = 0; i < indices.Length; i++)
        {
            string feature = options.FeatureColumns[i];
            indices[i] = Array.IndexOf(columns, feature);
            if (indices[i] < 0)
                throw new DataFormatException(sourceName, headerLine, feature,
                    $"the options name this feature column but the file has no such column; the columns are {List(columns)}.",
                    fix: "Check CsvLoadOptions.FeatureColumns.");
        }
        return indices;
    }

    /// <summary>What a one-column header is separated by when it holds another common separator (a semicolon or tab export), or null.</summary>
    private static string? OtherSeparator(string header) =>
        header.Contains(';') ? "semicolons" : header.Contains('\t') ? "tabs" : header.Contains('|') ? "vertical bars" : null;

    private static string NonFiniteDetail(ReadOnlySpan<char> text, double value) =>
        double.IsNaN(value) || text.Contains("inf", StringComparison.OrdinalIgnoreCase) || text.Contains('∞')
            ? $"'{Shorten(text)}' is not a finite number; NaN and infinity are not allowed in a data set."
            : $"'{Shorten(text)}' is beyond the float range (about ±3.4e38).";

    private static string List(string[] columns) => string.Join(", ", columns.Select(c => "'" + c + "'"));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Keeps messages readable when a field holds a whole paragraph (a missing closing quote elsewhere, binary junk).</summary>
    private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..37], "...");
}

/// <summary>
/// The classes seen while reading a label column: how many rows each has and the line of its first row, and the
/// class count they imply (the largest label + 1, with every class below it present).
/// </summary>
internal sealed class ClassTally
{
    private const int CountedDirectly = 1024; // labels below this are counted in an array: one row costs no hashing
    private readonly long[] _small = new long[CountedDirectly];
    private readonly Dictionary<int, long> _rows = [];
    private readonly Dictionary<int, int> _firstLine = [];

    /// <summary>Counts the label of the current record of <paramref name="records"/>, whose label field is <paramref name="labelIndex"/>.</summary>
    public void Add(int label, CsvRecordReader records, int labelIndex)
    {
        if (label < CountedDirectly && _small[label]++ > 0) return;
        if (_rows.TryGetValue(label, out long rows))
        {
            _rows[label] = rows + 1;
            return;
        }
        _rows[label] = 1;
        _firstLine[label] = records.FieldLine(labelIndex);
    }

    /// <summary>Rows per class, indexed by label, for <paramref name="classCount"/> classes.</summary>
    public long[] RowsPerClass(int classCount)
    {
        var rows = new long[classCount];
        foreach ((int label, long count) in _rows) rows[label] = label < CountedDirectly ? _small[label] : count;
        return rows;
    }

    /// <summary>The number of classes: the largest label + 1.</summary>
    /// <exception cref="DataFormatException">There is only class 0, or a class below the largest label has no rows.</exception>
    public int ClassCount(string sourceName, string labelColumn)
    {
        int largest = _rows.Keys.Max();
        if (largest == 0)
            throw new DataFormatException(sourceName, null, labelColumn, "every row has label 0; classification needs at least two classes (labels 0 and 1).");
        // Fewer distinct labels than largest + 1 means a gap, and the first gap is at most the number of distinct labels.
        for (int label = 0; label < largest; label++)
        {
            if (!_rows.ContainsKey(label))
                throw new DataFormatException(sourceName, null, labelColumn,
                    $"class {Number(label)} has no rows. The class count is the largest label + 1 ({Number(largest + 1)}, from label {Number(largest)} on line {Number(_firstLine[largest])}), and every class 0..{Number(largest)} needs at least one row; renumber the labels from 0 without gaps.");
        }
        return largest + 1;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
