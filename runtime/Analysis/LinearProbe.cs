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

    private const int LbfgsMemory = 10;
    private const double ArmijoFraction = 1e-4;
    private const int MaxStepHalvings = 60;

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
        for (int i = 0; i < features.Length; i++)
            if (!float.IsFinite(features[i]))
                throw new ArgumentException($"Feature value at row {i / dimension}, column {i % dimension} is {features[i]}; features must be finite.", nameof(features));

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
            var binary = new BinaryObjective(x, y, width, c);
            var theta = new double[width + 1]; // [w (width), b]
            (iterations, norm) = width <= NewtonMaxDimension
                ? MinimizeNewton(binary, theta, cancellationToken)
                : MinimizeLbfgs(binary, theta, cancellationToken);
            (weights, intercepts) = (theta[..width], [theta[width]]);
        }
        else
        {
            var softmax = new SoftmaxObjective(x, y, width, classCount, c);
            var parameters = new double[classCount * (width + 1)]; // [W (k × width), b (k)]
            (iterations, norm) = MinimizeLbfgs(softmax, parameters, cancellationToken);
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
        RowMajorChecks.CheckRows(features.Length, labels.Length, Dimension, "Accuracy", "labels", nameof(labels));
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
            if (Predict(features.Slice(i * Dimension, Dimension)) == labels[i]) correct++;
        return (double)correct / labels.Length;
    }

    /// <summary>Fits a probe on <paramref name="train"/> and returns its accuracy on <paramref name="test"/>.</summary>
    /// <exception cref="ArgumentException">A set is not a classification set, or their features differ in number.</exception>
    public static double Score(Dataset train, Dataset test, double c = 1.0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (train.Task != TaskKind.Classification)
            throw new ArgumentException($"Data set '{train.Name}' is a regression set; a probe needs class labels.", nameof(train));
        if (test.Task != TaskKind.Classification)
            throw new ArgumentException($"Data set '{test.Name}' is a regression set; a probe needs class labels.", nameof(test));
        if (test.FeatureCount != train.FeatureCount)
            throw new ArgumentException($"The test set has {test.FeatureCount} features but the training set has {train.FeatureCount}.", nameof(test));
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

    /// <summary>Damped Newton's method with a backtracking (Armijo) line search; <paramref name="theta"/> is updated in place.</summary>
    private static (int Iterations, double GradientNorm) MinimizeNewton(BinaryObjective objective, double[] theta, CancellationToken cancellationToken)
    {
        int p = theta.Length;
        var gradient = new double[p];
        var hessian = new double[p * p]; // [p × p], row-major
        var step = new double[p];
        var trial = new double[p];
        for (int iteration = 0; ; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double value = objective.Evaluate(theta, gradient, hessian);
            double norm = Norm(gradient);
            if (norm < GradientTolerance || iteration == MaxIterations)
                return (iteration, norm);
            SolveSymmetricPositiveDefinite(hessian, gradient, step, p);
            for (int j = 0; j < p; j++) step[j] = -step[j];
            if (double.IsNaN(LineSearch(objective, theta, value, gradient, step, trial, null)))
                return (iteration, norm);
            trial.CopyTo(theta, 0);
        }
    }

    /// <summary>L-BFGS with a backtracking (Armijo) line search; <paramref name="theta"/> is updated in place.</summary>
    private static (int Iterations, double GradientNorm) MinimizeLbfgs(IObjective objective, double[] theta, CancellationToken cancellationToken)
    {
        int p = theta.Length;
        var gradient = new double[p];
        var trialGradient = new double[p];
        var direction = new double[p];
        var trial = new double[p];
        var s = new double[LbfgsMemory][]; // parameter changes of the last steps
        var y = new double[LbfgsMemory][]; // gradient changes of the last steps
        var rho = new double[LbfgsMemory];
        var alpha = new double[LbfgsMemory];
        for (int m = 0; m < LbfgsMemory; m++)
        {
            s[m] = new double[p];
            y[m] = new double[p];
        }
        int stored = 0, newest = -1;
        double value = objective.Evaluate(theta, gradient);
        for (int iteration = 0; ; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double norm = Norm(gradient);
            if (norm < GradientTolerance || iteration == MaxIterations)
                return (iteration, norm);

            // Two-loop recursion: direction = −H·gradient with H the inverse-Hessian estimate.
            for (int j = 0; j < p; j++) direction[j] = -gradient[j];
            for (int back = 0; back < stored; back++)
            {
                int m = (newest - back + LbfgsMemory) % LbfgsMemory;
                alpha[m] = rho[m] * Dot(s[m], direction);
                for (int j = 0; j < p; j++) direction[j] -= alpha[m] * y[m][j];
            }
            if (stored > 0)
            {
                double scale = Dot(s[newest], y[newest]) / Dot(y[newest], y[newest]);
                for (int j = 0; j < p; j++) direction[j] *= scale;
            }
            for (int forward = stored - 1; forward >= 0; forward--)
            {
                int m = (newest - forward + LbfgsMemory) % LbfgsMemory;
                double beta = rho[m] * Dot(y[m], direction);
                for (int j = 0; j < p; j++) direction[j] += (alpha[m] - beta) * s[m][j];
            }

            double trialValue = LineSearch(objective, theta, value, gradient, direction, trial, trialGradient);
            if (double.IsNaN(trialValue))
                return (iteration, norm);

            // Keep the pair only when it has positive curvature, which keeps the estimate positive definite.
            int next = (newest + 1) % LbfgsMemory;
            double curvature = 0;
            for (int j = 0; j < p; j++)
            {
                s[next][j] = trial[j] - theta[j];
                y[next][j] = trialGradient[j] - gradient[j];
                curvature += s[next][j] * y[next][j];
            }
            if (curvature > 1e-12 * Dot(y[next], y[next]))
            {
                rho[next] = 1 / curvature;
                newest = next;
                stored = Math.Min(stored + 1, LbfgsMemory);
            }
            trial.CopyTo(theta, 0);
            trialGradient.CopyTo(gradient, 0);
            value = trialValue;
        }
    }

    /// <summary>
    /// Halves the step along <paramref name="direction"/> from <paramref name="theta"/> until the objective falls
    /// enough (Armijo). Returns the new value, with the new point in <paramref name="trial"/> and its gradient in
    /// <paramref name="trialGradient"/>; NaN when the direction does not descend or no step decreases the value.
    /// </summary>
    private static double LineSearch(IObjective objective, double[] theta, double value, double[] gradient, double[] direction, double[] trial, double[]? trialGradient)
    {
        double slope = Dot(gradient, direction);
        if (!(slope < 0)) return double.NaN;
        double stepSize = 1;
        for (int halving = 0; halving < MaxStepHalvings; halving++, stepSize *= 0.5)
        {
            for (int j = 0; j < theta.Length; j++) trial[j] = theta[j] + stepSize * direction[j];
            double trialValue = objective.Evaluate(trial, trialGradient);
            if (trialValue <= value + ArmijoFraction * stepSize * slope)
                return trialValue;
        }
        return double.NaN;
    }

    /// <summary>Solves A·x = b by Cholesky; a ridge is added if rounding leaves A not positive definite.</summary>
    private static void SolveSymmetricPositiveDefinite(double[] a, double[] b, double[] x, int n)
    {
        var lower = new double[n * n]; // [n × n], Cholesky factor
        double ridge = 0, largestDiagonal = 0;
        for (int i = 0; i < n; i++) largestDiagonal = Math.Max(largestDiagonal, a[i * n + i]);
        while (!TryCholesky(a, lower, n, ridge))
            ridge = ridge == 0 ? 1e-12 * Math.Max(largestDiagonal, 1) : ridge * 10;
        for (int i = 0; i < n; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++) sum -= lower[i * n + k] * x[k];
            x[i] = sum / lower[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = x[i];
            for (int k = i + 1; k < n; k++) sum -= lower[k * n + i] * x[k];
            x[i] = sum / lower[i * n + i];
        }
    }

    private static bool TryCholesky(double[] a, double[] lower, int n, double ridge)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i * n + j] + (i == j ? ridge : 0);
                for (int k = 0; k < j; k++) sum -= lower[i * n + k] * lower[j * n + k];
                if (i == j)
                {
                    if (!(sum > 0)) return false;
                    lower[i * n + i] = Math.Sqrt(sum);
                }
                else
                {
                    lower[i * n + j] = sum / lower[j * n + j];
                }
            }
        }
        return true;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int j = 0; j < a.Length; j++) sum += a[j] * b[j];
        return sum;
    }

    private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    /// <summary>ln(1 + eᶻ) without overflow.</summary>
    private static double Softplus(double z) => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>The penalised objective divided by the number of rows.</summary>
    private interface IObjective
    {
        /// <summary>The value at <paramref name="theta"/>; fills <paramref name="gradient"/> when it is given.</summary>
        double Evaluate(double[] theta, double[]? gradient);
    }

    /// <summary>Binary log loss of z = w·x + b, parameters [w (d), b].</summary>
    private sealed class BinaryObjective(double[] x, int[] y, int dimension, double c) : IObjective
    {
        public double Evaluate(double[] theta, double[]? gradient) => Evaluate(theta, gradient, null);

        /// <summary>The value at <paramref name="theta"/>; fills the gradient and the Hessian [p × p] when they are given.</summary>
        public double Evaluate(double[] theta, double[]? gradient, double[]? hessian)
        {
            int d = dimension, n = y.Length, p = d + 1;
            if (gradient is not null) Array.Clear(gradient);
            if (hessian is not null) Array.Clear(hessian);
            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<double> row = x.AsSpan(i * d, d);
                double z = theta[d];
                for (int f = 0; f < d; f++) z += theta[f] * row[f];
                loss += Softplus(z) - y[i] * z;
                if (gradient is null) continue;
                double probability = Sigmoid(z);
                double residual = probability - y[i];
                for (int f = 0; f < d; f++) gradient[f] += residual * row[f];
                gradient[d] += residual;
                if (hessian is null) continue;
                double weight = probability * (1 - probability);
                for (int a = 0; a < p; a++)
                {
                    double xa = a < d ? row[a] : 1;
                    for (int b = 0; b <= a; b++)
                        hessian[a * p + b] += weight * xa * (b < d ? row[b] : 1);
                }
            }
            double penalty = 0;
            for (int f = 0; f < d; f++) penalty += theta[f] * theta[f];
            loss += penalty / (2 * c);
            if (gradient is not null)
            {
                for (int f = 0; f < d; f++) gradient[f] += theta[f] / c;
                for (int j = 0; j < p; j++) gradient[j] /= n;
            }
            if (hessian is not null)
            {
                for (int f = 0; f < d; f++) hessian[f * p + f] += 1 / c;
                for (int a = 0; a < p; a++)
                    for (int b = 0; b <= a; b++)
                    {
                        hessian[a * p + b] /= n;
                        hessian[b * p + a] = hessian[a * p + b];
                    }
            }
            return loss / n;
        }
    }

    /// <summary>Softmax cross entropy of z = W·x + b, parameters [W (k × d), b (k)].</summary>
    private sealed class SoftmaxObjective(double[] x, int[] y, int dimension, int classCount, double c) : IObjective
    {
        private readonly double[] _scores = new double[classCount]; // [k], scratch

        public double Evaluate(double[] theta, double[]? gradient)
        {
            int d = dimension, k = classCount, n = y.Length, biases = k * d;
            if (gradient is not null) Array.Clear(gradient);
            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<double> row = x.AsSpan(i * d, d);
                double largest = double.NegativeInfinity;
                for (int cls = 0; cls < k; cls++)
                {
                    double z = theta[biases + cls];
                    for (int f = 0; f < d; f++) z += theta[cls * d + f] * row[f];
                    _scores[cls] = z;
                    largest = Math.Max(largest, z);
                }
                double sum = 0;
                for (int cls = 0; cls < k; cls++) sum += Math.Exp(_scores[cls] - largest);
                double logSumExp = largest + Math.Log(sum);
                loss += logSumExp - _scores[y[i]];
                if (gradient is null) continue;
                for (int cls = 0; cls < k; cls++)
                {
                    double residual = Math.Exp(_scores[cls] - logSumExp) - (cls == y[i] ? 1 : 0);
                    for (int f = 0; f < d; f++) gradient[cls * d + f] += residual * row[f];
                    gradient[biases + cls] += residual;
                }
            }
            double penalty = 0;
            for (int j = 0; j < biases; j++) penalty += theta[j] * theta[j];
            loss += penalty / (2 * c);
            if (gradient is not null)
            {
                for (int j = 0; j < biases; j++) gradient[j] += theta[j] / c;
                for (int j = 0; j < gradient.Length; j++) gradient[j] /= n;
            }
            return loss / n;
        }
    }
}
