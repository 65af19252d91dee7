using System;

namespace HiddenSpace;

/// <summary>
/// Deterministic stratified samples: what the plots and the analysis use when a data set has more rows than they
/// can take. The sample keeps each class's share (to within one row, largest remainders rounded up) and draws
/// the rows of each class uniformly at random in one pass over the rows in order (Knuth's selection sampling,
/// one <see cref="SeededRandom"/> draw per row), so rows streamed from a file and rows held in memory give the
/// same sample. The sample keeps the rows' order.
/// </summary>
public static class StratifiedSample
{
    /// <summary>
    /// At most <paramref name="maxRows"/> rows of <paramref name="data"/>; <paramref name="data"/> itself when it
    /// has no more rows than that.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRows"/> is below 1.</exception>
    public static Dataset Of(Dataset data, int maxRows, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        if (data.Count <= maxRows) return data;
        var selector = new Selector(data.RowsPerStratum(), maxRows, seed);
        var chosen = new int[selector.Total];
        int at = 0;
        for (int i = 0; i < data.Count; i++)
            if (selector.Next(data.Stratum(i))) chosen[at++] = i;
        return data.Subset(chosen);
    }

    /// <summary>
    /// Rows per class in a sample of at most <paramref name="maxRows"/> of rows with <paramref name="rowsPerClass"/>:
    /// ⌊share⌋ each, the rows left over to the largest remainders (the lower class on ties).
    /// </summary>
    internal static long[] Allocate(ReadOnlySpan<long> rowsPerClass, long maxRows)
    {
        long total = 0;
        foreach (long rows in rowsPerClass) total += rows;
        long wanted = Math.Min(total, maxRows);
        var allocation = new long[rowsPerClass.Length];
        var remainders = new long[rowsPerClass.Length];
        long given = 0;
        for (int c = 0; c < rowsPerClass.Length; c++)
        {
            Int128 exact = (Int128)wanted * rowsPerClass[c];
            allocation[c] = (long)(exact / total);
            remainders[c] = (long)(exact % total);
            given += allocation[c];
        }
        for (; given < wanted; given++)
        {
            int best = 0;
            for (int c = 1; c < remainders.Length; c++)
                if (remainders[c] > remainders[best]) best = c;
            allocation[best]++;
            remainders[best] = -1;
        }
        return allocation;
    }

    /// <summary>Chooses rows one at a time, in row order, for a sample of the size <see cref="Allocate"/> gives.</summary>
    internal sealed class Selector
    {
        private readonly long[] _needed;
        private readonly long[] _remaining;
        private readonly SeededRandom _random;

        /// <summary>A selector for rows of <paramref name="rowsPerClass"/> (one class for regression).</summary>
        public Selector(ReadOnlySpan<long> rowsPerClass, long maxRows, int seed)
        {
            _needed = Allocate(rowsPerClass, maxRows);
            _remaining = rowsPerClass.ToArray();
            _random = new SeededRandom(seed);
            foreach (long rows in _needed) Total += (int)rows;
        }

        /// <summary>Rows the sample will hold.</summary>
        public int Total { get; }

        /// <summary>Whether the next row, of class <paramref name="cls"/>, is in the sample.</summary>
        public bool Next(int cls)
        {
            bool chosen = _random.NextDouble() * _remaining[cls] < _needed[cls];
            if (chosen) _needed[cls]--;
            _remaining[cls]--;
            return chosen;
        }
    }
}
