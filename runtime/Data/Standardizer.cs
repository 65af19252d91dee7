using System;
using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>
/// Per-feature standardisation, z = (x − mean) / deviation, with the statistics of a training set:
/// the mean and the population standard deviation (divided by n, as scikit-learn's StandardScaler).
/// A constant column gets deviation 1 and its value as mean, so it maps to exactly 0.
/// </summary>
public sealed class Standardizer
{
    private readonly double[] _means;
    private readonly double[] _deviations;

    private Standardizer(double[] means, double[] deviations)
    {
        _means = means;
        _deviations = deviations;
        Means = Array.AsReadOnly(means);
        Deviations = Array.AsReadOnly(deviations);
    }

    /// <summary>A standardizer with given statistics (read back from a weights file).</summary>
    /// <exception cref="ArgumentException">The lists differ in length, or a deviation is not positive and finite or a mean not finite.</exception>
    internal static Standardizer FromStatistics(double[] means, double[] deviations)
    {
        if (means.Length != deviations.Length || means.Length == 0)
            throw new ArgumentException($"{means.Length} means and {deviations.Length} deviations do not describe the same features.", nameof(deviations));
        for (int f = 0; f < means.Length; f++)
            if (!double.IsFinite(means[f]) || !double.IsFinite(deviations[f]) || deviations[f] <= 0)
                throw new ArgumentException($"Feature {f} has mean {means[f]} and deviation {deviations[f]}; both must be finite and the deviation positive.", nameof(deviations));
        return new Standardizer(means, deviations);
    }

    /// <summary>Number of feature columns.</summary>
    public int FeatureCount => _means.Length;

    /// <summary>Mean of each feature over the training rows.</summary>
    public IReadOnlyList<double> Means { get; }

    /// <summary>Population standard deviation of each feature over the training rows (1 for a constant column).</summary>
    public IReadOnlyList<double> Deviations { get; }

