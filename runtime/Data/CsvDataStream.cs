using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;

namespace HiddenSpace;

/// <summary>
/// A CSV data set that stays on disk: it is read in passes, one record at a time, so a file of any size fits in a
/// fixed amount of memory. <see cref="Open"/> reads the header and checks every row with the rules of
/// <see cref="CsvDataLoader"/> (same errors, same messages), counting the rows of each class;
/// <see cref="Split"/> then makes the train/test split and its statistics (<see cref="StreamedSplit"/>), which
/// <see cref="Trainer"/> and <see cref="BottleneckExperiment"/> train on.
/// </summary>
public sealed class CsvDataStream
{
    private readonly CsvLoadOptions _options;
    private readonly DateTime _lastWrite;

    private CsvDataStream(string path, CsvLoadOptions options, CsvSchema schema, string encoding, long bytes, DateTime lastWrite,
        RowCount rows, long[] rowsPerClass, int classCount, string[]? classNames)
    {
        long count = rows.Kept;
        SkippedRows = rows.Skipped;
        FirstSkippedLine = rows.FirstSkippedLine;
        Path = path;
        _options = options;
        _lastWrite = lastWrite;
        Name = schema.DatasetName;
        Encoding = encoding;
        Bytes = bytes;
        Task = options.Task;
        FeatureNames = schema.FeatureNames;
        TargetName = schema.LabelName;
        Count = count;
        RowsPerClass = rowsPerClass;
        ClassCount = classCount;
        ClassNames = classNames;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The data set's name: the file name without its extension.</summary>
    public string Name { get; }

    /// <summary>The text encoding found (e.g. "UTF-8", "UTF-16LE without byte order mark").</summary>
    public string Encoding { get; }

    /// <summary>The file's size in bytes.</summary>
    public long Bytes { get; }

    /// <summary>Classification or regression.</summary>
    public TaskKind Task { get; }

    /// <summary>Number of feature columns.</summary>
    public int FeatureCount => FeatureNames.Count;

    /// <summary>Names of the feature columns, in the order the network takes them.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Name of the label or target column.</summary>
    public string TargetName { get; }

    /// <summary>Number of data rows (without those <see cref="SkippedRows"/> counts).</summary>
    public long Count { get; }

    /// <summary>Rows left out for a missing value (<see cref="CsvLoadOptions.SkipRowsWithMissingValues"/>); 0 otherwise.</summary>
    public long SkippedRows { get; }

    /// <summary>The line of the first row left out for a missing value, or null when none was.</summary>
    public int? FirstSkippedLine { get; }

    /// <summary>Number of classes (0 for regression).</summary>
    public int ClassCount { get; }

    /// <summary>The classes' names in class order when the label column holds names (see <see cref="CsvDataLoader"/>); null otherwise.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Rows of each class (one entry, every row, for regression).</summary>
    public IReadOnlyList<long> RowsPerClass { get; }

    /// <summary>The feature column names of the CSV file at <paramref name="path"/>, from its header alone (to check a network's size before reading the file).</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="DataFormatException">The header is invalid or lacks a column the options name.</exception>
    public static IReadOnlyList<string> ReadFeatureNames(string path, CsvLoadOptions? options = null)
    {
        options = CheckArguments(path, options);
        using CsvRecordReader records = CsvRecordReader.Open(path);
        return CsvSchema.Read(records, options).FeatureNames;
    }

    /// <summary>
    /// Reads the header of the CSV file at <paramref name="path"/> and checks every row (one pass), reporting the
    /// bytes read to <paramref name="progress"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="DataFormatException">The file is not a valid data set; the message says where and why.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static CsvDataStream Open(string path, CsvLoadOptions? options = null, IProgress<PhaseProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options = CheckArguments(path, options);
        var file = new FileInfo(path);
        long bytes = file.Length;
        DateTime lastWrite = file.LastWriteTimeUtc;
        using CsvRecordReader records = CsvRecordReader.Open(path);
        CsvSchema schema = CsvSchema.Read(records, options);
        var tally = new ClassTally();
        RowCount rows = ReadRows(records, schema, null, readTestFeatures: true, tally, static (_, _, _, _, _) => { },
            new PassProgress(RunPhase.Reading, "checking every row", bytes, progress), cancellationToken);
        if (rows.Kept == 0) throw schema.NoRowsError(rows.Skipped);
        if (options.Task == TaskKind.Regression)
            return new CsvDataStream(path, options, schema, records.Encoding ?? CsvEncoding.Utf8, bytes, lastWrite, rows, [rows.Kept], 0, null);
        if (schema.TakeClassNames() is not var (names, newClass))
        {
            int classCount = tally.ClassCount(schema.SourceName, schema.LabelName);
            return new CsvDataStream(path, options, schema, records.Encoding ?? CsvEncoding.Utf8, bytes, lastWrite, rows, tally.RowsPerClass(classCount), classCount, null);
        }
        // The pass counted each name under the class it got when it first appeared.
        long[] firstSeen = tally.RowsPerClass(names.Length), rowsPerClass = new long[names.Length];
        for (int c = 0; c < firstSeen.Length; c++) rowsPerClass[newClass[c]] = firstSeen[c];
        return new CsvDataStream(path, options, schema, records.Encoding ?? CsvEncoding.Utf8, bytes, lastWrite, rows, rowsPerClass, names.Length, names);
    }

