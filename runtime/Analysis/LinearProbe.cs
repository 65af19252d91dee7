using System;
using System.Collections.Generic;
using System.Threading;

namespace HiddenSpace;

/// <summary>
/// A linear probe: L2-penalised logistic regression on standardised features, as scikit-learn's
/// <c>LogisticRegression()</c> with its defaults. It minimises Σᵢ lossᵢ + ‖W‖² / (2C) with the intercepts
/// not penalised; lossᵢ is the binary log loss of one weight vector for two classes and the softmax cross
/// entropy of one weight vector per class for more. Features are standardised with the mean and population
/// deviation of the training rows (<see cref="Standardizer"/>), and everything is computed in double.
/// Two classes with at most <see cref="NewtonMaxDimension"/> features are fitted by Newton's method, which costs
/// O(n·d² + d³) per iteration; more classes or more features by L-BFGS, O(n·d·k) per iteration. Both stop when
/// the gradient of the objective divided by n (same minimiser) has a Euclidean norm below
/// <see cref="GradientTolerance"/>, or after <see cref="MaxIterations"/> iterations, or when double precision
/// allows no further decrease; <see cref="Converged"/> says which. Rows wider than they are many (d &gt; n) are
/// first written in an orthonormal basis of their span (O(n²·d)): the penalised solution lies in that span, so
/// the probe is the same, and the solver works in at most n dimensions. The cost of a fit is therefore at most
/// O(n²·d + <see cref="MaxIterations"/>·n·min(n, d)·k) for n rows of d features and k weight vectors.
/// </summary>
public sealed class LinearProbe
{
    /// <summary>Convergence threshold on the Euclidean norm of the per-sample objective's gradient.</summary>
    public const double GradientTolerance = 1e-6;

    /// <summary>Iteration cap of either solver.</summary>
    public const int MaxIterations = 1000;

    /// <summary>The most features (after the span reduction) a two-class probe is fitted with Newton's method; above, L-BFGS.</summary>
    public const int NewtonMaxDimension = 128;

    private readonly double[] _weights;
    private readonly double[] _intercepts;
    private readonly double[] _means;
    private readonly double[] _deviations;

    private LinearProbe(int dimension, int classCount, Standardizer standardizer, double[] weights, double[] intercepts, int iterations, double gradientNorm)
    {
        Dimension = dimension;
        ClassCount = classCount;
        Standardizer = standardizer;
        _means = [.. standardizer.Means];
        _deviations = [.. standardizer.Deviations];
        _weights = weights;
        _intercepts = intercepts;
        Weights = Array.AsReadOnly(weights);
        Intercepts = Array.AsReadOnly(intercepts);
        Iterations = iterations;
        GradientNorm = gradientNorm;
    }