    /// <summary>The statistics of <paramref name="train"/>'s features.</summary>
    /// <exception cref="ArgumentException"><paramref name="train"/> has no rows.</exception>
    public static Standardizer Fit(Dataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count == 0)
            throw new ArgumentException($"Data set '{train.Name}' has no rows to take statistics from.", nameof(train));
        return Fit(train.Features, train.FeatureCount);
    }

    /// <summary>The statistics of row-major <paramref name="features"/> with <paramref name="featureCount"/> columns.</summary>
    /// <exception cref="ArgumentException">The values are not a positive whole number of rows.</exception>
    public static Standardizer Fit(ReadOnlySpan<float> features, int featureCount)
    {
        if (featureCount <= 0)
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "At least one feature column is needed.");
        if (features.Length == 0 || features.Length % featureCount != 0)
            throw new ArgumentException($"{features.Length} feature values are not a positive whole number of rows of {featureCount}.", nameof(features));
        int rows = features.Length / featureCount;
        var statistics = new TwoPass(featureCount);
        for (int r = 0; r < rows; r++) statistics.AddToMeans(features.Slice(r * featureCount, featureCount));
        statistics.FinishMeans();
        for (int r = 0; r < rows; r++) statistics.AddToDeviations(features.Slice(r * featureCount, featureCount));
        return statistics.Finish();
    }

    /// <summary>The same rows and targets with standardised features.</summary>
    /// <exception cref="ArgumentException"><paramref name="data"/> has a different number of features.</exception>
    public Dataset Apply(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != FeatureCount)
            throw new ArgumentException($"Data set '{data.Name}' has {data.FeatureCount} features; the standardizer was fitted on {FeatureCount}.", nameof(data));
        var features = new float[data.Features.Length];
        for (int r = 0; r < data.Count; r++)
            Apply(data.Row(r), features.AsSpan(r * FeatureCount, FeatureCount));
        return data.WithFeatures(features);
    }

    /// <summary>Standardises one row into <paramref name="destination"/> (which may be the same memory).</summary>
    /// <exception cref="ArgumentException">A span's length is not <see cref="FeatureCount"/>.</exception>
    public void Apply(ReadOnlySpan<float> row, Span<float> destination)
    {
        CheckLengths(row.Length, destination.Length, nameof(row));
        for (int f = 0; f < row.Length; f++)
            destination[f] = (float)((row[f] - _means[f]) / _deviations[f]);
    }

    /// <summary>
    /// The row <see cref="Apply(ReadOnlySpan{float}, Span{float})"/> was given, recovered from its standardised values:
    /// x·deviation + mean, equal to the original to float precision (the standardised floats are rounded).
    /// </summary>
    /// <exception cref="ArgumentException">A span's length is not <see cref="FeatureCount"/>.</exception>
    public void Invert(ReadOnlySpan<float> standardized, Span<float> destination)
    {
        CheckLengths(standardized.Length, destination.Length, nameof(standardized));
        for (int f = 0; f < standardized.Length; f++)
            destination[f] = (float)(standardized[f] * _deviations[f] + _means[f]);
    }

    private void CheckLengths(int row, int destination, string rowParameter)
    {
        if (row != FeatureCount)
            throw new ArgumentException($"The row has {row} values; the standardizer was fitted on {FeatureCount} features.", rowParameter);
        if (destination != FeatureCount)
            throw new ArgumentException($"The destination has {destination} values; the standardizer was fitted on {FeatureCount} features.", "destination");
    }

    /// <summary>
    /// The statistics of rows that arrive one at a time, in two passes over the same rows (first the means,
    /// then the deviations), for data read from disk rather than held in memory. Each feature's sums are taken
    /// in row order in double, so the result is bit for bit what <see cref="Fit(ReadOnlySpan{float}, int)"/>
    /// gives for the same rows in the same order.
    /// </summary>
    internal sealed class TwoPass(int featureCount)
    {
        private readonly double[] _sums = new double[featureCount];
        private readonly float[] _min = CreateFilled(featureCount, float.PositiveInfinity);
        private readonly float[] _max = CreateFilled(featureCount, float.NegativeInfinity);
        private readonly double[] _means = new double[featureCount];
        private readonly double[] _squares = new double[featureCount];
        private long _rows;
        private long _secondPassRows;

        /// <summary>Rows seen in the first pass.</summary>
        public long Rows => _rows;

        /// <summary>First pass: one row.</summary>
        public void AddToMeans(ReadOnlySpan<float> row)
        {
            for (int f = 0; f < row.Length; f++)
            {
                float x = row[f];
                _sums[f] += x;
                _min[f] = Math.Min(_min[f], x);
                _max[f] = Math.Max(_max[f], x);
            }
            _rows++;
        }

        /// <summary>Ends the first pass.</summary>
        /// <exception cref="InvalidOperationException">No rows were added.</exception>
        public void FinishMeans()
        {
            if (_rows == 0) throw new InvalidOperationException("No rows to take statistics from.");
            // Equal values can still leave a rounding residue in the mean, and a tiny deviation would blow it up.
            for (int f = 0; f < _means.Length; f++)
                _means[f] = _min[f] == _max[f] ? _min[f] : _sums[f] / _rows;
        }

        /// <summary>Second pass: the same rows in the same order.</summary>
        public void AddToDeviations(ReadOnlySpan<float> row)
        {
            for (int f = 0; f < row.Length; f++)
            {
                double d = row[f] - _means[f];
                _squares[f] += d * d;
            }
            _secondPassRows++;
        }

        /// <summary>Ends the second pass.</summary>
        /// <exception cref="InvalidOperationException">The second pass did not see as many rows as the first.</exception>
        public Standardizer Finish()
        {
            if (_secondPassRows != _rows)
                throw new InvalidOperationException($"The second pass saw {_secondPassRows} rows, the first {_rows}.");
            var deviations = new double[_means.Length];
            for (int f = 0; f < deviations.Length; f++)
                deviations[f] = _min[f] == _max[f] ? 1 : Math.Sqrt(_squares[f] / _rows);
            return new Standardizer((double[])_means.Clone(), deviations);
        }

        private static float[] CreateFilled(int length, float value)
        {
            var values = new float[length];
            Array.Fill(values, value);
            return values;
        }
    }
}
