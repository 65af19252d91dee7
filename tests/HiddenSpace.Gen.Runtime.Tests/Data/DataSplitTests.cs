using System;
using System.Linq;
using Xunit;

namespace HiddenSpace.Tests.Data;

public class DataSplitTests
{
    /// <summary>Rows whose only feature is their index, so every row can be traced through the split.</summary>
    private static Dataset Indexed(params int[] classSizes)
    {
        int[] labels = classSizes.SelectMany((size, label) => Enumerable.Repeat(label, size)).ToArray();
        // Interleave the classes so that a split which ignored labels would not keep the proportions by luck.
        labels = labels.Select((label, i) => (label, key: (i * 7919) % labels.Length)).OrderBy(p => p.key).Select(p => p.label).ToArray();
        float[] features = Enumerable.Range(0, labels.Length).Select(i => (float)i).ToArray();
        return Dataset.ForClassification("indexed", 1, features, labels, classSizes.Length);
    }

    private static int[] RowIds(Dataset data) => Enumerable.Range(0, data.Count).Select(i => (int)data.Row(i)[0]).ToArray();

    [Fact]
    public void EachClassKeepsItsProportionAndTheSplitIsAPermutationInOriginalOrder()
    {
        Dataset data = Indexed(50, 31, 7, 12);
        (Dataset train, Dataset test) = data.StratifiedSplit(0.3, seed: 1);

        int[] trainIds = RowIds(train), testIds = RowIds(test);
        Assert.Equal(Enumerable.Range(0, data.Count), trainIds.Concat(testIds).Order());
        Assert.Equal(trainIds.Order(), trainIds);
        Assert.Equal(testIds.Order(), testIds);
        Assert.All(Enumerable.Range(0, train.Count), i => Assert.Equal(data.Labels[trainIds[i]], train.Labels[i]));
        Assert.All(Enumerable.Range(0, test.Count), i => Assert.Equal(data.Labels[testIds[i]], test.Labels[i]));

        int[] expectedTest = [15, 9, 2, 4]; // round(0.3 · n), midpoints away from zero
        for (int label = 0; label < 4; label++)
        {
            Assert.Equal(expectedTest[label], test.Labels.ToArray().Count(l => l == label));
            Assert.Equal(data.Labels.ToArray().Count(l => l == label) - expectedTest[label], train.Labels.ToArray().Count(l => l == label));
        }
        Assert.Equal(4, train.ClassCount);
        Assert.Equal(4, test.ClassCount);
    }

    [Fact]
    public void SameSeedGivesTheSameSplitAndAnotherSeedADifferentOne()
    {
        Dataset data = Datasets.Moons(200, 0.1, seed: 0);
        int[] a = RowIds(Indexed(100, 100).StratifiedSplit(0.25, seed: 4).Test);
        int[] b = RowIds(Indexed(100, 100).StratifiedSplit(0.25, seed: 4).Test);
        int[] c = RowIds(Indexed(100, 100).StratifiedSplit(0.25, seed: 5).Test);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(data.StratifiedSplit(0.3, 2).Test.Features.ToArray(), data.StratifiedSplit(0.3, 2).Test.Features.ToArray());
    }

    [Fact]
    public void ClassNamesAreCheckedAndGoWithEveryRowSetMadeFromTheirs()
    {
        string[] names = ["no", "yes"];
        float[] features = [.. Enumerable.Range(0, 20).Select(i => (float)i)];
        int[] labels = [.. Enumerable.Range(0, 20).Select(i => i % 2)];
        Dataset data = Dataset.ForClassification("d", 1, features, labels, 2, classNames: names);
        (Dataset train, Dataset test) = data.StratifiedSplit(0.3, seed: 1);
        foreach (Dataset made in new[] { train, test, data.Subset([3, 1]), data.WithFeatures(features), train.Concat(test), StratifiedSample.Of(data, 6, seed: 1) })
            Assert.Equal(names, made.ClassNames);

        Assert.Throws<ArgumentException>(() => data.Concat(Dataset.ForClassification("e", 1, features, labels, 2, classNames: ["yes", "no"])));
        Assert.Throws<ArgumentException>(() => data.Concat(Dataset.ForClassification("e", 1, features, labels, 2)));
        Assert.Throws<ArgumentException>(() => Dataset.ForClassification("e", 1, features, labels, 2, classNames: ["no"]));
        Assert.Throws<ArgumentException>(() => Dataset.ForClassification("e", 1, features, labels, 2, classNames: ["no", "no"]));
        Assert.Throws<ArgumentException>(() => Dataset.ForClassification("e", 1, features, labels, 2, classNames: ["no", ""]));
        Assert.Null(Dataset.ForClassification("e", 1, features, labels, 2).ClassNames);
    }

