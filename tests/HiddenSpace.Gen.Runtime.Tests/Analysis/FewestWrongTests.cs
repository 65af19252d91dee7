using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Analysis;

/// <summary>
/// <see cref="SeparabilityEntry.FewestWrong"/>: exact in the plane against brute force over every line through two
/// points, and in more dimensions never below the exact minimum found by trying every subset with the linear program.
/// </summary>
public class FewestWrongTests(ITestOutputHelper output)
{
    [Fact]
    public void HandCountedCases()
    {
        Assert.Equal(1, Pair([[0, 0], [1, 1]], [[1, 0], [0, 1]]).FewestWrong);            // XOR corners: drop any one
        Assert.Equal(1, Pair([[0, 0], [4, 4]], [[2, 2]]).FewestWrong);                    // a point inside a segment
        Assert.Equal(2, Pair([[0, 0], [2, 0], [4, 0]], [[1, 0], [3, 0]]).FewestWrong);    // a b a b a on a line: any cut leaves two behind
        Assert.Equal(1, Pair([[1, 1], [1, 1]], [[1, 1]]).FewestWrong);                    // a shared location: the smaller side goes
        Assert.Equal(2, Pair([[1, 1], [1, 1], [5, 5]], [[1, 1], [1, 1], [6, 6]]).FewestWrong);
        Assert.Equal(0, Pair([[0, 0]], [[3, 4]]).FewestWrong);                             // separable
        // A square of class 0 around a centre point of class 1 with three more class-1 points outside on one side.
        Assert.Equal(1, Pair([[0, 0], [2, 0], [2, 2], [0, 2]], [[1, 1], [5, 0], [5, 1], [5, 2]]).FewestWrong);
        SeparabilityEntry xor = Pair([[0, 0], [1, 1]], [[1, 0], [0, 1]]);
        Assert.True(xor.FewestWrongIsExact);
        Assert.Equal(0.75, xor.BestLineAccuracy);
    }

    [Fact]
    public void AboveTheExactLimitThePlanarCountIsTheProbesBestCutAnUpperBound()
    {
        // 2,400 points of two overlapping Gaussian classes: more than the exact sweep takes.
        var random = new SeededRandom(11);
        int n = 2_400;
        var features = new float[2 * n];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 2;
            features[2 * i] = (float)(random.NextGaussian() + labels[i]);
            features[2 * i + 1] = (float)random.NextGaussian();
        }
        Assert.True(n > Separability.ExactCountLimit);
        SeparabilityEntry bound = Separability.Analyze(features, 2, labels, 2).Pair(0, 1);
        Assert.False(bound.FewestWrongIsExact);

