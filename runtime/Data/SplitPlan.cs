using System;
using System.Collections;

namespace HiddenSpace;

/// <summary>
/// Which rows go to the test set in <see cref="DataSplit.StratifiedSplit"/>, computed from the class sizes alone:
/// for each class in turn, its rows (in row order) are shuffled with one <see cref="SeededRandom"/> and the first
/// round(test fraction · class size) go to the test set. Because only the class sizes are needed, rows read in
/// passes over a file (<see cref="CsvDataStream"/>) get exactly the split the in-memory data set gets. Memory:
/// one bit per row, plus 4 bytes per row of the largest class while the plan is made.
/// </summary>
internal sealed class SplitPlan
{
    private readonly BitArray[] _test; // per class: bit k says whether the class's k-th row is a test row

    private SplitPlan(BitArray[] test, int[] testRows)
    {
        _test = test;
        TestRowsPerClass = testRows;
        foreach (int rows in testRows) TestCount += rows;
    }

    /// <summary>Test rows per class.</summary>
    public int[] TestRowsPerClass { get; }

    /// <summary>Test rows in all.</summary>
    public long TestCount { get; }

    /// <summary>
    /// The plan for classes of <paramref name="rowsPerClass"/> rows (one "class" of every row for regression).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is not in (0, 1), or a class has more rows than an array holds.</exception>
    /// <exception cref="ArgumentException">A class would have no training row, or the test set would be empty.</exception>
    public static SplitPlan Create(ReadOnlySpan<long> rowsPerClass, TaskKind task, double testFraction, int seed, string dataName)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be in (0, 1).");
        var random = new SeededRandom(seed);
        var test = new BitArray[rowsPerClass.Length];
        var testRows = new int[rowsPerClass.Length];
        long total = 0, testTotal = 0;
        for (int cls = 0; cls < rowsPerClass.Length; cls++)
        {
            long size = rowsPerClass[cls];
            if (size > Array.MaxLength)
                throw new ArgumentOutOfRangeException(nameof(rowsPerClass), size, $"Class {cls} has {size} rows; at most {Array.MaxLength} can be split.");
            int rows = (int)size, share = (int)Math.Round(testFraction * rows, MidpointRounding.AwayFromZero);
            if (rows - share < 1)
                throw new ArgumentException(task == TaskKind.Classification
                    ? $"Class {cls} has {rows} row(s) in data set '{dataName}'; holding out {testFraction} of them leaves none for training."
                    : $"Data set '{dataName}' has {rows} row(s); holding out {testFraction} of them leaves none for training.", "data");
            var positions = new int[rows];
            random.Permute(positions);
            test[cls] = new BitArray(rows);
            for (int k = 0; k < share; k++) test[cls][positions[k]] = true;
            testRows[cls] = share;
            total += rows;
            testTotal += share;
        }
        if (testTotal == 0)
            throw new ArgumentException($"Test fraction {testFraction} of data set '{dataName}' ({total} rows) gives an empty test set.", nameof(testFraction));
        return new SplitPlan(test, testRows);
    }

    /// <summary>A cursor for one pass over the rows, from the first row.</summary>
    public Cursor Start() => new(_test);

    /// <summary>Walks the rows of one pass in row order.</summary>
    public sealed class Cursor(BitArray[] test)
    {
        private readonly int[] _seen = new int[test.Length];

        /// <summary>Whether the next row, of class <paramref name="cls"/>, is a test row.</summary>
        public bool NextIsTest(int cls) => test[cls][_seen[cls]++];
    }
}
