using System;

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
        SplitPlan plan = SplitPlan.Create(data.RowsPerStratum(), data.Task, testFraction, seed, data.Name);

        var test = new int[(int)plan.TestCount];
        var train = new int[data.Count - test.Length];
        int trainAt = 0, testAt = 0;
        SplitPlan.Cursor cursor = plan.Start();
        for (int i = 0; i < data.Count; i++)
        {
            if (cursor.NextIsTest(data.Stratum(i))) test[testAt++] = i;
            else train[trainAt++] = i;
        }
        return (data.Subset(train), data.Subset(test));
    }
}
