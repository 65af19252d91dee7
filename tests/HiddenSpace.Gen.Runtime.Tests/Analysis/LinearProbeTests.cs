using System;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Analysis;

public class LinearProbeTests(ITestOutputHelper output)
{
    [Fact]
    public void LinearlySeparableDataIsClassifiedPerfectly()
    {
        (float[] trainX, int[] trainY) = Separable(300, seed: 1);
        (float[] testX, int[] testY) = Separable(300, seed: 2);
        LinearProbe probe = LinearProbe.Fit(trainX, 2, trainY, 2);
        Assert.True(probe.Converged, $"gradient norm {probe.GradientNorm} after {probe.Iterations} iterations");
        Assert.Equal(1.0, probe.Accuracy(trainX, trainY));
        Assert.Equal(1.0, probe.Accuracy(testX, testY));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.05)]
    public void BinaryWeightsMatchAPlainNewtonSolutionOfTheSameObjective(double c)
    {
        var random = new SeededRandom(21);
        const int rows = 80, dimension = 3;
        var features = new float[rows * dimension];
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            features[i * dimension] = (float)(2 + random.NextGaussian());
            features[i * dimension + 1] = (float)(10 * random.NextGaussian());
            features[i * dimension + 2] = (float)random.NextDouble(-1, 3);
            double z = 0.8 * features[i * dimension] - 0.1 * features[i * dimension + 1] + features[i * dimension + 2] - 2.5;
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0;
        }
        LinearProbe probe = LinearProbe.Fit(features, dimension, labels, 2, c);
        double[] expected = NewtonOracle(features, dimension, labels, c);

        Assert.True(probe.Converged, $"gradient norm {probe.GradientNorm} after {probe.Iterations} iterations");
        Assert.Equal(dimension, probe.Weights.Count);
        double largest = Enumerable.Range(0, dimension).Max(f => Math.Abs(probe.Weights[f] - expected[f]));
        largest = Math.Max(largest, Math.Abs(probe.Intercepts[0] - expected[dimension]));
        Assert.True(largest < 1e-4, $"largest weight difference {largest:E3}: probe [{string.Join(", ", probe.Weights)}; {probe.Intercepts[0]}], oracle [{string.Join(", ", expected)}]");
    }

    [Fact]
    public void SoftmaxProbeSeparatesThreeBlobs()
    {
        (Dataset train, Dataset test) = Datasets.Blobs(600, classes: 3, spread: 0.7, seed: 4).StratifiedSplit(0.3, seed: 4);
        double accuracy = LinearProbe.Score(train, test);
        Assert.True(accuracy >= 0.99, $"accuracy {accuracy}");
    }

    [Fact]
    public void SoftmaxProbeReachesTheMinimumOfThePenalisedObjective()
    {
        // Overlapping blobs: the optimum has finite weights and a non-trivial gradient balance.
        Dataset data = Datasets.Blobs(400, classes: 4, spread: 2.5, features: 3, seed: 6);
        const double c = 0.5;
        LinearProbe probe = LinearProbe.Fit(data.Features, 3, data.Labels, 4, c);
        Assert.True(probe.Converged, $"gradient norm {probe.GradientNorm} after {probe.Iterations} iterations");

        // Gradient of (Σ cross entropy + ‖W‖²/(2C)) / n, computed here from the probe's weights.
        int n = data.Count, d = 3, k = 4;
        double[][] x = Standardize(data.Features.ToArray(), d);
        var gradient = new double[k * d + k];
        for (int i = 0; i < n; i++)
        {
            double[] scores = Enumerable.Range(0, k).Select(cls => probe.Intercepts[cls] + Enumerable.Range(0, d).Sum(f => probe.Weights[cls * d + f] * x[i][f])).ToArray();
            double max = scores.Max();
            double total = scores.Sum(s => Math.Exp(s - max));
            for (int cls = 0; cls < k; cls++)
            {
                double residual = Math.Exp(scores[cls] - max) / total - (data.Labels[i] == cls ? 1 : 0);
                for (int f = 0; f < d; f++) gradient[cls * d + f] += residual * x[i][f] / n;
                gradient[k * d + cls] += residual / n;
            }
        }
        for (int j = 0; j < k * d; j++) gradient[j] += probe.Weights[j] / c / n;
        double norm = Math.Sqrt(gradient.Sum(g => g * g));
        Assert.True(norm < 2e-6, $"gradient norm {norm:E3} at the fitted weights");
        Assert.Contains(probe.Weights, w => Math.Abs(w) > 0.1);
    }

    [Fact]
    public void RawMoonsProbeAccuracyIsThatOfALinearBoundary()
    {
        (Dataset train, Dataset test) = Datasets.Moons(1000, 0.1, seed: 0).StratifiedSplit(0.3, seed: 0);
        double accuracy = LinearProbe.Score(train, test);
        output.WriteLine($"raw moons probe accuracy: {accuracy}");
        Assert.InRange(accuracy, 0.84, 0.92);
    }

    [Fact]
    public void AConstantFeatureGetsWeightZero()
    {
        (float[] separable, int[] labels) = Separable(100, seed: 3);
        var features = new float[labels.Length * 3];
        for (int i = 0; i < labels.Length; i++)
        {
            features[3 * i] = separable[2 * i];
            features[3 * i + 1] = 0.3f;
            features[3 * i + 2] = separable[2 * i + 1];
        }
        LinearProbe binary = LinearProbe.Fit(features, 3, labels, 2);
        Assert.Equal(0.0, binary.Weights[1]);
        Assert.All(binary.Weights, w => Assert.True(double.IsFinite(w)));

        int[] threeClasses = labels.Select((l, i) => l + (i % 3 == 0 ? 1 : 0)).ToArray();
        LinearProbe softmax = LinearProbe.Fit(features, 3, threeClasses, 3);
        Assert.All(Enumerable.Range(0, 3), cls => Assert.Equal(0.0, softmax.Weights[cls * 3 + 1]));
        Assert.All(softmax.Weights, w => Assert.True(double.IsFinite(w)));
    }

    [Fact]
    public void OneRowPerClassIsFittedWithoutNaN()
    {
        float[] features = [0f, 0f, 1f, 0f, 0f, 1f];
        LinearProbe softmax = LinearProbe.Fit(features, 2, [0, 1, 2], 3);
        Assert.True(softmax.Converged);
        Assert.Equal(1.0, softmax.Accuracy(features, [0, 1, 2]));
        LinearProbe binary = LinearProbe.Fit(features.AsSpan(0, 4), 2, [1, 0], 2);
        Assert.True(binary.Converged);
        Assert.Equal(1.0, binary.Accuracy(features.AsSpan(0, 4), [1, 0]));
    }

    [Fact]
    public void InvalidTrainingSetsAreRejected()
    {
        float[] features = [0f, 1f, 2f, 3f];
        var absent = Assert.Throws<ArgumentException>(() => LinearProbe.Fit(features, 1, [0, 1, 0, 1], 3));
        Assert.Contains("Class 2 has no training row", absent.Message);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => LinearProbe.Fit(features, 1, [0, 1, 0], 2)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => LinearProbe.Fit(features, 1, [0, 1, 0, 2], 2)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentOutOfRangeException>(() => LinearProbe.Fit(features, 1, [0, 1, 0, 1], 2, c: 0)).ParamName);
        LinearProbe probe = LinearProbe.Fit(features, 2, [0, 1], 2);
        Assert.Equal("row", Assert.Throws<ArgumentException>(() => probe.Predict(features)).ParamName);
        var regression = Assert.Throws<ArgumentException>(() => LinearProbe.Score(Datasets.SineRidge(10), Datasets.SineRidge(10)));
        Assert.Contains("regression", regression.Message);
    }

    /// <summary>Points in [−3, 3]² at least 0.3 from the line x0 − 0.5·x1 + 0.3 = 0, labelled by side.</summary>
    private static (float[] Features, int[] Labels) Separable(int count, int seed)
    {
        var random = new SeededRandom(seed);
        var features = new float[count * 2];
        var labels = new int[count];
        for (int i = 0; i < count;)
        {
            float x0 = (float)random.NextDouble(-3, 3), x1 = (float)random.NextDouble(-3, 3);
            double side = x0 - 0.5 * x1 + 0.3;
            if (Math.Abs(side) < 0.3) continue;
            features[2 * i] = x0;
            features[2 * i + 1] = x1;
            labels[i++] = side > 0 ? 1 : 0;
        }
        return (features, labels);
    }

    private static double[][] Standardize(float[] features, int dimension)
    {
        int rows = features.Length / dimension;
        double[][] x = Enumerable.Range(0, rows).Select(i => Enumerable.Range(0, dimension).Select(f => (double)features[i * dimension + f]).ToArray()).ToArray();
        for (int f = 0; f < dimension; f++)
        {
            double mean = x.Average(row => row[f]);
            double deviation = Math.Sqrt(x.Average(row => (row[f] - mean) * (row[f] - mean)));
            foreach (double[] row in x) row[f] = (row[f] - mean) / deviation;
        }
        return x;
    }

    /// <summary>
    /// Full Newton steps on Σ log(1 + e^−(2y−1)z) + ‖w‖²/(2C), z = w·x + b, on standardised features;
    /// returns [w, b]. Solves each Newton system by Gaussian elimination with partial pivoting.
    /// </summary>
    private static double[] NewtonOracle(float[] features, int dimension, int[] labels, double c)
    {
        double[][] x = Standardize(features, dimension);
        int p = dimension + 1;
        var theta = new double[p];
        for (int iteration = 0; iteration < 100; iteration++)
        {
            var gradient = new double[p];
            var hessian = new double[p, p + 1]; // augmented with −gradient
            for (int i = 0; i < labels.Length; i++)
            {
                double[] xi = [.. x[i], 1.0];
                double z = Enumerable.Range(0, p).Sum(j => theta[j] * xi[j]);
                double prob = 1 / (1 + Math.Exp(-z));
                for (int a = 0; a < p; a++)
                {
                    gradient[a] += (prob - labels[i]) * xi[a];
                    for (int b = 0; b < p; b++) hessian[a, b] += prob * (1 - prob) * xi[a] * xi[b];
                }
            }
            for (int f = 0; f < dimension; f++)
            {
                gradient[f] += theta[f] / c;
                hessian[f, f] += 1 / c;
            }
            for (int a = 0; a < p; a++) hessian[a, p] = -gradient[a];
            double[] step = Solve(hessian, p);
            for (int j = 0; j < p; j++) theta[j] += step[j];
            if (step.Max(Math.Abs) < 1e-13) break;
        }
        return theta;
    }

    private static double[] Solve(double[,] augmented, int n)
    {
        for (int col = 0; col < n; col++)
        {
            int pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(augmented[r, col]));
            for (int j = 0; j <= n; j++) (augmented[col, j], augmented[pivot, j]) = (augmented[pivot, j], augmented[col, j]);
            for (int r = col + 1; r < n; r++)
            {
                double factor = augmented[r, col] / augmented[col, col];
                for (int j = col; j <= n; j++) augmented[r, j] -= factor * augmented[col, j];
            }
        }
        var solution = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double sum = augmented[r, n];
            for (int j = r + 1; j < n; j++) sum -= augmented[r, j] * solution[j];
            solution[r] = sum / augmented[r, r];
        }
        return solution;
    }
}
