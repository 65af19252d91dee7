using System;
using System.Collections.Generic;
using System.Linq;

namespace HiddenSpace;

/// <summary>Whether a <see cref="Dataset"/> carries class labels or real-valued targets.</summary>
public enum TaskKind
{
    /// <summary>Integer labels 0..ClassCount-1.</summary>
    Classification,
    /// <summary>One real target per row.</summary>
    Regression,
}

/// <summary>
/// Rows of float features (row-major) with either class labels or regression targets. Immutable once
/// built; <see cref="Subset"/> and the transforms return new instances.
/// </summary>
public sealed class Dataset
{
    private readonly float[] _features;
    private readonly int[]? _labels;
    private readonly float[]? _values;
    private readonly int[]? _sourceRows; // null: row i came from row i

    private Dataset(string name, int featureCount, float[] features, int[]? labels, int classCount, float[]? values, IReadOnlyList<string>? featureNames, string? targetName,
        int[]? sourceRows = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(features);
        if (featureCount <= 0)
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "A data set needs at least one feature column.");
        if (features.Length % featureCount != 0)
            throw new ArgumentException($"{features.Length} feature values are not a whole number of rows of {featureCount}.", nameof(features));
        int count = features.Length / featureCount;
        for (int i = 0; i < features.Length; i++)
            if (!float.IsFinite(features[i]))
                throw new ArgumentException($"Feature value at row {i / featureCount}, column {i % featureCount} is {features[i]}; features must be finite.", nameof(features));
        if (labels is not null)
        {
            if (labels.Length != count)
                throw new ArgumentException($"{labels.Length} labels for {count} rows.", nameof(labels));
            if (classCount < 2)
                throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "Classification needs at least 2 classes.");
            for (int i = 0; i < labels.Length; i++)
                if ((uint)labels[i] >= (uint)classCount)
                    throw new ArgumentException($"Label at row {i} is {labels[i]}; labels must be in 0..{classCount - 1}.", nameof(labels));
        }
        if (values is not null)
        {
            if (values.Length != count)
                throw new ArgumentException($"{values.Length} targets for {count} rows.", nameof(values));
            for (int i = 0; i < values.Length; i++)
                if (!float.IsFinite(values[i]))
                    throw new ArgumentException($"Target at row {i} is {values[i]}; targets must be finite.", nameof(values));
        }
        if (featureNames is not null && featureNames.Count != featureCount)
            throw new ArgumentException($"{featureNames.Count} feature names for {featureCount} columns.", nameof(featureNames));
        if (classNames is not null)
        {
            if (labels is null)
                throw new ArgumentException("Class names are for a classification data set.", nameof(classNames));
            if (classNames.Count != classCount)
                throw new ArgumentException($"{classNames.Count} class names for {classCount} classes.", nameof(classNames));
            if (classNames.Any(string.IsNullOrEmpty) || classNames.Distinct(StringComparer.Ordinal).Count() != classCount)
                throw new ArgumentException("Class names must be non-empty and different from each other.", nameof(classNames));
        }

        Name = name;
        FeatureCount = featureCount;
        Count = count;
        ClassCount = labels is null ? 0 : classCount;
        _features = features;
        _labels = labels;
        _values = values;
        _sourceRows = sourceRows;
        FeatureNames = featureNames?.ToArray() ?? Enumerable.Range(0, featureCount).Select(i => "x" + i).ToArray();
        TargetName = targetName ?? (labels is null ? "target" : "label");
        ClassNames = classNames?.ToArray();
    }

    /// <summary>
    /// A classification data set; labels must be in 0..<paramref name="classCount"/>-1. <paramref name="classNames"/>
    /// names the classes in class order (the labels of a CSV file whose label column holds names), or is null when
    /// the class numbers are the labels.
    /// </summary>
    public static Dataset ForClassification(string name, int featureCount, float[] features, int[] labels, int classCount,
        IReadOnlyList<string>? featureNames = null, string? labelName = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return new Dataset(name, featureCount, features, labels, classCount, null, featureNames, labelName, classNames: classNames);
    }

    /// <summary>A regression data set with one finite target per row.</summary>
    public static Dataset ForRegression(string name, int featureCount, float[] features, float[] targets,
        IReadOnlyList<string>? featureNames = null, string? targetName = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return new Dataset(name, featureCount, features, null, 0, targets, featureNames, targetName);
    }

    /// <summary>Display name, e.g. "moons".</summary>
    public string Name { get; }

    /// <summary>Number of rows.</summary>
    public int Count { get; }

    /// <summary>Number of feature columns.</summary>
    public int FeatureCount { get; }

    /// <summary>Classification or regression.</summary>
    public TaskKind Task => _labels is null ? TaskKind.Regression : TaskKind.Classification;

    /// <summary>Number of classes (0 for regression).</summary>
    public int ClassCount { get; }

    /// <summary>The classes' names in class order, when the labels were names (e.g. read from a CSV file); null when the class numbers are the labels, and for regression.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Column names of the features.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Name of the label or target column.</summary>
    public string TargetName { get; }

    /// <summary>All features, row-major (Count × FeatureCount).</summary>
    public ReadOnlySpan<float> Features => _features;

    /// <summary>The features of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Row(int row) => new(_features, row * FeatureCount, FeatureCount);

    /// <summary>
    /// The row of the original data set that row <paramref name="row"/> came from: the same number for a set
    /// that was built directly, the original row for one made by <see cref="Subset"/> (or a split), so output
    /// can be joined back to the source.
    /// </summary>
    public int SourceRow(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Count);
        return _sourceRows?[row] ?? row;
    }

    /// <summary>Class labels; empty for regression.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Regression targets; empty for classification.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>
    /// The network's training targets, row-major (Count × Outputs): the label itself for a single sigmoid
    /// output, a one-hot row for several outputs, the target value for regression.
    /// </summary>
    /// <exception cref="ArgumentException">The network's output does not fit this data set.</exception>
    public float[] TargetsFor(NetworkShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        CheckTargetsFit(shape, Name, FeatureCount, Task, ClassCount);
        int outputs = shape.Outputs;
        var targets = new float[Count * outputs];
        for (int i = 0; i < Count; i++)
            WriteTarget(_labels is null ? 0 : _labels[i], _values is null ? 0 : _values[i], Task, targets.AsSpan(i * outputs, outputs));
        return targets;
    }

    /// <summary>Throws unless a network of <paramref name="shape"/> can be trained on rows of this width, task and classes.</summary>
    /// <exception cref="ArgumentException">The network's inputs or outputs do not fit.</exception>
    internal static void CheckTargetsFit(NetworkShape shape, string name, int featureCount, TaskKind task, int classCount)
    {
        if (shape.Inputs != featureCount)
            throw new ArgumentException($"The network takes {shape.Inputs} inputs but data set '{name}' has {featureCount} features.", nameof(shape));
        int outputs = shape.Outputs;
        if (task == TaskKind.Regression)
        {
            if (outputs != 1)
                throw new ArgumentException($"Regression data set '{name}' has one target per row but the network has {outputs} outputs.", nameof(shape));
        }
        else if (outputs == 1)
        {
            if (classCount != 2)
                throw new ArgumentException($"A single-output network classifies 2 classes; data set '{name}' has {classCount}.", nameof(shape));
        }
        else if (outputs != classCount)
        {
            throw new ArgumentException($"The network has {outputs} outputs but data set '{name}' has {classCount} classes.", nameof(shape));
        }
    }

    /// <summary>
    /// One row's training target (see <see cref="TargetsFor"/>): the value for regression, the label for a single
    /// output, else a one-hot row.
    /// </summary>
    internal static void WriteTarget(int label, float value, TaskKind task, Span<float> target)
    {
        if (task == TaskKind.Regression)
        {
            target[0] = value;
        }
        else if (target.Length == 1)
        {
            target[0] = label;
        }
        else
        {
            target.Clear();
            target[label] = 1f;
        }
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public Dataset Subset(ReadOnlySpan<int> indices, string? name = null)
    {
        var features = new float[indices.Length * FeatureCount];
        for (int i = 0; i < indices.Length; i++)
            Row(indices[i]).CopyTo(features.AsSpan(i * FeatureCount));
        return WithRows(name ?? Name, features, indices);
    }

    /// <summary>The rows of this set followed by those of <paramref name="other"/> (same columns and task).</summary>
    /// <exception cref="ArgumentException">The two sets do not have the same columns, task and classes.</exception>
    public Dataset Concat(Dataset other, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.FeatureCount != FeatureCount || other.Task != Task || other.ClassCount != ClassCount)
            throw new ArgumentException($"Data set '{other.Name}' ({other.FeatureCount} features, {other.Task}, {other.ClassCount} classes) does not match '{Name}' ({FeatureCount} features, {Task}, {ClassCount} classes).", nameof(other));
        if (!(ClassNames ?? []).SequenceEqual(other.ClassNames ?? [], StringComparer.Ordinal))
            throw new ArgumentException($"Data set '{other.Name}' names its classes differently from '{Name}'.", nameof(other));
        float[] features = [.. _features, .. other._features];
        int[]? sourceRows = _sourceRows is null && other._sourceRows is null ? null : [.. SourceRows(), .. other.SourceRows()];
        return new Dataset(name ?? Name, FeatureCount, features,
            _labels is null ? null : [.. _labels, .. other._labels!], ClassCount,
            _values is null ? null : [.. _values, .. other._values!], FeatureNames, TargetName, sourceRows, ClassNames);
    }

    /// <summary>The same rows and targets with new feature values (same shape), e.g. after standardisation.</summary>
    public Dataset WithFeatures(float[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Length != _features.Length)
            throw new ArgumentException($"Expected {_features.Length} feature values, got {features.Length}.", nameof(features));
        return new Dataset(Name, FeatureCount, features, _labels, ClassCount, _values, FeatureNames, TargetName, _sourceRows, ClassNames);
    }

    /// <summary>The stratum of row <paramref name="row"/> for splits and samples: its class, or 0 (one stratum) for regression.</summary>
    internal int Stratum(int row) => _labels?[row] ?? 0;

    /// <summary>Rows per stratum (<see cref="Stratum"/>): per class, or every row in one for regression.</summary>
    internal long[] RowsPerStratum()
    {
        var rows = new long[_labels is null ? 1 : ClassCount];
        if (_labels is null)
            rows[0] = Count;
        else
            foreach (int label in _labels) rows[label]++;
        return rows;
    }

    /// <summary>The same rows, recorded as coming from <paramref name="sourceRows"/> of the original data set.</summary>
    internal Dataset WithSourceRows(int[] sourceRows)
    {
        if (sourceRows.Length != Count)
            throw new ArgumentException($"{sourceRows.Length} source rows for {Count} rows.", nameof(sourceRows));
        return new Dataset(Name, FeatureCount, _features, _labels, ClassCount == 0 ? 2 : ClassCount, _values, FeatureNames, TargetName, sourceRows, ClassNames);
    }

    private int[] SourceRows()
    {
        if (_sourceRows is not null) return _sourceRows;
        var rows = new int[Count];
        for (int i = 0; i < rows.Length; i++) rows[i] = i;
        return rows;
    }

    private Dataset WithRows(string name, float[] features, ReadOnlySpan<int> indices)
    {
        int[]? labels = null;
        float[]? values = null;
        if (_labels is not null)
        {
            labels = new int[indices.Length];
            for (int i = 0; i < indices.Length; i++) labels[i] = _labels[indices[i]];
        }
        else
        {
            values = new float[indices.Length];
            for (int i = 0; i < indices.Length; i++) values[i] = _values![indices[i]];
        }
        var sourceRows = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++) sourceRows[i] = _sourceRows?[indices[i]] ?? indices[i];
        return new Dataset(name, FeatureCount, features, labels, ClassCount == 0 ? 2 : ClassCount, values, FeatureNames, TargetName, sourceRows, ClassNames);
    }
}
