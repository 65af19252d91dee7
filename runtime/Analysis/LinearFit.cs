using System;
using System.Collections.Generic;
using System.Threading;

namespace HiddenSpace;

/// <summary>
/// Ordinary least squares with an intercept, in double: the regression analogue of <see cref="LinearProbe"/>.
/// How much of a target a linear function of the features (raw input or a tapped layer) explains,
/// measured as R² on held-out rows.
/// </summary>
/// <remarks>
/// Features and target are centred on their training means, the normal equations XᵀX·w = Xᵀy of the centred
/// data are solved by Cholesky, and the intercept is ȳ − x̄·w. A ridge of <see cref="RelativeRidge"/> times
/// the mean diagonal of XᵀX is added to the diagonal so that constant columns (centred to exactly zero; they
/// get weight 0) and duplicated columns (they share the weight) leave a positive definite system instead of
/// NaN. On well-conditioned data the ridge moves the weights by about 1e-10 relative. With more features than rows
/// (d &gt; n) the same ridge solution is computed in the coordinates of the rows' span (<see cref="RowSpan"/>):
/// O(n²·d + n³) instead of O(n·d² + d³).
/// </remarks>
public sealed class LinearFit
{
    /// <summary>Ridge added to the diagonal of XᵀX, relative to its mean diagonal entry.</summary>
    public const double RelativeRidge = 1e-10;

    private readonly double[] _weights;

    private LinearFit(double[] weights, double intercept)
    {
        _weights = weights;
        Weights = Array.AsReadOnly(weights);
        Intercept = intercept;
    }

    /// <summary>Number of features per row.</summary>
    public int Dimension => _weights.Length;

    /// <summary>One weight per feature, on the raw features.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>The constant term.</summary>
    public double Intercept { get; }

    /// <summary>Fits row-major <paramref name="features"/> (targets.Length × <paramref name="dimension"/>) to <paramref name="targets"/>.</summary>
    /// <param name="features">Training rows, row-major; finite.</param>
    /// <param name="dimension">Features per row, at least 1.</param>
    /// <param name="targets">One finite target per row; at least one row.</param>
    /// <exception cref="ArgumentException">The arguments do not describe a usable training set, naming the argument and the row.</exception>
    public static LinearFit Fit(ReadOnlySpan<float> features, int dimension, ReadOnlySpan<float> targets)
    {
        if (dimension <= 0)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "A linear fit needs at least one feature.");
        if (targets.Length == 0)
            throw new ArgumentException("A linear fit needs at least one training row.", nameof(targets));
        if (features.Length != targets.Length * dimension)
            throw new ArgumentException($"{features.Length} feature values for {targets.Length} targets of dimension {dimension}; expected {targets.Length * dimension}.", nameof(features));
        LinearModelChecks.CheckFinite(features, dimension);
        for (int i = 0; i < targets.Length; i++)
            if (!float.IsFinite(targets[i]))
                throw new ArgumentException($"Target at row {i} is {targets[i]}; targets must be finite.", nameof(targets));

        int n = targets.Length, d = dimension;
        var means = new double[d];
        double targetMean = 0;
        for (int i = 0; i < features.Length; i++) means[i % d] += features[i];
        for (int f = 0; f < d; f++) means[f] /= n;
        foreach (float t in targets) targetMean += t;
        targetMean /= n;

