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
        var means = new double[featureCount];
        var deviations = new double[featureCount];
        for (int f = 0; f < featureCount; f++)
        {
            double sum = 0;
            float min = features[f], max = features[f];
            for (int r = 0; r < rows; r++)
            {
                float x = features[r * featureCount + f];
                sum += x;
                min = Math.Min(min, x);
                max = Math.Max(max, x);
            }
            // Equal values can still leave a rounding residue in the mean, and a tiny deviation would blow it up.
            if (min == max)
            {
                means[f] = min;
                deviations[f] = 1;
                continue;
            }
            double mean = sum / rows;
            double squares = 0;
            for (int r = 0; r < rows; r++)
            {
                double d = features[r * featureCount + f] - mean;
                squares += d * d;
            }
            means[f] = mean;
            deviations[f] = Math.Sqrt(squares / rows);
        }
        return new Standardizer(means, deviations);
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
        if (row.Length != FeatureCount)
            throw new ArgumentException($"The row has {row.Length} values; the standardizer was fitted on {FeatureCount} features.", nameof(row));
        if (destination.Length != FeatureCount)
            throw new ArgumentException($"The destination has {destination.Length} values; the standardizer was fitted on {FeatureCount} features.", nameof(destination));
        for (int f = 0; f < row.Length; f++)
            destination[f] = (float)((row[f] - _means[f]) / _deviations[f]);
    }
}