    /// <summary>
    /// The train/test split of <see cref="DataSplit.StratifiedSplit"/> (the same rows for the same seed), the
    /// train split's standardisation statistics and samples of both splits: two more passes over the file.
    /// </summary>
    /// <exception cref="ArgumentException">The split leaves a class without training rows or the test set empty, or the options are invalid.</exception>
    /// <exception cref="IOException">The file changed since <see cref="Open"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public StreamedSplit Split(double testFraction, int seed, StreamingOptions? options = null, IProgress<PhaseProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        new(this, testFraction, seed, options ?? new StreamingOptions(), progress, cancellationToken);

    /// <summary>
    /// Called for each data row of a pass (not for rows skipped for a missing value); <paramref name="row"/> is its place
    /// among the file's data rows, <paramref name="features"/> empty for test rows whose features were not read.
    /// </summary>
    internal delegate void RowHandler(long row, bool isTest, ReadOnlySpan<float> features, int label, float target);

    /// <summary>
    /// One pass over the data rows: the split of each row from <paramref name="split"/> (none: every row is a
    /// train row), the features of train rows (and of test rows when <paramref name="readTestFeatures"/>).
    /// </summary>
    /// <exception cref="IOException">The file changed since <see cref="Open"/>.</exception>
    internal long Pass(SplitPlan? split, bool readTestFeatures, RowHandler handle, PassProgress progress, CancellationToken cancellationToken)
    {
        var file = new FileInfo(Path);
        if (!file.Exists || file.Length != Bytes || file.LastWriteTimeUtc != _lastWrite)
            throw Changed();
        using CsvRecordReader records = CsvRecordReader.Open(Path);
        CsvSchema schema = CsvSchema.Read(records, _options);
        if (ClassNames is not null) schema.UseClassNames([.. ClassNames]);
        RowCount rows = ReadRows(records, schema, split?.Start(), readTestFeatures, null, handle, progress, cancellationToken);
        if (rows.Kept != Count || rows.Skipped != SkippedRows) throw Changed();
        return rows.Kept;
    }

    private IOException Changed() =>
        new($"'{Path}' changed while it was being read (it had {Count.ToString(CultureInfo.InvariantCulture)} rows and {Bytes.ToString(CultureInfo.InvariantCulture)} bytes); run again on a file that stays put.");