        PlanarPoint[] Points(int label) => [.. Enumerable.Range(0, n).Where(i => labels[i] == label).Select(i => new PlanarPoint(features[2 * i], features[2 * i + 1]))];
        int exact = LineErrorSweep.FewestErrors(Points(0), Points(1));
        output.WriteLine($"exact {exact}, probe's best cut {bound.FewestWrong} of {n}");
        Assert.InRange(bound.FewestWrong!.Value, exact, (int)(exact * 1.1)); // never below the minimum, and close to it
    }

    [Fact]
    public void WithoutOneVsRestCountsTheVerdictsAndPairCountsAreTheSame()
    {
        var random = new SeededRandom(5);
        int n = 300, k = 4;
        var features = new float[2 * n];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % k;
            features[2 * i] = (float)(Math.Cos(labels[i]) * 2 + random.NextGaussian());
            features[2 * i + 1] = (float)(Math.Sin(labels[i]) * 2 + random.NextGaussian());
        }
        SeparabilityReport full = Separability.Analyze(features, 2, labels, k);
        SeparabilityReport quick = Separability.Analyze(features, 2, labels, k, counts: FewestWrongCounts.Pairs);
        Assert.Equal(full.Pairs, quick.Pairs);
        Assert.Equal(full.OneVsRest.Select(e => e.Separable), quick.OneVsRest.Select(e => e.Separable));
        Assert.Contains(full.OneVsRest, e => e.Separable == false);
        Assert.All(quick.OneVsRest.Where(e => e.Separable == false), e =>
        {
            Assert.Null(e.FewestWrong);
            Assert.Equal("not separable", HiddenSpaceClaim.Verdict(e));
        });
        Assert.Equal(HiddenSpaceClaim.Verdict(full), HiddenSpaceClaim.Verdict(quick));
    }

    [Fact]
    public void ACancelledAnalysisStopsBeforeItsFirstVerdict()
    {
        using var cancellation = new System.Threading.CancellationTokenSource();
        cancellation.Cancel();
        Assert.Throws<OperationCanceledException>(() => Separability.Analyze([0, 1, 2, 3], 1, [0, 1, 0, 1], 2, cancellationToken: cancellation.Token));
    }

    [Fact]
    public void OneDimensionalCountsAreExact()
    {
        SeparabilityReport report = Separability.Analyze([0, 1, 2, 1.5f, 4, 0.5f], 1, [0, 0, 0, 1, 1, 1], 2);
        // Sorted: 0(a) 0.5(b) 1(a) 1.5(b) 2(a) 4(b): the best cut drops two points.
        Assert.Equal(2, report.Pair(0, 1).FewestWrong);
        Assert.True(report.Pair(0, 1).FewestWrongIsExact);
    }

    [Fact]
    public void ThePlanarSweepMatchesBruteForceOn600RandomSets()
    {
        var random = new SeededRandom(21);
        var seen = new Dictionary<int, int>();
        for (int trial = 0; trial < 600; trial++)
        {
            // Small grids give duplicates, shared locations, collinear runs and ties; the large one general position.
            int grid = (trial % 3) switch { 0 => 3, 1 => 6, _ => 1000 };
            int classes = trial % 4 == 3 ? 3 + trial / 4 % 8 : 2; // 3 to 10 classes: one-vs-rest counts of several vectors of groups
            int rows = classes + random.NextInt(16);
            var points = new float[rows][];
            var labels = new int[rows];
            for (int i = 0; i < rows; i++)
            {
                points[i] = [random.NextInt(grid), random.NextInt(grid)];
                labels[i] = i < classes ? i : random.NextInt(classes);
            }
            SeparabilityReport report = Separability.Analyze(points.SelectMany(p => p).ToArray(), 2, labels, classes);
            foreach (SeparabilityEntry entry in report.Pairs.Concat(report.OneVsRest))
            {
                bool[] inFirst = labels.Select(l => l == entry.Class).ToArray();
                bool[] inSecond = labels.Select(l => entry.OtherClass is int other ? l == other : l != entry.Class).ToArray();
                int expected = BruteForce(
                    points.Where((_, i) => inFirst[i]).ToArray(), points.Where((_, i) => inSecond[i]).ToArray());
                Assert.True(expected == entry.FewestWrong,
                    $"trial {trial}, class {entry.Class} vs {entry.OtherClass?.ToString() ?? "rest"}: brute force {expected}, sweep {entry.FewestWrong}; " +
                    $"points {string.Join(" ", points.Select((p, i) => $"({p[0]},{p[1]}):{labels[i]}"))}");
                Assert.True(entry.FewestWrongIsExact);
                Assert.Equal(expected == 0, entry.Separable);
                seen[expected] = seen.GetValueOrDefault(expected) + 1;
            }
        }
        output.WriteLine("counts seen: " + string.Join(", ", seen.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}")));
        Assert.True(seen.Keys.Count(k => k >= 2) >= 3, "the random sets should need several different counts");
    }

    [Fact]
    public void OnOverlappingClustersOfHundredsOfPointsTheSweepMatchesBruteForce()
    {
        // Gaussian clusters of 40-60 points on an integer grid, overlapping: sets large enough for the bucket sort of
        // the directions (the random sets above are not), with most points deep inside their own class's onion layers,
        // so the sweep skips their pivots; duplicates and collinear runs come from the grid. Two to four classes: the
        // pairs and the one-vs-rest counts, on all cores and on one.
        var random = new SeededRandom(8);
        var seen = new Dictionary<int, int>();
        for (int trial = 0; trial < 16; trial++)
        {
            int classes = 2 + trial % 3, perClass = 40 + random.NextInt(21);
            double spread = trial % 2 == 0 ? 30 : 4; // a fine grid, or a coarse one with many shared locations
            var features = new List<float>();
            var labels = new List<int>();
            for (int c = 0; c < classes; c++)
                for (int i = 0; i < perClass; i++)
                {
                    features.Add(MathF.Round((float)((random.NextGaussian() + 1.5 * c) * spread)));
                    features.Add(MathF.Round((float)((random.NextGaussian() + (c % 2)) * spread)));
                    labels.Add(c);
                }
            float[][] points = [.. Enumerable.Range(0, labels.Count).Select(i => new[] { features[2 * i], features[2 * i + 1] })];
            SeparabilityReport report = Separability.Analyze([.. features], 2, [.. labels], classes);
            SeparabilityReport oneCore = Separability.Analyze([.. features], 2, [.. labels], classes, maxDegreeOfParallelism: 1);
            foreach ((SeparabilityEntry entry, SeparabilityEntry alone) in report.Pairs.Concat(report.OneVsRest).Zip(oneCore.Pairs.Concat(oneCore.OneVsRest)))
            {
                int expected = BruteForce(
                    points.Where((_, i) => labels[i] == entry.Class).ToArray(),
                    points.Where((_, i) => entry.OtherClass is int other ? labels[i] == other : labels[i] != entry.Class).ToArray());
                Assert.True(expected == entry.FewestWrong, $"trial {trial}, class {entry.Class} vs {entry.OtherClass?.ToString() ?? "rest"}: brute force {expected}, sweep {entry.FewestWrong}");
                Assert.Equal(entry, alone);
                seen[expected] = seen.GetValueOrDefault(expected) + 1;
            }
        }
        output.WriteLine("counts seen: " + string.Join(", ", seen.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}")));
        Assert.True(seen.Keys.Count(k => k >= 5) >= 5, "the clusters should overlap by several different counts");
    }

    [Fact]
    public void CountingOnlyTheWorstPairNamesTheSamePairWithTheSameCountAndWording()
    {
        // Overlapping clusters of 3 to 10 classes, some with ties in the share wrong (equal classes on a coarse grid).
        var random = new SeededRandom(12);
        int uncounted = 0;
        for (int trial = 0; trial < 40; trial++)
        {
            int classes = 3 + trial % 8, perClass = 10 + random.NextInt(50);
            double spread = trial % 3 == 0 ? 1 : 20;
            var features = new List<float>();
            var labels = new List<int>();
            for (int c = 0; c < classes; c++)
                for (int i = 0; i < perClass + (trial % 2) * random.NextInt(10); i++)
                {
                    features.Add(MathF.Round((float)((random.NextGaussian() + 1.2 * Math.Cos(c)) * spread)));
                    features.Add(MathF.Round((float)((random.NextGaussian() + 1.2 * Math.Sin(c)) * spread)));
                    labels.Add(c);
                }
            SeparabilityReport all = Separability.Analyze([.. features], 2, [.. labels], classes, counts: FewestWrongCounts.Pairs);
            SeparabilityReport worst = Separability.Analyze([.. features], 2, [.. labels], classes, counts: FewestWrongCounts.WorstPair, maxDegreeOfParallelism: 1);
            Assert.Equal(HiddenSpaceClaim.Worst(all), HiddenSpaceClaim.Worst(worst));
            Assert.Equal(HiddenSpaceClaim.Verdict(all), HiddenSpaceClaim.Verdict(worst));
            Assert.Equal(all.Pairs.Select(e => e.Separable), worst.Pairs.Select(e => e.Separable));
            Assert.Equal(all.OneVsRest, worst.OneVsRest);
            for (int v = 0; v < all.Pairs.Count; v++)
                if (worst.Pairs[v].FewestWrong is int wrong) Assert.Equal(all.Pairs[v].FewestWrong, wrong);
                else if (all.Pairs[v].Separable == false) uncounted++;
        }
        output.WriteLine($"{uncounted} pairs not counted");
        Assert.True(uncounted >= 100, $"only {uncounted} pairs were left without a count");
    }

    [Fact]
    public void AMaxDegreeOfParallelismOfZeroOrBelowMinusOneIsRefusedByName()
    {
        float[] features = [0, 0, 1, 1];
        int[] labels = [0, 1];
        foreach (int bad in new[] { 0, -2 })
            Assert.Equal("maxDegreeOfParallelism",
                Assert.Throws<ArgumentOutOfRangeException>(() => Separability.Analyze(features, 2, labels, 2, maxDegreeOfParallelism: bad)).ParamName);
    }

    [Fact]
    public void AboveTwoDimensionsTheSearchNeverBeatsTheExactMinimumAndUsuallyMeetsIt()
    {
        var random = new SeededRandom(5);
        int trials = 150, exact = 0, notSeparable = 0;
        for (int trial = 0; trial < trials; trial++)
        {
            int dimension = 3 + trial % 2, rows = 6 + random.NextInt(6);
            var features = new float[rows * dimension];
            var labels = new int[rows];
            for (int i = 0; i < rows; i++)
            {
                labels[i] = i < 2 ? i : random.NextInt(2);
                for (int f = 0; f < dimension; f++)
                    features[i * dimension + f] = trial % 3 == 0 ? random.NextInt(3) : (float)random.NextGaussian();
            }
            SeparabilityEntry entry = Separability.Analyze(features, dimension, labels, 2).Pair(0, 1);
            int oracle = ExactBySubsets(features, dimension, labels);
            Assert.True(entry.FewestWrong >= oracle, $"trial {trial}: the search reports {entry.FewestWrong}, below the exact minimum {oracle}");
            Assert.Equal(oracle == 0, entry.Separable);
            if (oracle > 0) notSeparable++;
            if (entry.FewestWrong == oracle) exact++;
            if (entry.FewestWrongIsExact) Assert.Equal(oracle, entry.FewestWrong);
        }
        output.WriteLine($"{exact} of {trials} exact ({notSeparable} not separable)");
        Assert.True(notSeparable >= 30, $"only {notSeparable} of {trials} sets were not separable");
        Assert.True(exact >= trials * 9 / 10, $"the search met the exact minimum in {exact} of {trials} sets");
    }

    private static SeparabilityEntry Pair(float[][] first, float[][] second)
    {
        float[] features = [.. first.SelectMany(p => p), .. second.SelectMany(p => p)];
        int[] labels = [.. first.Select(_ => 0), .. second.Select(_ => 1)];
        return Separability.Analyze(features, first[0].Length, labels, 2).Pair(0, 1);
    }

    /// <summary>
    /// The fewest errors by brute force, on integer coordinates (exact in long): every line through two distinct
    /// locations, with the points on it split the ways a tiny turn and shift can split them (a prefix along the
    /// line to one side and the rest to the other, or all to one side), both orientations; and all points on
    /// one side.
    /// </summary>
    private static int BruteForce(float[][] first, float[][] second)
    {
        var locations = first.Select(p => (X: (long)p[0], Y: (long)p[1])).Concat(second.Select(p => (X: (long)p[0], Y: (long)p[1]))).Distinct().ToArray();
        int[] a = locations.Select(l => first.Count(p => (long)p[0] == l.X && (long)p[1] == l.Y)).ToArray();
        int[] b = locations.Select(l => second.Count(p => (long)p[0] == l.X && (long)p[1] == l.Y)).ToArray();
        int best = Math.Min(first.Length, second.Length);
        for (int i = 0; i < locations.Length; i++)
            for (int j = i + 1; j < locations.Length; j++)
            {
                long dx = locations[j].X - locations[i].X, dy = locations[j].Y - locations[i].Y;
                var side = new int[locations.Length];
                var onLine = new List<(long T, int K)>();
                for (int k = 0; k < locations.Length; k++)
                {
                    long ex = locations[k].X - locations[i].X, ey = locations[k].Y - locations[i].Y;
                    side[k] = Math.Sign(dx * ey - dy * ex);
                    if (side[k] == 0) onLine.Add((dx * ex + dy * ey, k));
                }
                onLine.Sort();
                foreach (int firstSide in new[] { 1, -1 })
                {
                    int Wrong(int k, int s) => s == firstSide ? b[k] : a[k];
                    int off = Enumerable.Range(0, locations.Length).Where(k => side[k] != 0).Sum(k => Wrong(k, side[k]));
                    for (int prefix = 0; prefix <= onLine.Count; prefix++)
                        foreach (int prefixSide in new[] { 1, -1 })
                        {
                            int on = onLine.Select((t, index) => Wrong(t.K, index < prefix ? prefixSide : -prefixSide)).Sum();
                            best = Math.Min(best, off + on);
                        }
                }
            }
        return best;
    }

    /// <summary>The exact minimum in any dimension for a few rows: the smallest k such that dropping some k rows leaves a separable set.</summary>
    private static int ExactBySubsets(float[] features, int dimension, int[] labels)
    {
        int rows = labels.Length;
        for (int k = 0; k <= rows; k++)
            foreach (int[] dropped in Subsets(rows, k))
            {
                int[] kept = Enumerable.Range(0, rows).Except(dropped).ToArray();
                if (kept.Select(i => labels[i]).Distinct().Count() < 2) return k;
                float[] keptFeatures = kept.SelectMany(i => features.Skip(i * dimension).Take(dimension)).ToArray();
                if (Separability.Analyze(keptFeatures, dimension, kept.Select(i => labels[i]).ToArray(), 2, SeparabilityMethod.LinearProgram).Separable == true)
                    return k;
            }
        throw new InvalidOperationException("unreachable: dropping every row of one class leaves a separable set");
    }

    private static IEnumerable<int[]> Subsets(int n, int k)
    {
        if (k == 0)
        {
            yield return [];
            yield break;
        }
        for (int last = k - 1; last < n; last++)
            foreach (int[] rest in Subsets(last, k - 1))
                yield return [.. rest, last];
    }
}
