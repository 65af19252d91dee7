using System;
using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>Which verdicts of <see cref="Separability"/> that are not separable get their fewest-wrong count.</summary>
public enum FewestWrongCounts
{
    /// <summary>Every verdict: each pair of classes and each class against the rest.</summary>
    All,

    /// <summary>
    /// The pairs only, which is all the multiclass wording uses; with more than two classes the one-vs-rest verdicts,
    /// the costly ones (each sweeps every point), get none.
    /// </summary>
    Pairs,

    /// <summary>
    /// Enough to name the worst pair, the one with the largest share wrong (the first on ties), which gets its count:
    /// as <see cref="Pairs"/>, except that a pair shown not to be the worst (a line leaving no larger share wrong was
    /// found) gets none. The wording of the report and of the worst pair stay those of <see cref="Pairs"/>; for
    /// pictures of many moments, such as the frames of a training. Only the hull method with more than two classes, up
    /// to <see cref="Separability.ExactCountLimit"/> points a pair, leaves pairs out; otherwise it is <see cref="Pairs"/>.
    /// </summary>
    WorstPair,
}

/// <summary>How <see cref="Separability"/> decides a verdict.</summary>
public enum SeparabilityMethod
{
    /// <summary>
    /// "hull": exact convex hulls in the plane (dimension 1 or 2; a 1-D set lies on the x-axis), with the
    /// maximum margin and its separating line.
    /// </summary>
    Hull,

    /// <summary>
    /// "lp": a linear program in any dimension, exact up to a tolerance of 1e-9 of the data radius
    /// (closer sets count as touching); no margin.
    /// </summary>
    LinearProgram,
}

/// <summary>
/// A line in the plane, NormalX·x + NormalY·y + Offset = 0, with (NormalX, NormalY) a unit vector, so the
/// left-hand side is the signed distance from the line. For a <see cref="SeparabilityEntry"/> the normal
/// points from <see cref="SeparabilityEntry.Class"/> towards the other side, and the maximum-margin line
/// leaves every point at least <see cref="SeparabilityEntry.Margin"/> away on its own side.
/// </summary>
/// <param name="NormalX">First component of the unit normal.</param>
/// <param name="NormalY">Second component of the unit normal (0 for 1-D data).</param>
/// <param name="Offset">Minus the normal's dot product with any point of the line.</param>
public readonly record struct SeparatingLine(double NormalX, double NormalY, double Offset)
{
    /// <summary>The signed distance of (<paramref name="x"/>, <paramref name="y"/>) from the line, positive on the side the normal points to.</summary>
    public double SignedDistance(double x, double y) => NormalX * x + NormalY * y + Offset;
}

/// <summary>
/// One verdict: whether the rows of <see cref="Class"/> can be strictly separated by a hyperplane from those of
/// <see cref="OtherClass"/>, or from all other rows when <see cref="OtherClass"/> is null (one-vs-rest).
/// </summary>
/// <param name="Class">The class on the first side.</param>
/// <param name="OtherClass">The class on the other side; null for all other classes together.</param>
/// <param name="Count">Rows of <see cref="Class"/>.</param>
/// <param name="OtherCount">Rows on the other side.</param>
/// <param name="Separable">
/// Whether a hyperplane leaves the two sides strictly apart; null ("not applicable") when a side has no rows.
/// Sets that touch, or share a point, are not separable.
/// </param>
/// <param name="Margin">
/// With <see cref="SeparabilityMethod.Hull"/> and a separable pair: half the distance between the two convex
/// hulls, which is the largest distance a separating line can keep from every point. Null otherwise.
/// </param>
/// <param name="NormalizedMargin"><see cref="Margin"/> divided by <see cref="SeparabilityReport.DataRadius"/>, comparable across scales, epochs and runs.</param>
/// <param name="Method">How the verdict was reached.</param>
/// <param name="Separator">The maximum-margin line when <see cref="Margin"/> is given, else null.</param>
public sealed record SeparabilityEntry(int Class, int? OtherClass, int Count, int OtherCount, bool? Separable,
    double? Margin, double? NormalizedMargin, SeparabilityMethod Method, SeparatingLine? Separator)
{
    /// <summary>Whether the other side is every other class.</summary>
    public bool IsOneVsRest => OtherClass is null;

    /// <summary>
    /// The fewest rows any single line (hyperplane) leaves on the wrong side or on itself, in the better
    /// orientation: 0 when <see cref="Separable"/>, null when not applicable or not counted (see
    /// <see cref="FewestWrongCounts"/>). Exact when
    /// <see cref="FewestWrongIsExact"/>; otherwise the fewest a search found, an upper bound (see
    /// <see cref="Separability"/>).
    /// </summary>
    public int? FewestWrong { get; init; }

    /// <summary>Whether <see cref="FewestWrong"/> is the exact minimum (always in 1 or 2 dimensions) rather than the best found.</summary>
    public bool FewestWrongIsExact { get; init; }

    /// <summary>Rows on both sides.</summary>
    public int Rows => Count + OtherCount;

    /// <summary>The share of rows the best line (hyperplane) puts on their own side, 1 − <see cref="FewestWrong"/> / <see cref="Rows"/>; null when not applicable.</summary>
    public double? BestLineAccuracy => FewestWrong is int wrong && Rows > 0 ? 1 - (double)wrong / Rows : null;
}

/// <summary>The linear separability of a labelled point set, class by class.</summary>
/// <param name="Dimension">Features per row.</param>
/// <param name="ClassCount">Number of classes the labels range over.</param>
/// <param name="Count">Rows analysed.</param>
/// <param name="DataRadius">Largest distance of a row from the centroid of all rows (0 for fewer than two distinct rows).</param>
/// <param name="Separable">
/// For two classes, the verdict of the pair; for more, whether every class is one-vs-rest separable. Classes
/// without rows are left out; null when fewer than two classes have rows.
/// </param>
/// <param name="OneVsRest">One entry per class, in class order.</param>
/// <param name="Pairs">One entry per pair of classes a &lt; b, ordered (0, 1), (0, 2), …, (1, 2), ….</param>
public sealed record SeparabilityReport(int Dimension, int ClassCount, int Count, double DataRadius, bool? Separable,
    IReadOnlyList<SeparabilityEntry> OneVsRest, IReadOnlyList<SeparabilityEntry> Pairs)
{
    /// <summary>The classes' names in class order when the data named them (<see cref="Dataset.ClassNames"/>), for wording; null otherwise.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>How a verdict names class <paramref name="c"/>: its name, or "class c".</summary>
    public string ClassName(int c) => ClassNames is { } names && (uint)c < (uint)names.Count
        ? names[c]
        : "class " + c.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The entry of the pair (<paramref name="a"/>, <paramref name="b"/>), oriented with <paramref name="a"/> first.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A class is out of range, or both are the same.</exception>
    public SeparabilityEntry Pair(int a, int b)
    {
        if ((uint)a >= (uint)ClassCount)
            throw new ArgumentOutOfRangeException(nameof(a), a, $"Classes are 0..{ClassCount - 1}.");
        if ((uint)b >= (uint)ClassCount || b == a)
            throw new ArgumentOutOfRangeException(nameof(b), b, $"Classes are 0..{ClassCount - 1} and differ from {a}.");
        foreach (SeparabilityEntry entry in Pairs)
        {
            if (entry.Class == a && entry.OtherClass == b) return entry;
            if (entry.Class == b && entry.OtherClass == a) return Separability.Mirror(entry, otherClass: b);
        }
        throw new InvalidOperationException($"The report has no entry for classes {a} and {b}.");
    }
}