    // Fully optimised from the first call: a file's first pass is one long loop, run before tiered compilation would get to it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static RowCount ReadRows(CsvRecordReader records, CsvSchema schema, SplitPlan.Cursor? split, bool readTestFeatures, ClassTally? tally,
        RowHandler handle, PassProgress progress, CancellationToken cancellationToken)
    {
        bool classify = schema.Task == TaskKind.Classification;
        var features = new float[schema.FeatureIndices.Length];
        long row = 0, skipped = 0;
        int? firstSkipped = null;
        for (; records.Read(); row++)
        {
            schema.CheckFieldCount(records);
            if ((row & 0x3FFF) == 0x3FFF)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress.Report(records.BytesRead);
                if (row >= int.MaxValue - 1)
                    throw new DataFormatException(schema.SourceName, records.Line, null, $"the file has more than {row.ToString("N0", CultureInfo.InvariantCulture)} rows, the most this reader counts.");
            }
            if (schema.SkipsMissing && schema.HasMissingValue(records))
            {
                skipped++;
                firstSkipped ??= records.FieldLine(0);
                continue;
            }
            int label = classify ? schema.ReadLabel(records) : 0;
            float target = classify ? 0 : schema.ReadTarget(records);
            tally?.Add(label, records, schema.LabelIndex);
            bool isTest = split?.NextIsTest(label) ?? false;
            bool read = !isTest || readTestFeatures;
            if (read) schema.ReadFeatures(records, features);
            handle(row, isTest, read ? features : ReadOnlySpan<float>.Empty, label, target);
        }
        cancellationToken.ThrowIfCancellationRequested();
        progress.Report(records.BytesRead);
        return new RowCount(row - skipped, skipped, firstSkipped);
    }

    /// <summary>A pass's data rows: those read and those left out for a missing value (and the line of the first of these).</summary>
    private readonly record struct RowCount(long Kept, long Skipped, int? FirstSkippedLine);

    private static CsvLoadOptions CheckArguments(string path, CsvLoadOptions? options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new CsvLoadOptions();
        options.Validate();
        if (!File.Exists(path))
            throw new FileNotFoundException($"There is no CSV file at '{path}'.", path);
        return options;
    }

    /// <summary>Reports a file pass's bytes to a progress sink as one phase step.</summary>
    internal readonly struct PassProgress(RunPhase phase, string step, long total, IProgress<PhaseProgress>? sink)
    {
        /// <summary>Reports <paramref name="done"/> bytes.</summary>
        public void Report(long done) => sink?.Report(new PhaseProgress(phase, step, Math.Min(done, total), total, ProgressUnit.Bytes));
    }
}

/// <summary>How a <see cref="StreamedSplit"/> trains and samples.</summary>
public sealed record StreamingOptions
{
    /// <summary>Memory for the shuffle buffer when <see cref="ShuffleBufferRows"/> is not given: 256 MB.</summary>
    public const long DefaultShuffleBufferBytes = 256L << 20;

    /// <summary>Rows per split kept in memory for per-epoch figures and the analysis by default.</summary>
    public const int DefaultSampleRows = 20_000;

    /// <summary>
    /// Training rows held by the shuffle buffer; null for as many as <see cref="DefaultShuffleBufferBytes"/> hold
    /// (features and targets as floats). When the train split fits, training is exactly in-memory training.
    /// </summary>
    public int? ShuffleBufferRows { get; init; }

    /// <summary>Rows of each split kept in memory (a stratified sample when the split is larger) for per-epoch figures and the analysis.</summary>
    public int SampleRows { get; init; } = DefaultSampleRows;

    /// <summary>The training rows the shuffle buffer holds for <paramref name="data"/>: <see cref="ShuffleBufferRows"/>, else as many as <see cref="DefaultShuffleBufferBytes"/> hold.</summary>
    public int BufferRowsFor(CsvDataStream data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int targetWidth = data.ClassCount > 2 ? data.ClassCount : 1;
        return ShuffleBufferRows ?? (int)Math.Clamp(DefaultShuffleBufferBytes / (4L * (data.FeatureCount + targetWidth)), 1, Array.MaxLength);
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (ShuffleBufferRows is < 1)
            throw new ArgumentOutOfRangeException(nameof(ShuffleBufferRows), ShuffleBufferRows, "The shuffle buffer needs at least 1 row.");
        if (SampleRows < 1)
            throw new ArgumentOutOfRangeException(nameof(SampleRows), SampleRows, "The samples need at least 1 row.");
    }
}