    /// <summary>Number of features per row.</summary>
    public int Dimension { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The training rows' statistics; the weights act on features standardised with them.</summary>
    public Standardizer Standardizer { get; }

    /// <summary>
    /// Weights on the standardised features, row-major: one row of <see cref="Dimension"/> values for two classes
    /// (positive scores mean class 1), one row per class otherwise.
    /// </summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>Intercepts, one per row of <see cref="Weights"/>.</summary>
    public IReadOnlyList<double> Intercepts { get; }

    /// <summary>Solver iterations taken.</summary>
    public int Iterations { get; }

    /// <summary>Euclidean norm of the per-sample objective's gradient at the solution.</summary>
    public double GradientNorm { get; }

    /// <summary>Whether <see cref="GradientNorm"/> is below <see cref="GradientTolerance"/>.</summary>
    public bool Converged => GradientNorm < GradientTolerance;

    /// <summary>Fits a probe to row-major <paramref name="features"/> (labels.Length × <paramref name="dimension"/>).</summary>
    /// <param name="features">Training rows, row-major.</param>
    /// <param name="dimension">Number of features per row.</param>
    /// <param name="labels">Class of each row, in 0..<paramref name="classCount"/>−1.</param>
    /// <param name="classCount">Number of classes, at least 2; every class needs a training row.</param>
    /// <param name="c">Inverse penalty strength, as scikit-learn's C; positive.</param>
    /// <param name="cancellationToken">Checked between solver iterations.</param>
    /// <exception cref="ArgumentException">The arguments do not describe a usable training set; the message says why.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static LinearProbe Fit(ReadOnlySpan<float> features, int dimension, ReadOnlySpan<int> labels, int classCount, double c = 1.0,
        CancellationToken cancellationToken = default)
    {
        if (dimension <= 0)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "A probe needs at least one feature.");
        if (classCount < 2)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "A probe needs at least 2 classes.");
        if (!(c > 0 && double.IsFinite(c)))
            throw new ArgumentOutOfRangeException(nameof(c), c, "C must be positive and finite.");
        if (labels.Length == 0)
            throw new ArgumentException("A probe needs at least one training row.", nameof(labels));
        if (features.Length != labels.Length * dimension)
            throw new ArgumentException($"{features.Length} feature values for {labels.Length} labels of dimension {dimension}; expected {labels.Length * dimension}.", nameof(features));
        var classSizes = new int[classCount];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
                throw new ArgumentException($"Label at row {i} is {labels[i]}; labels must be in 0..{classCount - 1}.", nameof(labels));
            classSizes[labels[i]]++;
        }
        for (int label = 0; label < classCount; label++)
            if (classSizes[label] == 0)
                throw new ArgumentException($"Class {label} has no training row; every one of the {classCount} classes needs at least one.", nameof(labels));
        LinearModelChecks.CheckFinite(features, dimension);

        Standardizer standardizer = Standardizer.Fit(features, dimension);
        var x = new double[features.Length]; // [n × d], standardised
        for (int i = 0; i < features.Length; i++)
            x[i] = (features[i] - standardizer.Means[i % dimension]) / standardizer.Deviations[i % dimension];
        int[] y = labels.ToArray();
        int n = y.Length, width = dimension;
        double[]? basis = null;
        if (dimension > n) (x, basis, width) = RowSpan.Of(x, dimension, cancellationToken);

        double[] weights, intercepts;
        int iterations;
        double norm;
        if (classCount == 2)
        {
            var binary = new BinaryLogLoss(x, y, width, c);
            var theta = new double[width + 1]; // [w (width), b]
            (iterations, norm) = width <= NewtonMaxDimension
                ? Minimizers.Newton(binary, theta, GradientTolerance, MaxIterations, cancellationToken)
                : Minimizers.Lbfgs(binary, theta, GradientTolerance, MaxIterations, cancellationToken);
            (weights, intercepts) = (theta[..width], [theta[width]]);
        }
        else
        {
            var softmax = new SoftmaxCrossEntropy(x, y, width, classCount, c);
            var parameters = new double[classCount * (width + 1)]; // [W (k × width), b (k)]
            (iterations, norm) = Minimizers.Lbfgs(softmax, parameters, GradientTolerance, MaxIterations, cancellationToken);
            (weights, intercepts) = (parameters[..(classCount * width)], parameters[(classCount * width)..]);
        }
        if (basis is not null)
        {
            int vectors = intercepts.Length;
            var original = new double[vectors * dimension];
            for (int k = 0; k < vectors; k++)
                RowSpan.FromCoordinates(weights.AsSpan(k * width, width), basis, dimension).CopyTo(original, k * dimension);
            weights = original;
        }
        return new LinearProbe(dimension, classCount, standardizer, weights, intercepts, iterations, norm);
    }

    /// <summary>The predicted class of one row: the highest score (ties to the lower class), or class 1 when the binary score is positive.</summary>
    /// <exception cref="ArgumentException"><paramref name="row"/> does not have <see cref="Dimension"/> values.</exception>
    public int Predict(ReadOnlySpan<float> row)
    {
        if (row.Length != Dimension)
            throw new ArgumentException($"The row has {row.Length} values; the probe was fitted on {Dimension} features.", nameof(row));
        if (ClassCount == 2)
            return Score(row, 0) > 0 ? 1 : 0;
        int best = 0;
        double bestScore = Score(row, 0);
        for (int k = 1; k < ClassCount; k++)
        {
            double score = Score(row, k);
            if (score > bestScore)
            {
                best = k;
                bestScore = score;
            }
        }
        return best;
    }

    /// <summary>Fraction of rows of row-major <paramref name="features"/> whose predicted class equals the label.</summary>
    /// <exception cref="ArgumentException">No rows, or the lengths do not match.</exception>
    public double Accuracy(ReadOnlySpan<float> features, ReadOnlySpan<int> labels)
    {
        LinearModelChecks.CheckRows(features.Length, labels.Length, Dimension, "Accuracy", "labels", nameof(labels));
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
            if (Predict(features.Slice(i * Dimension, Dimension)) == labels[i]) correct++;
        return (double)correct / labels.Length;
    }

    /// <summary>Fits a probe on <paramref name="train"/> and returns its accuracy on <paramref name="test"/>.</summary>
    /// <exception cref="ArgumentException">A set is not a classification set, or their features differ in number.</exception>
    public static double Score(Dataset train, Dataset test, double c = 1.0, CancellationToken cancellationToken = default)
    {
        LinearModelChecks.CheckSplits(train, test, TaskKind.Classification, "a probe needs class labels");
        return Fit(train.Features, train.FeatureCount, train.Labels, train.ClassCount, c, cancellationToken).Accuracy(test.Features, test.Labels);
    }

    /// <summary>Fits a probe on the training rows and returns its accuracy on the test rows (both row-major).</summary>
    /// <exception cref="ArgumentException">The arguments do not describe usable training and test sets.</exception>
    public static double Score(ReadOnlySpan<float> trainFeatures, ReadOnlySpan<int> trainLabels,
        ReadOnlySpan<float> testFeatures, ReadOnlySpan<int> testLabels, int dimension, int classCount, double c = 1.0) =>
        Fit(trainFeatures, dimension, trainLabels, classCount, c).Accuracy(testFeatures, testLabels);

    /// <summary>Score of weight row <paramref name="k"/> on a raw (not yet standardised) row.</summary>
    private double Score(ReadOnlySpan<float> row, int k)
    {
        double score = _intercepts[k];
        for (int f = 0; f < Dimension; f++)
            score += _weights[k * Dimension + f] * ((row[f] - _means[f]) / _deviations[f]);
        return score;
    }
}
