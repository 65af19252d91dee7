using System;
using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>
/// In more than two dimensions: a hyperplane that leaves few points of two sets that are not separable on the
/// wrong side, found by a stated method, and how many it leaves. The count is an upper bound on the fewest any
/// hyperplane leaves, certified by a hyperplane; it is exact when it is 1 (the sets are known not to be
/// separable).
/// </summary>
/// <remarks>
/// The method, in three steps:
/// <list type="number">
/// <item>Direction: the normal of a <see cref="LinearProbe"/> (logistic regression, C = 1) fitted to tell the
/// first set from the second.</item>
/// <item>Threshold: the best cut along that normal, found exactly by sorting the projections (either
/// orientation, cuts only between distinct values). The points it leaves on the wrong side are the start.</item>
/// <item>Add-back: each of those points, closest to the cut first, is put back with the correctly placed ones
/// when the <see cref="HullIntersectionProgram"/> shows the enlarged sets still strictly separable; the
/// program's verified hyperplane is the certificate. The points never put back are the count.</item>
/// </list>
/// Each add-back costs one linear program, so a representation that leaves w points on the wrong side costs
/// w programs; above <see cref="Separability.ExactCountLimit"/> points the add-back is skipped and the count is the
/// best cut's (steps 1 and 2: one probe fit and a sort).
/// </remarks>
internal static class HyperplaneErrorSearch
{
    /// <summary>The points of <paramref name="first"/> and <paramref name="second"/> the found hyperplane leaves on the wrong side.</summary>
    /// <param name="raw">The rows as given (the probe standardises them itself), row-major.</param>
    /// <param name="scaled">The same rows centred and scaled to unit radius (what the linear program takes).</param>
    /// <param name="dimension">Values per row.</param>
    /// <param name="first">Rows that belong on one side.</param>
    /// <param name="second">Rows that belong on the other.</param>
    /// <param name="addBack">Whether to run step 3; without it the count is the best cut's.</param>
    public static int FewestErrorsFound(ReadOnlySpan<float> raw, double[] scaled, int dimension, int[] first, int[] second, bool addBack = true)
    {
        double[] normal = ProbeNormal(raw, dimension, first, second);
        int n = first.Length + second.Length;
        var projections = new double[n]; // [first rows, then second rows] on the probe's normal
        for (int j = 0; j < n; j++)
        {
            int row = j < first.Length ? first[j] : second[j - first.Length];
            double sum = 0;
            for (int f = 0; f < dimension; f++) sum += normal[f] * scaled[row * dimension + f];
            projections[j] = sum;
        }
        List<int> wrong = WrongAtBestCut(projections, first.Length, out double cut);
        if (!addBack) return wrong.Count;
        wrong.Sort((a, b) => Math.Abs(projections[a] - cut).CompareTo(Math.Abs(projections[b] - cut)));

        var isWrong = new bool[n];
        foreach (int j in wrong) isWrong[j] = true;
        int count = wrong.Count;
        foreach (int candidate in wrong)
        {
            isWrong[candidate] = false;
            int[] keptFirst = Kept(first, 0, isWrong), keptSecond = Kept(second, first.Length, isWrong);
            // An empty side is separated by any hyperplane that leaves the other side behind it.
            if (keptFirst.Length == 0 || keptSecond.Length == 0 || HullIntersectionProgram.Decide(scaled, dimension, keptFirst, keptSecond).Separable) count--;
            else isWrong[candidate] = true;
        }
        return count;
    }

    /// <summary>The probe's weight vector on the raw features (its weights act on standardised ones).</summary>
    private static double[] ProbeNormal(ReadOnlySpan<float> raw, int dimension, int[] first, int[] second)
    {
        var features = new float[(first.Length + second.Length) * dimension];
        var labels = new int[first.Length + second.Length];
        for (int j = 0; j < labels.Length; j++)
        {
            int row = j < first.Length ? first[j] : second[j - first.Length];
            raw.Slice(row * dimension, dimension).CopyTo(features.AsSpan(j * dimension));
            labels[j] = j < first.Length ? 0 : 1;
        }
        LinearProbe probe = LinearProbe.Fit(features, dimension, labels, 2);
        var normal = new double[dimension];
        for (int f = 0; f < dimension; f++) normal[f] = probe.Weights[f] / probe.Standardizer.Deviations[f];
        return normal;
    }

    /// <summary>
    /// The positions (into <paramref name="projections"/>) left on the wrong side by the best cut, in either
    /// orientation, where positions below <paramref name="firstCount"/> belong to the first set.
    /// </summary>
    private static List<int> WrongAtBestCut(double[] projections, int firstCount, out double cut)
    {
        int n = projections.Length;
        var order = new int[n];
        for (int j = 0; j < n; j++) order[j] = j;
        Array.Sort(order, (a, b) => projections[a].CompareTo(projections[b]));
        int firstTotal = firstCount, secondTotal = n - firstCount;
        // Cut after k sorted positions (only between distinct values): first below or first above.
        int bestErrors = Math.Min(firstTotal, secondTotal), bestAt = 0;
        bool firstBelow = firstTotal <= secondTotal; // everything above the cut: the smaller set is wrong
        int firstSeen = 0, secondSeen = 0;
        for (int k = 1; k <= n; k++)
        {
            if (order[k - 1] < firstCount) firstSeen++;
            else secondSeen++;
            if (k < n && projections[order[k]] == projections[order[k - 1]]) continue;
            int below = secondSeen + (firstTotal - firstSeen), above = firstSeen + (secondTotal - secondSeen);
            if (below < bestErrors) (bestErrors, bestAt, firstBelow) = (below, k, true);
            if (above < bestErrors) (bestErrors, bestAt, firstBelow) = (above, k, false);
        }
        cut = bestAt == 0 ? projections[order[0]] - 1
            : bestAt == n ? projections[order[n - 1]] + 1
            : (projections[order[bestAt - 1]] + projections[order[bestAt]]) / 2;
        var wrong = new List<int>(bestErrors);
        for (int k = 0; k < n; k++)
        {
            int j = order[k];
            bool isFirst = j < firstCount, below = k < bestAt;
            if (isFirst != (below == firstBelow)) wrong.Add(j);
        }
        return wrong;
    }

    /// <summary>The rows of <paramref name="rows"/> not marked wrong (their positions start at <paramref name="offset"/>).</summary>
    private static int[] Kept(int[] rows, int offset, bool[] isWrong)
    {
        var kept = new List<int>(rows.Length);
        for (int i = 0; i < rows.Length; i++)
            if (!isWrong[offset + i]) kept.Add(rows[i]);
        return [.. kept];
    }
}
