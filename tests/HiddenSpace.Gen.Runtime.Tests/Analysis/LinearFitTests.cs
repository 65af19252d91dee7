using System;
using System.Linq;
using Xunit;

namespace HiddenSpace.Tests.Analysis;

public class LinearFitTests
{
    [Fact]
    public void AnExactLinearFunctionIsRecovered()
    {
        // Dyadic features and weights: every target is exact in float, so only the solver's rounding remains.
        double[] weights = [-3, 0.5, 4];
        const double intercept = 2;
        (Dataset train, Dataset test) = (Linear(weights, intercept, 200, seed: 1), Linear(weights, intercept, 100, seed: 2));
        LinearFit fit = LinearFit.Fit(train.Features, 3, train.Values);
        for (int f = 0; f < 3; f++) Assert.Equal(weights[f], fit.Weights[f], 1e-9);
        Assert.Equal(intercept, fit.Intercept, 1e-9);
        Assert.Equal(1.0, LinearFit.Score(train, test), 1e-12);
    }

    [Fact]
    public void PureNoiseExplainsNothing()
    {
        var random = new SeededRandom(4);
        Dataset Noise(int rows) => Dataset.ForRegression("noise", 3,
            Enumerable.Range(0, rows * 3).Select(_ => (float)random.NextGaussian()).ToArray(),
            Enumerable.Range(0, rows).Select(_ => (float)random.NextGaussian()).ToArray());
        double score = LinearFit.Score(Noise(1000), Noise(1000));
        Assert.InRange(score, -0.02, 0.01);
    }

    [Fact]
    public void SineRidgeHasNoLinearPart()
    {
        // E[x0·sin x0·cos x1] = E[x0·sin x0]·E[cos x1] = 0 on [−π, π]², so a linear fit explains nothing.
        double score = LinearFit.Score(Datasets.SineRidge(2000, seed: 1), Datasets.SineRidge(2000, seed: 2));
        Assert.InRange(score, -0.02, 0.02);
    }

    [Fact]
    public void OneFeatureMatchesTheClosedForm()
    {
        var random = new SeededRandom(6);
        float[] x = Enumerable.Range(0, 300).Select(_ => (float)random.NextDouble(-2, 5)).ToArray();
        float[] y = x.Select(v => (float)(1.5 * v - 0.7 + random.NextGaussian())).ToArray();
        double meanX = x.Average(v => (double)v), meanY = y.Average(v => (double)v);
        double slope = x.Zip(y).Sum(p => (p.First - meanX) * (p.Second - meanY)) / x.Sum(v => (v - meanX) * (v - meanX));
        LinearFit fit = LinearFit.Fit(x, 1, y);
        Assert.Equal(slope, fit.Weights[0], 1e-9);
        Assert.Equal(meanY - slope * meanX, fit.Intercept, 1e-9);
    }

    [Fact]
    public void ResidualsAreOrthogonalToEveryColumn()
    {
        // The normal equations, checked directly: Σ r = 0 and Σ r·x_f = 0 at the least-squares solution.
        var random = new SeededRandom(7);
        const int rows = 500, d = 4;
        float[] features = Enumerable.Range(0, rows * d).Select(i => (float)(random.NextGaussian() * (1 + i % d) + i % d)).ToArray();
        float[] targets = Enumerable.Range(0, rows).Select(i => (float)(features[i * d] - 2 * features[i * d + 3] + 3 * random.NextGaussian())).ToArray();
        LinearFit fit = LinearFit.Fit(features, d, targets);
        double[] residuals = Enumerable.Range(0, rows).Select(i => targets[i] - fit.Predict(features.AsSpan(i * d, d))).ToArray();
        double scale = Math.Sqrt(residuals.Sum(r => r * r) * rows);
        Assert.True(Math.Abs(residuals.Sum()) < 1e-9 * scale, $"Σr = {residuals.Sum()}");
        for (int f = 0; f < d; f++)
        {
            double dot = Enumerable.Range(0, rows).Sum(i => residuals[i] * features[i * d + f]);
            double columnScale = scale * Math.Sqrt(Enumerable.Range(0, rows).Average(i => (double)features[i * d + f] * features[i * d + f]));
            Assert.True(Math.Abs(dot) < 1e-9 * columnScale, $"column {f}: Σ r·x = {dot}");
        }
    }

