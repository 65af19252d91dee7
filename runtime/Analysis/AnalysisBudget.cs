using System;

namespace HiddenSpace;

/// <summary>
/// How much work the analysis does per representation (the raw input or a tap), so that wide or long data costs a
/// stated, bounded amount. Each split is cut to a stratified sample of at most <see cref="RowsFor"/> rows:
/// <see cref="MaxRows"/>, and fewer for wide representations so that rows × width stays within
/// <see cref="MaxValues"/>. On that sample the probe costs O(n²·d + 1,000·n·min(n, d)·k) and a separability
/// program works in at most min(n, d) dimensions (rows wider than they are many are written in the coordinates
/// of their span, which keeps every verdict; see <see cref="LinearProbe"/>).
/// </summary>
/// <param name="MaxRows">Rows per split at most.</param>
/// <param name="MaxValues">Rows × width per split at most.</param>
/// <param name="Seed">Seed of the samples.</param>
public sealed record AnalysisBudget(int MaxRows = AnalysisBudget.DefaultMaxRows, long MaxValues = AnalysisBudget.DefaultMaxValues, int Seed = 0)
{
    /// <summary>Rows per split by default.</summary>
    public const int DefaultMaxRows = 20_000;

    /// <summary>Rows × width per split by default.</summary>
    public const long DefaultMaxValues = 1_000_000;

    /// <summary>The rows per split for a representation <paramref name="width"/> values wide (at least 2).</summary>
    public int RowsFor(int width) => (int)Math.Clamp(MaxValues / Math.Max(1, width), 2, Math.Max(2, MaxRows));

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (MaxRows < 2) throw new ArgumentOutOfRangeException(nameof(MaxRows), MaxRows, "The analysis needs at least 2 rows per split.");
        if (MaxValues < 2) throw new ArgumentOutOfRangeException(nameof(MaxValues), MaxValues, "The analysis needs at least 2 values per split.");
    }
}
