using System;
using System.Linq;
using Xunit;

namespace HiddenSpace.Tests.Data;

public class DatasetsTests
{
    public static TheoryData<string> Names() => new(Datasets.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void SameSeedGivesTheSameSetAndAnotherSeedADifferentOne(string name)
    {
        Dataset a = Datasets.ByName(name, 300, 0.1, seed: 5);
        Dataset b = Datasets.ByName(name, 300, 0.1, seed: 5);
        Dataset c = Datasets.ByName(name, 300, 0.1, seed: 6);
        Assert.Equal(name, a.Name);
        Assert.Equal(a.Features.ToArray(), b.Features.ToArray());
        Assert.Equal(a.Labels.ToArray(), b.Labels.ToArray());
        Assert.NotEqual(a.Features.ToArray(), c.Features.ToArray());
        Assert.NotEqual(a.Labels.ToArray(), c.Labels.ToArray());
    }

    [Theory]
    [InlineData("moons", 2)]
    [InlineData("circles", 2)]
    [InlineData("xor", 2)]
    [InlineData("spiral", 2)]
    [InlineData("blobs", 3)]
    public void ClassesAreBalancedToWithinOneRow(string name, int classes)
    {
        foreach (int count in new[] { 2 * 3 * 4 * 10, 2 * 3 * 4 * 10 + 1, 2 * 3 * 4 * 10 + 3 })
        {
            Dataset data = Datasets.ByName(name, count, 0.1, seed: 1);
            Assert.Equal(count, data.Count);
            Assert.Equal(2, data.FeatureCount);
            Assert.Equal(classes, data.ClassCount);
            int[] sizes = ClassSizes(data);
            Assert.Equal(count, sizes.Sum());
            Assert.InRange(sizes.Max() - sizes.Min(), 0, 1);
        }
    }

    [Fact]
    public void MoonsWithoutNoiseLieOnTheirCirclesAtScikitLearnsAngles()
    {
        Dataset moons = Datasets.Moons(101, noise: 0, seed: 3);
        var outer = Enumerable.Range(0, moons.Count).Where(i => moons.Labels[i] == 0).Select(i => moons.Row(i).ToArray()).ToArray();
        var inner = Enumerable.Range(0, moons.Count).Where(i => moons.Labels[i] == 1).Select(i => moons.Row(i).ToArray()).ToArray();
        Assert.Equal(50, outer.Length);
        Assert.Equal(51, inner.Length);
        foreach (float[] p in outer)
        {
            Assert.Equal(1.0, Math.Sqrt(p[0] * p[0] + p[1] * p[1]), 1e-6);
            Assert.True(p[1] >= -1e-7, $"outer point ({p[0]}, {p[1]}) below the x axis");
        }
        foreach (float[] p in inner)
        {
            Assert.Equal(1.0, Math.Sqrt((p[0] - 1.0) * (p[0] - 1.0) + (p[1] - 0.5) * (p[1] - 0.5)), 1e-6);
            Assert.True(p[1] <= 0.5 + 1e-7, $"inner point ({p[0]}, {p[1]}) above y = 0.5");
        }
        // x = cos(linspace(0, π, n)) for the outer moon and 1 − cos(linspace(0, π, n)) for the inner one.
        double[] outerX = outer.Select(p => (double)p[0]).Order().ToArray();
        double[] expectedOuterX = Enumerable.Range(0, 50).Select(i => Math.Cos(Math.PI * i / 49)).Order().ToArray();
        double[] innerX = inner.Select(p => (double)p[0]).Order().ToArray();
        double[] expectedInnerX = Enumerable.Range(0, 51).Select(i => 1 - Math.Cos(Math.PI * i / 50)).Order().ToArray();
        for (int i = 0; i < 50; i++) Assert.Equal(expectedOuterX[i], outerX[i], 1e-6);
        for (int i = 0; i < 51; i++) Assert.Equal(expectedInnerX[i], innerX[i], 1e-6);
    }

    [Theory]
    [InlineData("moons")]
    [InlineData("circles")]
    [InlineData("xor")]
    [InlineData("spiral")]
    [InlineData("blobs")]
    public void NoiseIsGaussianWithTheRequestedDeviationOnEveryCoordinate(string name)
    {
        // The shuffle draws come before the noise draws, so the same seed puts the same clean point in each row.
        Dataset clean = Datasets.ByName(name, 4000, 0, seed: 9);
        Dataset noisy = Datasets.ByName(name, 4000, 0.2, seed: 9);
        Assert.Equal(clean.Labels.ToArray(), noisy.Labels.ToArray());
        double[] offsets = Enumerable.Range(0, clean.Features.Length).Select(i => (double)noisy.Features[i] - clean.Features[i]).ToArray();
        double mean = offsets.Average();
        double deviation = Math.Sqrt(offsets.Select(o => (o - mean) * (o - mean)).Average());
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(deviation, 0.19, 0.21);
    }

    [Fact]
    public void CirclesWithoutNoiseHaveRadiusOneAndFactor()
    {
        Dataset circles = Datasets.Circles(200, noise: 0, factor: 0.3, seed: 2);
        for (int i = 0; i < circles.Count; i++)
        {
            ReadOnlySpan<float> p = circles.Row(i);
            double radius = Math.Sqrt(p[0] * p[0] + p[1] * p[1]);
            Assert.Equal(circles.Labels[i] == 0 ? 1.0 : 0.3, radius, 1e-6);
        }
        // Angles 2π·j/100, j = 0..99, on each circle: the point at angle 0 is (1, 0) and (0.3, 0).
        Assert.Contains(Enumerable.Range(0, 200), i => circles.Row(i)[0] == 1f && circles.Row(i)[1] == 0f);
        Assert.Contains(Enumerable.Range(0, 200), i => circles.Row(i)[0] == 0.3f && circles.Row(i)[1] == 0f);
    }

    [Fact]
    public void XorLabelsAreOneWhereTheCoordinatesDifferInSign()
    {
        Dataset clean = Datasets.Xor(400, noise: 0, seed: 4);
        for (int i = 0; i < clean.Count; i++)
        {
            ReadOnlySpan<float> p = clean.Row(i);
            Assert.Equal(1f, Math.Abs(p[0]));
            Assert.Equal(1f, Math.Abs(p[1]));
            Assert.Equal(Math.Sign(p[0]) != Math.Sign(p[1]) ? 1 : 0, clean.Labels[i]);
        }
        Dataset noisy = Datasets.Xor(400, noise: 0.1, seed: 4);
        Assert.All(Enumerable.Range(0, noisy.Count), i =>
            Assert.Equal(Math.Sign(noisy.Row(i)[0]) != Math.Sign(noisy.Row(i)[1]) ? 1 : 0, noisy.Labels[i]));
    }

    [Fact]
    public void SpiralArmsArePointReflectionsOfEachOther()
    {
        Dataset spiral = Datasets.Spiral(400, noise: 0, turns: 2, seed: 8);
        var arm0 = Enumerable.Range(0, 400).Where(i => spiral.Labels[i] == 0).Select(i => (X: (double)spiral.Row(i)[0], Y: (double)spiral.Row(i)[1])).ToArray();
        var arm1 = Enumerable.Range(0, 400).Where(i => spiral.Labels[i] == 1).Select(i => (X: (double)spiral.Row(i)[0], Y: (double)spiral.Row(i)[1])).ToArray();
        var radii0 = arm0.Select(p => Math.Sqrt(p.X * p.X + p.Y * p.Y)).ToArray();
        Assert.InRange(radii0.Min(), 0.0024, 0.0026);
        Assert.InRange(radii0.Max(), 0.9974, 0.9976);
        foreach (var p in arm0)
            Assert.Contains(arm1, q => Math.Abs(q.X + p.X) < 1e-6 && Math.Abs(q.Y + p.Y) < 1e-6);
    }

    [Fact]
    public void BlobCentresSitOnACircleOfRadiusFourWithTheRequestedSpread()
    {
        Dataset blobs = Datasets.Blobs(3000, classes: 3, spread: 0.5, features: 4, seed: 11);
        Assert.Equal(4, blobs.FeatureCount);
        for (int label = 0; label < 3; label++)
        {
            int[] rows = Enumerable.Range(0, blobs.Count).Where(i => blobs.Labels[i] == label).ToArray();
            double angle = 2 * Math.PI * label / 3;
            double[] centre = [4 * Math.Cos(angle), 4 * Math.Sin(angle), 0, 0];
            for (int f = 0; f < 4; f++)
            {
                double[] column = rows.Select(i => (double)blobs.Row(i)[f]).ToArray();
                double mean = column.Average();
                Assert.InRange(mean, centre[f] - 0.05, centre[f] + 0.05);
                Assert.InRange(Math.Sqrt(column.Select(v => (v - mean) * (v - mean)).Average()), 0.47, 0.53);
            }
        }
        Dataset line = Datasets.Blobs(30, classes: 3, spread: 0, features: 1, seed: 0);
        Assert.Equal(new[] { -4f, 0f, 4f }, Enumerable.Range(0, 30).Select(i => line.Row(i)[0]).Distinct().Order());
    }

    [Fact]
    public void SineRidgeTargetsAreSinTimesCosOfInputsInTheBox()
    {
        Dataset ridge = Datasets.SineRidge(500, noise: 0, seed: 2);
        Assert.Equal(TaskKind.Regression, ridge.Task);
        for (int i = 0; i < ridge.Count; i++)
        {
            float x0 = ridge.Row(i)[0], x1 = ridge.Row(i)[1];
            Assert.InRange(x0, -MathF.PI, MathF.PI);
            Assert.InRange(x1, -MathF.PI, MathF.PI);
            Assert.Equal(Math.Sin(x0) * Math.Cos(x1), ridge.Values[i], 1e-6);
        }
        Dataset noisy = Datasets.SineRidge(500, noise: 0.05, seed: 2);
        Assert.NotEqual(ridge.Values.ToArray(), noisy.Values.ToArray());
    }

    [Fact]
    public void UnknownNameIsRejectedWithTheValidNames()
    {
        var error = Assert.Throws<ArgumentException>(() => Datasets.ByName("donut", 100, 0.1, 0));
        Assert.Equal("name", error.ParamName);
        Assert.Contains("\"donut\"", error.Message);
        Assert.Contains("moons, circles, xor, spiral, blobs", error.Message);
        Assert.Equal("moons", Datasets.ByName("Moons", 10, 0.1, 0).Name);
    }

    [Fact]
    public void OutOfRangeArgumentsNameTheirParameter()
    {
        AssertOutOfRange("count", () => Datasets.Moons(1));
        AssertOutOfRange("noise", () => Datasets.Moons(noise: -0.1));
        AssertOutOfRange("noise", () => Datasets.Xor(noise: double.NaN));
        AssertOutOfRange("noise", () => Datasets.Spiral(noise: double.PositiveInfinity));
        AssertOutOfRange("factor", () => Datasets.Circles(factor: 1));
        AssertOutOfRange("turns", () => Datasets.Spiral(turns: 0));
        AssertOutOfRange("classes", () => Datasets.Blobs(classes: 1));
        AssertOutOfRange("count", () => Datasets.Blobs(count: 4, classes: 5));
        AssertOutOfRange("features", () => Datasets.Blobs(features: 0));
        AssertOutOfRange("spread", () => Datasets.Blobs(spread: -1));
        AssertOutOfRange("count", () => Datasets.SineRidge(0));
    }

    private static void AssertOutOfRange(string parameter, Func<Dataset> make) =>
        Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => make()).ParamName);

    [Fact]
    public void SizesBeyondOneArrayAreRefusedBeforeAnythingIsAllocated()
    {
        var moons = Assert.Throws<ArgumentOutOfRangeException>(() => Datasets.Moons(2_000_000_000));
        Assert.Equal("count", moons.ParamName);
        Assert.Contains("more than one array holds", moons.Message, StringComparison.Ordinal);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => Datasets.Blobs(200_000_000, features: 11)).ParamName);
    }

    [Fact]
    public void ANetworkWhoseParametersOverflowAnIntIsRefusedNamingTheLayers()
    {
        // 65,536 × 65,536 weights are 2^32: the int sum used to wrap around and fail later with an index error.
        var error = Assert.Throws<ArgumentException>(() => new NetworkShape(2, Loss.BinaryCrossEntropy,
            new LayerShape(65_536, Activation.Tanh), new LayerShape(65_536, Activation.Tanh), new LayerShape(1, Activation.Sigmoid)));
        Assert.Equal("layers", error.ParamName);
        Assert.Contains("Layers 0..1 already have 4295229440 parameters, more than one array holds (2147483591)", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new NetworkShape(2, Loss.BinaryCrossEntropy,
            new LayerShape(50_000, Activation.Tanh), new LayerShape(50_000, Activation.Tanh), new LayerShape(1, Activation.Sigmoid)));
    }

    private static int[] ClassSizes(Dataset data)
    {
        var sizes = new int[data.ClassCount];
        foreach (int label in data.Labels) sizes[label]++;
        return sizes;
    }
}