        double[] weights = d > n ? SpanWeights(features, targets, n, d, means, targetMean) : PrimalWeights(features, targets, n, d, means, targetMean);
        double intercept = targetMean;
        for (int f = 0; f < d; f++) intercept -= weights[f] * means[f];
        return new LinearFit(weights, intercept);
    }

    /// <summary>The fitted value of one row.</summary>
    /// <exception cref="ArgumentException"><paramref name="row"/> does not have <see cref="Dimension"/> values.</exception>
    public double Predict(ReadOnlySpan<float> row)
    {
        if (row.Length != Dimension)
            throw new ArgumentException($"The row has {row.Length} values; the fit was made on {Dimension} features.", nameof(row));
        double value = Intercept;
        for (int f = 0; f < row.Length; f++) value += _weights[f] * row[f];
        return value;
    }

    /// <summary>R² (<see cref="Metrics.RSquared"/>) of the fitted values of row-major <paramref name="features"/> against <paramref name="targets"/>.</summary>
    /// <exception cref="ArgumentException">No rows, or the lengths do not match.</exception>
    public double RSquared(ReadOnlySpan<float> features, ReadOnlySpan<float> targets)
    {
        LinearModelChecks.CheckRows(features.Length, targets.Length, Dimension, "R²", "targets", nameof(targets));
        var predictions = new float[targets.Length];
        for (int i = 0; i < predictions.Length; i++)
            predictions[i] = (float)Predict(features.Slice(i * Dimension, Dimension));
        return Metrics.RSquared(predictions, targets);
    }

    /// <summary>Fits on <paramref name="train"/> and returns R² on <paramref name="test"/>.</summary>
    /// <exception cref="ArgumentException">A set is not a regression set, or their features differ in number.</exception>
    public static double Score(Dataset train, Dataset test)
    {
        LinearModelChecks.CheckSplits(train, test, TaskKind.Regression, "a linear fit needs regression targets");
        return Fit(train.Features, train.FeatureCount, train.Values).RSquared(test.Features, test.Values);
    }

    /// <summary>The ridge weights from the d × d normal equations, accumulated row by row.</summary>
    private static double[] PrimalWeights(ReadOnlySpan<float> features, ReadOnlySpan<float> targets, int n, int d, double[] means, double targetMean)
    {
        var gram = new double[d * d];   // [d × d]: XᵀX of the centred features (lower triangle filled)
        var moments = new double[d];    // [d]: Xᵀy of the centred features and target
        var centred = new double[d];    // [d]: one centred row, scratch
        for (int row = 0; row < n; row++)
        {
            for (int f = 0; f < d; f++) centred[f] = features[row * d + f] - means[f];
            AddRow(centred, targets[row] - targetMean, gram, moments);
        }
        return Cholesky.SolveWithRidge(gram, moments, d, Ridge(gram, d, d));
    }

    /// <summary>
    /// The same weights for rows wider than they are many: the centred rows are written in an orthonormal basis of
    /// their span (r ≤ n dimensions), the r × r normal equations are solved with the same ridge (the trace of XᵀX is
    /// the same in any orthonormal basis), and the solution, which lies in that span, is written back.
    /// </summary>
    private static double[] SpanWeights(ReadOnlySpan<float> features, ReadOnlySpan<float> targets, int n, int d, double[] means, double targetMean)
    {
        var centredRows = new double[n * d]; // [n × d]
        for (int i = 0; i < centredRows.Length; i++) centredRows[i] = features[i] - means[i % d];
        (double[] coordinates, double[] basis, int r) = RowSpan.Of(centredRows, d, CancellationToken.None);
        var gram = new double[r * r];
        var moments = new double[r];
        for (int row = 0; row < n; row++)
            AddRow(coordinates.AsSpan(row * r, r), targets[row] - targetMean, gram, moments);
        double[] weights = r == 0 ? [] : Cholesky.SolveWithRidge(gram, moments, r, Ridge(gram, r, d));
        return RowSpan.FromCoordinates(weights, basis, d);
    }

    private static void AddRow(ReadOnlySpan<double> centred, double target, double[] gram, double[] moments)
    {
        int d = centred.Length;
        for (int a = 0; a < d; a++)
        {
            moments[a] += centred[a] * target;
            for (int b = 0; b <= a; b++) gram[a * d + b] += centred[a] * centred[b];
        }
    }

    /// <summary><see cref="RelativeRidge"/> times the mean diagonal of XᵀX over <paramref name="features"/> features; 1 when all columns are constant (any ridge gives weights 0).</summary>
    private static double Ridge(double[] gram, int size, int features)
    {
        double trace = 0;
        for (int f = 0; f < size; f++) trace += gram[f * size + f];
        return trace > 0 ? RelativeRidge * trace / features : 1;
    }
}
