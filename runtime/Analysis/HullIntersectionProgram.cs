using System;
using System.Numerics;

namespace HiddenSpace;

/// <summary>
/// Decides whether two point sets in ℝᵈ are strictly linearly separable with a linear program, in double.
/// </summary>
/// <remarks>
/// <para>
/// The question "is there (w, b) with w·x + b ≤ −1 on the first set and ≥ 1 on the second" is, by Farkas'
/// lemma, the negation of "the convex hulls meet": λ, μ ≥ 0, Σλ = 1, Σμ = 1, Σλᵢxᵢ − Σμⱼxⱼ = 0. This class
/// solves the second system, which has only d + 2 equality rows (n = |first| + |second| columns), by the
/// Phase I simplex method on a dense tableau: artificial variables start as the basis and their sum is
/// minimised. The entering column is the most negative reduced cost (Dantzig); after
/// <see cref="DegeneratePivotsPerRowBeforeBland"/> × (d + 2) pivots in a row that do not lower the objective it switches to
/// Bland's rule (lowest index enters, lowest basic index leaves on ties) until the objective falls again,
/// so it cannot cycle. A pivot costs O((d + 2)·(n + d + 2)).
/// </para>
/// <para>
/// The verdict "separable" is never taken from the objective alone. At the optimum, the simplex
/// multipliers y = c_Bᵀ·B⁻¹ of the first d rows form a normal w with max over the first set of w·x below
/// min over the second set whenever the hulls are disjoint (the Farkas certificate). That hyperplane is
/// checked against every point; the sets count as separable only when the gap it leaves, divided by ‖w‖,
/// exceeds <see cref="GapTolerance"/>. Callers pass points scaled to unit data radius, so hulls closer than
/// about 1e-9 of the data radius count as touching, i.e. not strictly separable.
/// </para>
/// </remarks>
internal static class HullIntersectionProgram
{
    /// <summary>A reduced cost must be below −this for its column to enter.</summary>
    public const double ReducedCostTolerance = 1e-9;

    /// <summary>Column entries at or below this are not used as pivots.</summary>
    public const double PivotTolerance = 1e-11;

    /// <summary>Smallest gap (in units of the data radius) that the certificate must leave between the sets.</summary>
    public const double GapTolerance = 1e-9;

    /// <summary>
    /// Degenerate pivots in a row, per constraint row, after which Bland's rule takes over. The d rows with
    /// right-hand side 0 make long degenerate stretches normal here, and Dantzig's rule leaves them far sooner
    /// than Bland's (1,000 random points in 64 dimensions: about 100–300 pivots against 1,300–4,400 when Bland's
    /// rule took over after 50).
    /// </summary>
    public const int DegeneratePivotsPerRowBeforeBland = 10;

    /// <summary>Whether the rows <paramref name="first"/> and <paramref name="second"/> of <paramref name="points"/> (row-major, centred and scaled) are strictly separable.</summary>
    /// <exception cref="InvalidOperationException">The simplex broke down numerically or exceeded its pivot limit; not expected.</exception>
    public static LinearProgramVerdict Decide(ReadOnlySpan<double> points, int dimension, ReadOnlySpan<int> first, ReadOnlySpan<int> second)
    {
        int d = dimension, n = first.Length + second.Length, m = d + 2;
        int columns = n + m, stride = columns + 1;
        var tableau = new double[m * stride]; // [m × (n + m + 1)]: B⁻¹A for the points, then the artificials, then B⁻¹b
        var reduced = new double[stride];     // [n + m + 1]: reduced costs, then −objective
        var basis = new int[m];               // [m]: the basic column of each row
        for (int j = 0; j < n; j++)
        {
            bool inFirst = j < first.Length;
            int row = inFirst ? first[j] : second[j - first.Length];
            double sign = inFirst ? 1 : -1;
            for (int r = 0; r < d; r++) tableau[r * stride + j] = sign * points[row * d + r];
            tableau[(inFirst ? d : d + 1) * stride + j] = 1;
        }
        for (int r = 0; r < m; r++)
        {
            tableau[r * stride + n + r] = 1;
            basis[r] = n + r;
        }
        tableau[d * stride + columns] = 1;       // Σλ = 1
        tableau[(d + 1) * stride + columns] = 1; // Σμ = 1
        // Costs: 0 for the points, 1 for the artificials; with the artificials basic, reduced cost = −column sum.
        for (int j = 0; j < n; j++)
            for (int r = 0; r < m; r++) reduced[j] -= tableau[r * stride + j];
        reduced[columns] = -2;

        var blocked = new bool[n]; // columns without a usable pivot since the last pivot
        int pivotLimit = 100 * columns, blandAfter = DegeneratePivotsPerRowBeforeBland * m, degenerateRun = 0, pivots = 0;
        while (true)
        {
            int entering = ChooseEntering(reduced.AsSpan(0, n), blocked, bland: degenerateRun >= blandAfter);
            if (entering < 0) break;
            int leaving = ChooseLeaving(tableau, stride, basis, entering, bland: degenerateRun >= blandAfter);
            if (leaving < 0)
            {
                blocked[entering] = true;
                continue;
            }
            if (++pivots > pivotLimit)
                throw new InvalidOperationException($"The separability program did not finish within {pivotLimit} pivots ({n} points, dimension {d}).");
            double step = Pivot(tableau, reduced, stride, m, leaving, entering);
            basis[leaving] = entering;
            Array.Clear(blocked);
            degenerateRun = step > 0 ? 0 : degenerateRun + 1;
        }

        // y_r = c_r − reduced cost of artificial r = 1 − reduced[n + r]; w = y[0..d).
        var normal = new double[d];
        double normSquared = 0;
        for (int r = 0; r < d; r++)
        {
            normal[r] = 1 - reduced[n + r];
            normSquared += normal[r] * normal[r];
        }
        double norm = Math.Sqrt(normSquared);
        if (!(norm > 0)) return new LinearProgramVerdict(false, 0, pivots);
        double highestFirst = double.NegativeInfinity, lowestSecond = double.PositiveInfinity;
        foreach (int row in first) highestFirst = Math.Max(highestFirst, Project(points, d, row, normal));
        foreach (int row in second) lowestSecond = Math.Min(lowestSecond, Project(points, d, row, normal));
        double gap = (lowestSecond - highestFirst) / norm;
        return new LinearProgramVerdict(gap > GapTolerance, gap, pivots);
    }

