using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace HiddenSpace;

/// <summary>
/// Loads a CSV file with a header row into a <see cref="Dataset"/>.
/// <para>
/// The text is RFC 4180 CSV: comma-separated fields, double quotes around fields that hold commas, quotes
/// (doubled) or line breaks, CRLF, LF or CR line ends, a final line break or not. Empty lines are skipped. A file
/// is UTF-8 unless a byte order mark says UTF-16 or UTF-32, or its zero bytes show UTF-16 or UTF-32 without
/// one; invalid bytes are an error. The first record names the columns; names are trimmed and must be
/// unique and non-empty. Every record must have as many fields as the header.
/// </para>
/// <para>
/// Feature and regression-target values are numbers in the invariant culture (<c>.</c> as decimal point,
/// exponents such as <c>1e-3</c>, no thousands separators), with spaces around them allowed; an empty field,
/// NaN, infinity and values beyond the float range are errors. Class labels are either whole numbers ≥ 0
/// (written <c>2</c> or <c>2.0</c>), the class count then being the largest label + 1 with every class below it
/// needing at least one row (a class with no rows usually means the labels are numbered from 1, or a class was
/// lost while preparing the file), or names (text that is not a number, such as <c>yes</c>/<c>no</c> or
/// <c>setosa</c>, and not a missing-value marker of <see cref="CsvLoadOptions.SkipRowsWithMissingValues"/>), each a class, numbered in ordinal order of the names (<see cref="Dataset.ClassNames"/>); the
/// first label decides which, and a column that mixes the two is an error.
/// </para>
/// <para>
/// Every problem with the file is a <see cref="DataFormatException"/> whose message names the file, the
/// line the offending field starts on and the column. The whole file is held in memory (about 4 bytes per
/// value); <see cref="CsvDataStream"/> reads files of any size in passes instead, with the same rules.
/// </para>
/// </summary>
public static class CsvDataLoader
{
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
        using CsvRecordReader records = CsvRecordReader.Open(path);
        return Read(records, options);
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
        using var records = new CsvRecordReader(reader, sourceName);
        return Read(records, options);
    }

    private static Dataset Read(CsvRecordReader records, CsvLoadOptions options)
    {
        CsvSchema schema = CsvSchema.Read(records, options);
        int width = schema.FeatureIndices.Length;
        var features = new List<float>();
        var row = new float[width];
        var labels = new List<int>();
        var targets = new List<float>();
        var classes = new ClassTally();
        List<int>? sourceRows = null; // once a row is skipped: the file row of each row kept
        int fileRow = -1;
        while (records.Read())
        {
            schema.CheckFieldCount(records);
            fileRow++;
            if (schema.SkipsMissing && schema.HasMissingValue(records))
            {
                sourceRows ??= [.. Enumerable.Range(0, fileRow)];
                continue;
            }
            sourceRows?.Add(fileRow);
            schema.ReadFeatures(records, row);
            features.AddRange(row);
            if (options.Task == TaskKind.Regression)
            {
                targets.Add(schema.ReadTarget(records));
            }
            else
            {
                int label = schema.ReadLabel(records);
                labels.Add(label);
                classes.Add(label, records, schema.LabelIndex);
            }
        }

        int rows = options.Task == TaskKind.Regression ? targets.Count : labels.Count;
        if (rows == 0)
            throw schema.NoRowsError(skipped: fileRow + 1);
        Dataset data = Build(schema, options, width, features, labels, targets, classes);
        return sourceRows is null ? data : data.WithSourceRows([.. sourceRows]);
    }

    private static Dataset Build(CsvSchema schema, CsvLoadOptions options, int width, List<float> features, List<int> labels, List<float> targets, ClassTally classes)
    {
        if (options.Task == TaskKind.Regression)
            return Dataset.ForRegression(schema.DatasetName, width, features.ToArray(), targets.ToArray(), schema.FeatureNames, schema.LabelName);
        int[] labelArray = labels.ToArray();
        if (schema.TakeClassNames() is not var (names, newClass))
            return Dataset.ForClassification(schema.DatasetName, width, features.ToArray(), labelArray, classes.ClassCount(schema.SourceName, schema.LabelName),
                schema.FeatureNames, schema.LabelName);
        for (int r = 0; r < labelArray.Length; r++) labelArray[r] = newClass[labelArray[r]];
        return Dataset.ForClassification(schema.DatasetName, width, features.ToArray(), labelArray, names.Length, schema.FeatureNames, schema.LabelName, names);
    }
}