    [Fact]
    public void RegressionRowsAreSplitWithoutStrata()
    {
        Dataset ridge = Datasets.SineRidge(101, seed: 3);
        (Dataset train, Dataset test) = ridge.StratifiedSplit(0.2, seed: 7);
        Assert.Equal(20, test.Count);
        Assert.Equal(81, train.Count);
        Assert.Equal(TaskKind.Regression, test.Task);
        var original = Enumerable.Range(0, ridge.Count).Select(i => (ridge.Row(i)[0], ridge.Row(i)[1], ridge.Values[i])).ToHashSet();
        var split = Enumerable.Range(0, train.Count).Select(i => (train.Row(i)[0], train.Row(i)[1], train.Values[i]))
            .Concat(Enumerable.Range(0, test.Count).Select(i => (test.Row(i)[0], test.Row(i)[1], test.Values[i]))).ToArray();
        Assert.Equal(original.Count, split.Length);
        Assert.True(original.SetEquals(split));
    }

    [Fact]
    public void AClassWithoutTrainingRowsIsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => Indexed(10, 10, 1).StratifiedSplit(0.6, seed: 0));
        Assert.Contains("Class 2 has 1 row(s)", error.Message);
        Assert.Equal("data", error.ParamName);
    }

    [Fact]
    public void TestFractionMustBeStrictlyBetweenZeroAndOneAndGiveATestRow()
    {
        Dataset data = Indexed(10, 10);
        foreach (double fraction in new[] { 0.0, 1.0, -0.1, double.NaN })
            Assert.Equal("testFraction", Assert.Throws<ArgumentOutOfRangeException>(() => data.StratifiedSplit(fraction, 0)).ParamName);
        Assert.Equal("testFraction", Assert.Throws<ArgumentException>(() => data.StratifiedSplit(0.01, 0)).ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    public void TheSplitIsTheOneTheOriginalPerClassShuffleGives(int seed)
    {
        // The split is computed from the class sizes (so streamed rows get it too); this is the algorithm it
        // replaced, written out: each class's row indices shuffled in turn with one generator, the first share to test.
        Dataset data = Indexed(50, 31, 7, 12);
        var random = new SeededRandom(seed);
        var expectedTest = new System.Collections.Generic.SortedSet<int>();
        for (int label = 0; label < 4; label++)
        {
            int[] rows = Enumerable.Range(0, data.Count).Where(i => data.Labels[i] == label).ToArray();
            random.Shuffle(rows.AsSpan());
            foreach (int row in rows.Take((int)Math.Round(0.3 * rows.Length, MidpointRounding.AwayFromZero))) expectedTest.Add(row);
        }
        (_, Dataset test) = data.StratifiedSplit(0.3, seed);
        Assert.Equal(expectedTest, RowIds(test));
        Assert.Equal(expectedTest, Enumerable.Range(0, test.Count).Select(test.SourceRow));
    }

    [Fact]
    public void StratifiedSamplesKeepClassSharesAndRowOrderAndTraceBackToTheSource()
    {
        Dataset data = Indexed(500, 310, 70, 120);
        (Dataset train, _) = data.StratifiedSplit(0.3, seed: 3);
        Dataset sample = StratifiedSample.Of(train, 100, seed: 8);
        Assert.Equal(100, sample.Count);
        int[] perClass = Enumerable.Range(0, 4).Select(c => sample.Labels.ToArray().Count(l => l == c)).ToArray();
        // Shares 350, 217, 49, 84 of 700: 50, 31, 7, 12 exactly.
        Assert.Equal([50, 31, 7, 12], perClass);
        int[] ids = RowIds(sample);
        Assert.Equal(ids.Order(), ids);
        for (int i = 0; i < sample.Count; i++) Assert.Equal(ids[i], sample.SourceRow(i));
        Assert.Equal(ids, RowIds(StratifiedSample.Of(train, 100, seed: 8)));
        Assert.NotEqual(ids, RowIds(StratifiedSample.Of(train, 100, seed: 9)));
        Assert.Same(train, StratifiedSample.Of(train, train.Count, seed: 8));
    }

    [Fact]
    public void AllocationGivesLeftoverRowsToTheLargestRemainders()
    {
        // 10 rows of 30 + 30 + 40: shares 3, 3, 4 exactly.
        Assert.Equal([3L, 3L, 4L], StratifiedSample.Allocate([30, 30, 40], 10));
        // Shares 1.5, 1.5: the tie goes to the lower class.
        Assert.Equal([2L, 1L], StratifiedSample.Allocate([5, 5], 3));
        Assert.Equal([5L, 5L], StratifiedSample.Allocate([5, 5], 50));
    }
}