    private static double Project(ReadOnlySpan<double> points, int d, int row, double[] normal)
    {
        double sum = 0;
        for (int f = 0; f < d; f++) sum += normal[f] * points[row * d + f];
        return sum;
    }

    /// <summary>The most negative reduced cost (Dantzig), or the first negative one (Bland); −1 at the optimum.</summary>
    private static int ChooseEntering(ReadOnlySpan<double> reduced, bool[] blocked, bool bland)
    {
        int entering = -1;
        for (int j = 0; j < reduced.Length; j++)
        {
            if (reduced[j] >= -ReducedCostTolerance || blocked[j]) continue;
            if (bland) return j;
            if (entering < 0 || reduced[j] < reduced[entering]) entering = j;
        }
        return entering;
    }

    /// <summary>The row of the minimum ratio rhs / entry over positive entries; ties go to the larger entry (Dantzig) or the lower basic index (Bland).</summary>
    private static int ChooseLeaving(double[] tableau, int stride, int[] basis, int entering, bool bland)
    {
        int leaving = -1;
        double bestRatio = double.PositiveInfinity, bestEntry = 0;
        for (int r = 0; r < basis.Length; r++)
        {
            double entry = tableau[r * stride + entering];
            if (entry <= PivotTolerance) continue;
            double ratio = Math.Max(tableau[r * stride + stride - 1], 0) / entry;
            bool better = leaving < 0 || ratio < bestRatio
                || (ratio == bestRatio && (bland ? basis[r] < basis[leaving] : entry > bestEntry));
            if (!better) continue;
            leaving = r;
            bestRatio = ratio;
            bestEntry = entry;
        }
        return leaving;
    }

    /// <summary>Gauss–Jordan step on (row, column); returns the entering variable's new value.</summary>
    private static double Pivot(double[] tableau, double[] reduced, int stride, int m, int row, int column)
    {
        Span<double> pivotRow = tableau.AsSpan(row * stride, stride);
        double inverse = 1 / pivotRow[column];
        for (int k = 0; k < stride; k++) pivotRow[k] *= inverse;
        pivotRow[column] = 1;
        for (int r = 0; r < m; r++)
        {
            if (r == row) continue;
            Span<double> target = tableau.AsSpan(r * stride, stride);
            double factor = target[column];
            if (factor == 0) continue;
            SubtractScaled(target, pivotRow, factor);
            target[column] = 0;
        }
        SubtractScaled(reduced, pivotRow, reduced[column]);
        reduced[column] = 0;
        return pivotRow[stride - 1];
    }

    /// <summary>target −= factor · source.</summary>
    private static void SubtractScaled(Span<double> target, ReadOnlySpan<double> source, double factor)
    {
        int i = 0;
        var scale = new Vector<double>(factor);
        for (; i <= target.Length - Vector<double>.Count; i += Vector<double>.Count)
            (new Vector<double>(target[i..]) - scale * new Vector<double>(source[i..])).CopyTo(target[i..]);
        for (; i < target.Length; i++) target[i] -= factor * source[i];
    }
}

/// <summary>The outcome of <see cref="HullIntersectionProgram.Decide"/>.</summary>
/// <param name="Separable">Whether a verified hyperplane separates the sets by more than the gap tolerance.</param>
/// <param name="Gap">The gap the certificate leaves, in the caller's (scaled) units; ≤ 0 when the hulls meet.</param>
/// <param name="Pivots">Simplex pivots taken.</param>
internal readonly record struct LinearProgramVerdict(bool Separable, double Gap, int Pivots);
