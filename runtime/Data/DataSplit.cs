using System;
using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>Seeded train/test splits of a <see cref="Dataset"/>.</summary>
public static class DataSplit
{
    /// <summary>
    /// Splits <paramref name="data"/> into a training and a test set. For classification each class is split
    /// on its own: its rows are shuffled and the first round(<paramref name="testFraction"/> · class size)
    /// (midpoints away from zero) go to the test set, so both sets keep the class proportions to within one
    /// row per class. For regression the same is done with all rows at once. Both sets keep the rows in their
    /// original relative order.
    /// </summary>
    /// <param name="data">The rows to split.</param>
    /// <param name="testFraction">Share of each class that goes to the test set, in (0, 1).</param>
    /// <param name="seed">Seed of the shuffles.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is not in (0, 1).</exception>
    /// <exception cref="ArgumentException">A class would have no training row, or the test set would be empty.</exception>
    public static (Dataset Train, Dataset Test) StratifiedSplit(this Dataset data, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be in (0, 1).");

        var random = new SeededRandom(seed);
        var inTest = new bool[data.Count];
        int testCount = 0;
        if (data.Task == TaskKind.Classification)
        {
            for (int label = 0; label < data.ClassCount; label++)
            {
                int[] rows = RowsWithLabel(data.Labels, label);
                int classTest = TestShare(rows.Length, testFraction);
                if (rows.Length - classTest < 1)
                    throw new ArgumentException(
                        $"Class {label} has {rows.Length} row(s) in data set '{data.Name}'; with test fraction {testFraction} none is left for training.",
                        nameof(data));
                testCount += MarkTestRows(rows, classTest, random, inTest);
            }
        }
        else
        {
            var rows = new int[data.Count];
            for (int i = 0; i < rows.Length; i++) rows[i] = i;
            int share = TestShare(rows.Length, testFraction);
            if (rows.Length - share < 1)
                throw new ArgumentException($"Data set '{data.Name}' has {rows.Length} row(s); with test fraction {testFraction} none is left for training.", nameof(data));
            testCount += MarkTestRows(rows, share, random, inTest);
        }
        if (testCount == 0)
            throw new ArgumentException($"Test fraction {testFraction} of data set '{data.Name}' ({data.Count} rows) gives an empty test set.", nameof(testFraction));

        var train = new int[data.Count - testCount];
        var test = new int[testCount];
        int trainAt = 0, testAt = 0;
        for (int i = 0; i < data.Count; i++)
        {
            if (inTest[i]) test[testAt++] = i;
            else train[trainAt++] = i;
        }
        return (data.Subset(train), data.Subset(test));
    }

    private static int TestShare(int rows, double testFraction) =>
        (int)Math.Round(testFraction * rows, MidpointRounding.AwayFromZero);

    private static int[] RowsWithLabel(ReadOnlySpan<int> labels, int label)
    {
        var rows = new List<int>();
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] == label) rows.Add(i);
        return rows.ToArray();
    }

    private static int MarkTestRows(int[] rows, int testCount, SeededRandom random, bool[] inTest)
    {
        random.Shuffle(rows.AsSpan());
        for (int i = 0; i < testCount; i++) inTest[rows[i]] = true;
        return testCount;
    }
}