    [Fact]
    public void ConstantAndDuplicateColumnsGiveNoNaN()
    {
        Dataset linear = Linear([2, -1], 0.5, 100, seed: 3);
        var features = new float[linear.Count * 4];
        for (int i = 0; i < linear.Count; i++)
        {
            features[4 * i] = linear.Row(i)[0];
            features[4 * i + 1] = 7.25f;               // constant
            features[4 * i + 2] = linear.Row(i)[1];
            features[4 * i + 3] = linear.Row(i)[1];    // duplicate
        }
        LinearFit fit = LinearFit.Fit(features, 4, linear.Values);
        Assert.All(fit.Weights, w => Assert.True(double.IsFinite(w)));
        Assert.Equal(0.0, fit.Weights[1]);
        Assert.Equal(-1.0, fit.Weights[2] + fit.Weights[3], 1e-6);
        Assert.Equal(1.0, fit.RSquared(features, linear.Values), 1e-9);

        LinearFit constant = LinearFit.Fit([3f, 3f, 3f], 1, [1f, 2f, 6f]);
        Assert.Equal(0.0, constant.Weights[0]);
        Assert.Equal(3.0, constant.Intercept, 1e-12);
    }

    [Fact]
    public void InvalidInputsAreRejected()
    {
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => LinearFit.Fit([1f, 2f, 3f], 2, [1f, 2f])).ParamName);
        var target = Assert.Throws<ArgumentException>(() => LinearFit.Fit([1f, 2f, 3f], 1, [1f, float.PositiveInfinity, 2f]));
        Assert.Equal("targets", target.ParamName);
        Assert.Contains("row 1", target.Message);
        var feature = Assert.Throws<ArgumentException>(() => LinearFit.Fit([1f, float.NaN, 3f], 1, [1f, 2f, 2f]));
        Assert.Contains("row 1, column 0", feature.Message);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => LinearFit.Fit([], 1, [])).ParamName);
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => LinearFit.Fit([1f], 0, [1f])).ParamName);
        Dataset moons = Datasets.Moons(10);
        Assert.Equal("train", Assert.Throws<ArgumentException>(() => LinearFit.Score(moons, Datasets.SineRidge(10))).ParamName);
        Assert.Equal("test", Assert.Throws<ArgumentException>(() => LinearFit.Score(Datasets.SineRidge(10), moons)).ParamName);
        Dataset oneFeature = Dataset.ForRegression("one", 1, [1f, 2f], [1f, 2f]);
        Assert.Equal("test", Assert.Throws<ArgumentException>(() => LinearFit.Score(Datasets.SineRidge(10), oneFeature)).ParamName);
        Assert.Equal("row", Assert.Throws<ArgumentException>(() => LinearFit.Fit([1f, 2f], 1, [1f, 2f]).Predict([1f, 2f])).ParamName);
    }

    /// <summary>Features k/8 for k in −16..16 and target = w·x + b, exact in float for dyadic w and b.</summary>
    private static Dataset Linear(double[] weights, double intercept, int rows, int seed)
    {
        var random = new SeededRandom(seed);
        int d = weights.Length;
        float[] features = Enumerable.Range(0, rows * d).Select(_ => (random.NextInt(33) - 16) / 8f).ToArray();
        float[] targets = Enumerable.Range(0, rows).Select(i => (float)(intercept + Enumerable.Range(0, d).Sum(f => weights[f] * features[i * d + f]))).ToArray();
        return Dataset.ForRegression("linear", d, features, targets);
    }
}
