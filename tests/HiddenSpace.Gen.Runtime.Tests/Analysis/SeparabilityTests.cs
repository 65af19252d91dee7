using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Analysis;

public class SeparabilityTests(ITestOutputHelper output)
{
    private const double Tight = 1e-12;

    [Fact]
    public void EveryPairsLinearProgramVerdictIsThatOfThePairAlone()
    {
        // Five classes in 3-D: classes 0 and 1 far from everything (separable from the rest, so their pairs are decided by
        // the one-vs-rest verdicts), classes 2, 3 and 4 overlapping (their pairs solved and counted).
        var random = new SeededRandom(17);
        int n = 250, k = 5;
        var features = new float[n * 3];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % k;
            double shift = labels[i] switch { 0 => 12, 1 => -12, _ => labels[i] * 0.4 };
            for (int f = 0; f < 3; f++) features[i * 3 + f] = (float)(random.NextGaussian() + (f == 0 ? shift : 0));
        }
        SeparabilityReport report = Separability.Analyze(features, 3, labels, k);
        Assert.Equal([true, true, false, false, false], report.OneVsRest.Select(e => e.Separable));

        foreach (SeparabilityEntry pair in report.Pairs)
        {
            int[] rows = [.. Enumerable.Range(0, n).Where(i => labels[i] == pair.Class || labels[i] == pair.OtherClass)];
            float[] pairFeatures = [.. rows.SelectMany(i => features.Skip(i * 3).Take(3))];
            int[] pairLabels = [.. rows.Select(i => labels[i] == pair.Class ? 0 : 1)];
            SeparabilityEntry alone = Separability.Analyze(pairFeatures, 3, pairLabels, 2, SeparabilityMethod.LinearProgram).Pair(0, 1);
            Assert.Equal(alone.Separable, pair.Separable);
            Assert.Equal((pair.Count, pair.OtherCount, pair.Method), (alone.Count, alone.OtherCount, alone.Method));
            Assert.Equal(pair.Separable == true ? 0 : null, pair.Separable == true ? pair.FewestWrong : null);
            if (pair.Separable == false) Assert.True(pair.FewestWrong >= 1, $"{pair.Class} vs {pair.OtherClass}: {pair.FewestWrong}");
        }
        Assert.Contains(report.Pairs, p => p.Separable == false);
    }

    [Fact]
    public void XorCornersAreNotSeparable()
    {
        float[][] zeros = [[0, 0], [1, 1]], ones = [[1, 0], [0, 1]];
        foreach (SeparabilityMethod method in Enum.GetValues<SeparabilityMethod>())
        {
            SeparabilityEntry pair = TwoSets(zeros, ones, method).Pair(0, 1);
            Assert.False(pair.Separable);
            Assert.Null(pair.Margin);
            Assert.Null(pair.Separator);
        }
    }

    [Fact]
    public void TwoSquaresApartHaveTheHandComputedMarginAndLine()
    {
        // [0,1]² and [3,4]×[0,1]: closest edges x = 1 and x = 3, gap 2, margin 1, line x = 2.
        // Centroid (2, 0.5); the farthest corners are √(2² + 0.5²) = √4.25 away.
        SeparabilityReport report = TwoSets([[0, 0], [1, 0], [0, 1], [1, 1], [0.5f, 0.5f]], [[3, 0], [4, 0], [3, 1], [4, 1]]);
        SeparabilityEntry pair = report.Pair(0, 1);
        Assert.True(report.Separable);
        Assert.True(pair.Separable);
        Assert.Equal(SeparabilityMethod.Hull, pair.Method);
        Assert.Equal(1.0, pair.Margin!.Value, Tight);
        double centroidX = (0 + 1 + 0 + 1 + 0.5 + 3 + 4 + 3 + 4) / 9.0, centroidY = 4.5 / 9;
        double radius = Math.Sqrt((4 - centroidX) * (4 - centroidX) + (1 - centroidY) * (1 - centroidY));
        Assert.Equal(radius, report.DataRadius, Tight);
        Assert.Equal(1 / radius, pair.NormalizedMargin!.Value, Tight);
        SeparatingLine line = pair.Separator!.Value;
        Assert.Equal(1.0, line.NormalX, Tight);
        Assert.Equal(0.0, line.NormalY, Tight);
        Assert.Equal(-2.0, line.Offset, Tight);

        // Diagonal neighbours [0,1]² and [2,3]²: closest corners (1,1) and (2,2), margin √2/2, line x + y = 3.
        SeparabilityEntry diagonal = TwoSets([[0, 0], [1, 0], [0, 1], [1, 1]], [[2, 2], [3, 2], [2, 3], [3, 3]]).Pair(0, 1);
        Assert.Equal(Math.Sqrt(2) / 2, diagonal.Margin!.Value, Tight);
        Assert.Equal(1 / Math.Sqrt(2), diagonal.Separator!.Value.NormalX, Tight);
        Assert.Equal(1 / Math.Sqrt(2), diagonal.Separator!.Value.NormalY, Tight);
        Assert.Equal(-3 / Math.Sqrt(2), diagonal.Separator!.Value.Offset, Tight);

        // A point facing the hypotenuse x + y = 4 of a triangle: distance |3 + 3 − 4| / √2 = √2.
        SeparabilityEntry facing = TwoSets([[0, 0], [4, 0], [0, 4]], [[3, 3]]).Pair(0, 1);
        Assert.Equal(Math.Sqrt(2) / 2, facing.Margin!.Value, Tight);
        Assert.Equal(Math.Sqrt(2) / 2, facing.Separator!.Value.SignedDistance(3, 3), Tight);
        Assert.Equal(-Math.Sqrt(2) / 2, facing.Separator!.Value.SignedDistance(2, 2), Tight);
    }

    [Fact]
    public void TheOtherOrderOfAPairMirrorsTheLine()
    {
        SeparabilityReport report = TwoSets([[0, 0], [1, 0]], [[0, 2], [1, 3]]);
        SeparabilityEntry forward = report.Pair(0, 1), backward = report.Pair(1, 0);
        Assert.Equal((1, 0), (backward.Class, backward.OtherClass));
        Assert.Equal((forward.OtherCount, forward.Count), (backward.Count, backward.OtherCount));
        Assert.Equal(forward.Margin, backward.Margin);
        Assert.Equal(-forward.Separator!.Value.NormalY, backward.Separator!.Value.NormalY);
        Assert.Equal(forward.Separable, report.OneVsRest[0].Separable);
        Assert.Equal(backward.Separator, report.OneVsRest[1].Separator);
        Assert.True(report.OneVsRest.All(e => e.IsOneVsRest));
    }

    [Fact]
    public void CollinearSetsAreDecidedAlongTheirLine()
    {
        SeparabilityEntry apart = TwoSets([[0, 0], [1, 1], [2, 2]], [[3, 3], [5, 5]]).Pair(0, 1);
        Assert.True(apart.Separable);
        Assert.Equal(Math.Sqrt(2) / 2, apart.Margin!.Value, Tight);

        Assert.False(TwoSets([[0, 0], [2, 2]], [[1, 1], [3, 3]]).Pair(0, 1).Separable); // interleaved on one line
        Assert.False(TwoSets([[0, 0], [4, 4]], [[2, 2]]).Pair(0, 1).Separable);          // a point inside a segment
        Assert.False(TwoSets([[0, 0], [2, 2]], [[2, 2], [3, 3]]).Pair(0, 1).Separable);   // segments sharing an end

        SeparabilityEntry parallel = TwoSets([[0, 0], [1, 0], [2, 0]], [[0, 1], [5, 1]]).Pair(0, 1);
        Assert.Equal(0.5, parallel.Margin!.Value, Tight);

        SeparabilityEntry crossing = TwoSets([[0, 0], [2, 2]], [[0, 2], [2, 0]]).Pair(0, 1);
        Assert.False(crossing.Separable);
    }

    [Fact]
    public void OneDimensionalDataUsesTheHullOnALine()
    {
        SeparabilityReport apart = Analyze([0, 1, 2, 3, 4], 1, [0, 0, 0, 1, 1], 2);
        Assert.Equal(SeparabilityMethod.Hull, apart.Pair(0, 1).Method);
        Assert.Equal(0.5, apart.Pair(0, 1).Margin!.Value, Tight);
        Assert.Equal(0.0, apart.Pair(0, 1).Separator!.Value.NormalY);
        Assert.False(Analyze([0, 1, 2, 1.5f, 4], 1, [0, 0, 0, 1, 1], 2).Separable);
        Assert.False(Analyze([0, 1, 2, 1.5f, 4], 1, [0, 0, 0, 1, 1], 2, SeparabilityMethod.LinearProgram).Separable);
        Assert.True(Analyze([0, 1, 2, 3, 4], 1, [0, 0, 0, 1, 1], 2, SeparabilityMethod.LinearProgram).Separable);
    }

    [Fact]
    public void DuplicatePointsAreHarmlessButASharedPointIsNotSeparable()
    {
        float[][] repeated = [[1, 1], [1, 1], [1, 1], [2, 2], [1, 1], [2, 2]];
        SeparabilityEntry apart = TwoSets(repeated, [[3, 3], [3, 3], [3, 3]]).Pair(0, 1);
        Assert.True(apart.Separable);
        Assert.Equal(Math.Sqrt(2) / 2, apart.Margin!.Value, Tight);

        SeparabilityEntry identical = TwoSets([[1, 1], [1, 1]], [[2, 1]]).Pair(0, 1);
        Assert.Equal(0.5, identical.Margin!.Value, Tight);

        foreach (SeparabilityMethod method in Enum.GetValues<SeparabilityMethod>())
        {
            Assert.False(TwoSets([[0, 0], [1, 0]], [[1, 0], [2, 5]], method).Separable);
            Assert.False(TwoSets([[1, 1], [1, 1]], [[1, 1]], method).Separable);
        }
    }

    [Fact]
    public void APointOnTheOtherHullsEdgeTouchesIt()
    {
        float[][] square = [[0, 0], [2, 0], [2, 2], [0, 2]];
        foreach (SeparabilityMethod method in Enum.GetValues<SeparabilityMethod>())
        {
            Assert.False(TwoSets(square, [[2, 1], [3, 1]], method).Separable); // on an edge
            Assert.False(TwoSets(square, [[2, 2], [3, 3]], method).Separable); // on a vertex
            Assert.False(TwoSets(square, [[1, 3], [3, 1]], method).Separable); // a segment through a corner region
        }
        // 2⁻¹⁰ off the edge: separable, margin exactly 2⁻¹¹.
        SeparabilityEntry off = TwoSets(square, [[2 + 1f / 1024, 1], [3, 1]]).Pair(0, 1);
        Assert.True(off.Separable);
        Assert.Equal(1.0 / 2048, off.Margin!.Value, 1e-15);
    }

    [Fact]
    public void APointALongWayAlongAnEdgeIsJudgedExactly()
    {
        // The segment from −M·(1, 3) to M·(1, 3), M = 2⁵⁰, and points near (ε, 3ε), ε = 2⁻³⁰. Subtracting first
        // would round c − a to M·(1, 3) and call every one of them collinear.
        const float m = 1L << 50, epsilon = 1f / (1 << 30), delta = epsilon / (1 << 22); // 2⁻⁵², representable next to 3ε
        float[][] segment = [[-m, -3 * m], [m, 3 * m]];
        Assert.Equal(3 * epsilon + delta, (float)(3 * (double)epsilon + delta));

        Assert.False(TwoSets(segment, [[epsilon, 3 * epsilon]]).Separable);
        foreach (float side in new[] { 1f, -1f })
        {
            SeparabilityEntry near = TwoSets(segment, [[epsilon, 3 * epsilon + side * delta]]).Pair(0, 1);
            Assert.True(near.Separable);
            // Distance from the line y = 3x: |3x − y| / √10 = δ / √10.
            Assert.Equal(delta / Math.Sqrt(10) / 2, near.Margin!.Value, delta * 1e-9);
        }
    }

    [Fact]
    public void SinglePointsPerClass()
    {
        SeparabilityReport report = TwoSets([[0, 0]], [[3, 4]]);
        SeparabilityEntry pair = report.Pair(0, 1);
        Assert.True(pair.Separable);
        Assert.Equal(2.5, pair.Margin!.Value, Tight);
        Assert.Equal(2.5, report.DataRadius, Tight);
        Assert.Equal(1.0, pair.NormalizedMargin!.Value, Tight);
        Assert.Equal(new SeparatingLine(0.6, 0.8, -2.5), Rounded(pair.Separator!.Value));
        Assert.True(TwoSets([[0, 0]], [[3, 4]], SeparabilityMethod.LinearProgram).Separable);
    }

    [Fact]
    public void FiveDimensionalSetSeparableByAKnownPlane()
    {
        double[] w = [1, -2, 0.5, 3, -1];
        const double b = 0.3;
        var random = new SeededRandom(5);
        var features = new List<float>();
        var labels = new List<int>();
        while (labels.Count < 400)
        {
            float[] x = Enumerable.Range(0, 5).Select(_ => (float)random.NextDouble(-1, 1)).ToArray();
            double side = Enumerable.Range(0, 5).Sum(f => w[f] * x[f]) + b;
            if (Math.Abs(side) < 0.05 * Math.Sqrt(w.Sum(v => v * v))) continue;
            features.AddRange(x);
            labels.Add(side > 0 ? 1 : 0);
        }
        SeparabilityReport report = Analyze([.. features], 5, [.. labels], 2);
        Assert.Equal(SeparabilityMethod.LinearProgram, report.Pair(0, 1).Method);
        Assert.True(report.Separable);
        Assert.Null(report.Pair(0, 1).Margin);

        // A class-0 row at the centroid of class 1 lies inside class 1's hull.
        float[] centroid = Enumerable.Range(0, 5).Select(f => (float)Enumerable.Range(0, labels.Count).Where(i => labels[i] == 1).Average(i => features[i * 5 + f])).ToArray();
        Assert.False(Analyze([.. features, .. centroid], 5, [.. labels, 0], 2).Separable);
    }

    [Fact]
    public void XorEmbeddedInThreeDimensions()
    {
        // The diagonals (0,0,1)–(1,1,3) and (1,0,2)–(0,1,2) cross at (½, ½, 2).
        Assert.False(TwoSets([[0, 0, 1], [1, 1, 3]], [[1, 0, 2], [0, 1, 2]]).Separable);
        // Lift one end: four points in general position in 3-D, any labelling is separable.
        Assert.True(TwoSets([[0, 0, 1], [1, 1, 3]], [[1, 0, 2], [0, 1, 2.5f]]).Separable);

        Dataset xor = Datasets.Xor(400, 0.1, seed: 3);
        float[] lifted = Enumerable.Range(0, xor.Count).SelectMany(i => new[] { xor.Row(i)[0], xor.Row(i)[1], 0.7f }).ToArray();
        Assert.False(Analyze(lifted, 3, xor.Labels.ToArray(), 2).Separable);
    }

    [Fact]
    public void ASetSeparableOnlyThroughItsThirdCoordinate()
    {
        var random = new SeededRandom(8);
        const int rows = 300;
        var features = new float[rows * 3];
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            labels[i] = i % 2;
            features[3 * i] = (float)random.NextDouble(-1, 1);
            features[3 * i + 1] = (float)random.NextDouble(-1, 1);
            features[3 * i + 2] = (float)((labels[i] == 1 ? 1 : -1) * random.NextDouble(0.1, 1));
        }
        Assert.True(Analyze(features, 3, labels, 2).Separable);
        float[] firstTwo = Enumerable.Range(0, rows).SelectMany(i => new[] { features[3 * i], features[3 * i + 1] }).ToArray();
        Assert.False(Analyze(firstTwo, 2, labels, 2).Separable);
        Assert.False(Analyze(firstTwo, 2, labels, 2, SeparabilityMethod.LinearProgram).Separable);
    }

    [Fact]
    public void TheLinearProgramAgreesWithTheHullOn200RandomPlanarSets()
    {
        var random = new SeededRandom(11);
        int separable = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            int firstCount = 1 + random.NextInt(12), secondCount = 1 + random.NextInt(12);
            // Half the trials on a small integer grid: duplicates, collinear points and touching hulls.
            bool grid = trial % 2 == 0;
            double shift = random.NextDouble(0, 5), angle = random.NextDouble(0, 2 * Math.PI);
            float[][] Points(int count, double centre) => Enumerable.Range(0, count).Select(_ => grid
                ? new[] { (float)random.NextInt(4) + (centre > 0 ? random.NextInt(3) : 0), (float)random.NextInt(4) }
                : new[] { (float)(centre * Math.Cos(angle) + random.NextGaussian()), (float)(centre * Math.Sin(angle) + random.NextGaussian()) }).ToArray();
            float[][] first = Points(firstCount, 0), second = Points(secondCount, shift);
            bool? hull = TwoSets(first, second, SeparabilityMethod.Hull).Separable;
            bool? program = TwoSets(first, second, SeparabilityMethod.LinearProgram).Separable;
            Assert.True(hull == program, $"trial {trial}: hull {hull}, lp {program}; first [{Format(first)}], second [{Format(second)}]");
            if (hull == true) separable++;
        }
        output.WriteLine($"{separable} of 200 separable");
        Assert.InRange(separable, 40, 160);
    }

    [Fact]
    public void OnSetsLargeEnoughForWorkingSetsTheLinearProgramStillAgreesWithTheHull()
    {
        // 17 to 400 points in the plane: above 4 × (2 + 2) rows the program starts from working sets and adds rows while
        // its certificate fails somewhere. Grid pairs with touching hulls; round Gaussian pairs at random distances
        // (separable by a little or a lot, or not); and long thin pairs side by side along a slanted line, whose
        // centroids are apart along it, so the rows that reach furthest along that line are not the ones that decide.
        var random = new SeededRandom(23);
        int separable = 0;
        for (int trial = 0; trial < 150; trial++)
        {
            int firstCount = 8 + random.NextInt(200), secondCount = 9 + random.NextInt(200);
            int kind = trial % 3;
            double shift = random.NextDouble(2, 9), angle = random.NextDouble(0, 2 * Math.PI), gap = random.NextDouble(-0.5, 1.5);
            float[] Thin(double centre)
            {
                double along = 10 * random.NextGaussian() + 5 * centre, across = 0.4 * random.NextGaussian() + (centre > 0 ? gap : 0);
                return [(float)(along * Math.Cos(angle) - across * Math.Sin(angle)), (float)(along * Math.Sin(angle) + across * Math.Cos(angle))];
            }
            float[][] Points(int count, double centre) => Enumerable.Range(0, count).Select(_ => kind switch
            {
                0 => new[] { (float)random.NextInt(20) + (centre > 0 ? 19 : 0), (float)random.NextInt(20) },
                1 => new[] { (float)(centre * Math.Cos(angle) + random.NextGaussian()), (float)(centre * Math.Sin(angle) + random.NextGaussian()) },
                _ => Thin(centre > 0 ? 1 : 0),
            }).ToArray();
            float[][] first = Points(firstCount, 0), second = Points(secondCount, shift);
            bool? hull = TwoSets(first, second, SeparabilityMethod.Hull).Separable;
            bool? program = TwoSets(first, second, SeparabilityMethod.LinearProgram).Separable;
            Assert.True(hull == program, $"trial {trial}: hull {hull}, lp {program}; first [{Format(first)}], second [{Format(second)}]");
            if (hull == true) separable++;
        }
        output.WriteLine($"{separable} of 150 separable");
        Assert.InRange(separable, 30, 120);
    }

    [Fact]
    public void ThreeBlobsPairwiseAndOneVsRest()
    {
        Dataset blobs = Datasets.Blobs(300, classes: 3, spread: 0.5, seed: 2);
        SeparabilityReport report = Separability.Analyze(blobs);
        Assert.True(report.Separable);
        Assert.Equal([(0, 1), (0, 2), (1, 2)], report.Pairs.Select(e => (e.Class, e.OtherClass!.Value)));
        Assert.Equal([0, 1, 2], report.OneVsRest.Select(e => e.Class));
        Assert.All(report.OneVsRest, e => Assert.True(e.Separable));
        foreach (SeparabilityEntry pair in report.Pairs)
        {
            Assert.True(pair.Separable);
            Assert.Equal(100, pair.Count);
            Assert.Equal(100, pair.OtherCount);
            float[][] a = RowsOf(blobs, pair.Class), b = RowsOf(blobs, pair.OtherClass!.Value);
            Assert.Equal(HullDistanceOracle(a, b) / 2, pair.Margin!.Value, 1e-9);
            SeparatingLine line = pair.Separator!.Value;
            Assert.All(a, p => Assert.True(line.SignedDistance(p[0], p[1]) <= -pair.Margin.Value + 1e-9));
            Assert.All(b, p => Assert.True(line.SignedDistance(p[0], p[1]) >= pair.Margin.Value - 1e-9));
        }
        foreach (SeparabilityEntry rest in report.OneVsRest)
        {
            float[][] a = RowsOf(blobs, rest.Class);
            float[][] others = Enumerable.Range(0, 3).Where(c => c != rest.Class).SelectMany(c => RowsOf(blobs, c)).ToArray();
            Assert.Equal(HullDistanceOracle(a, others) / 2, rest.Margin!.Value, 1e-9);
            Assert.Equal(200, rest.OtherCount);
        }

        SeparabilityReport program = Separability.Analyze(blobs, SeparabilityMethod.LinearProgram);
        Assert.Equal(report.Pairs.Select(e => e.Separable), program.Pairs.Select(e => e.Separable));
        Assert.Equal(report.OneVsRest.Select(e => e.Separable), program.OneVsRest.Select(e => e.Separable));

        SeparabilityReport overlapping = Separability.Analyze(Datasets.Blobs(300, classes: 3, spread: 3, seed: 2));
        Assert.False(overlapping.Separable);
        Assert.Contains(overlapping.Pairs, e => e.Separable == false);
    }

    [Fact]
    public void AClassWithoutRowsGetsNoVerdict()
    {
        Dataset blobs = Datasets.Blobs(300, classes: 3, spread: 0.5, seed: 2);
        int[] withoutClass2 = Enumerable.Range(0, blobs.Count).Where(i => blobs.Labels[i] != 2).ToArray();
        foreach (SeparabilityMethod method in Enum.GetValues<SeparabilityMethod>())
        {
            SeparabilityReport report = Separability.Analyze(blobs.Subset(withoutClass2), method);
            Assert.Equal(3, report.ClassCount);
            Assert.True(report.Pair(0, 1).Separable);
            foreach (SeparabilityEntry entry in new[] { report.Pair(0, 2), report.Pair(1, 2), report.OneVsRest[2] })
            {
                Assert.Null(entry.Separable);
                Assert.Null(entry.Margin);
                Assert.Null(entry.NormalizedMargin);
                Assert.Null(entry.Separator);
            }
            Assert.Equal(0, report.Pair(0, 2).OtherCount);
            Assert.True(report.OneVsRest[0].Separable);
            Assert.True(report.Separable); // over the classes that have rows
        }

        SeparabilityReport single = Analyze([0, 0, 1, 1], 2, [1, 1], 2);
        Assert.Null(single.Separable);
        Assert.All(single.Pairs.Concat(single.OneVsRest), e => Assert.Null(e.Separable));
        SeparabilityReport empty = Analyze([], 3, [], 4);
        Assert.Null(empty.Separable);
        Assert.Equal(6, empty.Pairs.Count);
        Assert.Equal(0.0, empty.DataRadius);
    }

    [Fact]
    public void RawMoonsAreNotLinearlySeparable()
    {
        Dataset moons = Datasets.Moons(1000, 0.1, seed: 0);
        Assert.False(Separability.Analyze(moons).Separable);
        Assert.False(Separability.Analyze(moons, SeparabilityMethod.LinearProgram).Separable);
    }

    [Fact]
    public void TheNormalisedMarginDoesNotDependOnScale()
    {
        Dataset blobs = Datasets.Blobs(200, classes: 2, spread: 0.8, seed: 9);
        Dataset scaled = blobs.WithFeatures(blobs.Features.ToArray().Select(v => v * 10).ToArray());
        SeparabilityEntry original = Separability.Analyze(blobs).Pair(0, 1), large = Separability.Analyze(scaled).Pair(0, 1);
        Assert.True(original.Separable);
        Assert.Equal(10 * original.Margin!.Value, large.Margin!.Value, 1e-6 * large.Margin.Value);
        Assert.Equal(original.NormalizedMargin!.Value, large.NormalizedMargin!.Value, 1e-6 * original.NormalizedMargin.Value);
    }

    [Fact]
    public void InvalidInputsNameTheArgumentAndRow()
    {
        float[] features = [0, 0, 1, 1, 2, 2];
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => Analyze(features, 2, [0, 1], 2)).ParamName);
        var notFinite = Assert.Throws<ArgumentException>(() => Analyze([0, 0, 1, float.NaN, 2, 2], 2, [0, 1, 1], 2));
        Assert.Equal("features", notFinite.ParamName);
        Assert.Contains("row 1, column 1", notFinite.Message);
        var label = Assert.Throws<ArgumentException>(() => Analyze(features, 2, [0, 1, 2], 2));
        Assert.Equal("labels", label.ParamName);
        Assert.Contains("row 2", label.Message);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => Analyze(features, 2, [0, -1, 1], 2)).ParamName);
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => Analyze(features, 0, [0, 1, 1], 2)).ParamName);
        Assert.Equal("classCount", Assert.Throws<ArgumentOutOfRangeException>(() => Analyze(features, 2, [0, 0, 0], 1)).ParamName);
        Assert.Equal("method", Assert.Throws<ArgumentException>(() => Analyze(features, 3, [0, 1], 2, SeparabilityMethod.Hull)).ParamName);
        Assert.Equal("method", Assert.Throws<ArgumentOutOfRangeException>(() => Analyze(features, 2, [0, 1, 1], 2, (SeparabilityMethod)7)).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => Separability.Analyze(Datasets.SineRidge(10))).ParamName);
        SeparabilityReport report = Analyze(features, 2, [0, 1, 1], 2);
        Assert.Equal("b", Assert.Throws<ArgumentOutOfRangeException>(() => report.Pair(1, 1)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentOutOfRangeException>(() => report.Pair(2, 1)).ParamName);
    }

    private static SeparabilityReport Analyze(float[] features, int dimension, int[] labels, int classCount, SeparabilityMethod? method = null) =>
        Separability.Analyze(features, dimension, labels, classCount, method);

    /// <summary>Class 0 = <paramref name="first"/>, class 1 = <paramref name="second"/>, rows of equal width.</summary>
    private static SeparabilityReport TwoSets(float[][] first, float[][] second, SeparabilityMethod? method = null)
    {
        float[] features = [.. first.SelectMany(p => p), .. second.SelectMany(p => p)];
        int[] labels = [.. first.Select(_ => 0), .. second.Select(_ => 1)];
        return Analyze(features, first[0].Length, labels, 2, method);
    }

    private static float[][] RowsOf(Dataset data, int label) =>
        Enumerable.Range(0, data.Count).Where(i => data.Labels[i] == label).Select(i => data.Row(i).ToArray()).ToArray();

    /// <summary>
    /// Distance between the convex hulls of two planar sets with disjoint hulls, by brute force: the smallest
    /// distance from a point of one set to a segment between any two points of the other. Hull edges are among
    /// those segments, and every other segment lies inside the hull, so no hull is built.
    /// </summary>
    private static double HullDistanceOracle(float[][] a, float[][] b)
    {
        static double ToSegments(float[][] points, float[][] others)
        {
            double best = double.PositiveInfinity;
            foreach (float[] p in points)
                for (int i = 0; i < others.Length; i++)
                    for (int j = i; j < others.Length; j++)
                    {
                        double x0 = others[i][0], y0 = others[i][1];
                        double ex = others[j][0] - x0, ey = others[j][1] - y0;
                        double length = ex * ex + ey * ey;
                        double t = length == 0 ? 0 : Math.Clamp(((p[0] - x0) * ex + (p[1] - y0) * ey) / length, 0, 1);
                        double dx = p[0] - (x0 + t * ex), dy = p[1] - (y0 + t * ey);
                        best = Math.Min(best, Math.Sqrt(dx * dx + dy * dy));
                    }
            return best;
        }
        return Math.Min(ToSegments(a, b), ToSegments(b, a));
    }

    private static SeparatingLine Rounded(SeparatingLine line) =>
        new(Math.Round(line.NormalX, 12), Math.Round(line.NormalY, 12), Math.Round(line.Offset, 12));

    private static string Format(float[][] points) => string.Join(" ", points.Select(p => $"({p[0]},{p[1]})"));
}
