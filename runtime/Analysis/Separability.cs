using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace HiddenSpace;

/// <summary>
/// Whether the classes of a labelled point set are strictly linearly separable: the property the hidden
/// layers must create for the linear output layer, decided rather than estimated (compare
/// <see cref="LinearProbe"/>, which measures how well a regularised linear classifier does).
/// </summary>
/// <remarks>
/// <para>
/// In one or two dimensions (<see cref="SeparabilityMethod.Hull"/>) the verdict is exact: two finite sets are
/// strictly separable exactly when their convex hulls are disjoint, and the hulls are built and tested
/// with exact sign computations on the float coordinates (<see cref="PlanarPredicates"/>). A separable pair
/// also gets its maximum margin, half the distance between the hulls, and the line that attains it.
/// </para>
/// <para>
/// In more dimensions (<see cref="SeparabilityMethod.LinearProgram"/>) a Phase I simplex decides whether the
/// hulls meet, on data centred at the centroid and scaled to unit radius; "separable" is reported only
/// with a hyperplane checked against every row to leave a gap above 1e-9 of the data radius
/// (<see cref="HullIntersectionProgram"/>). Measured for two Gaussian classes of 1,000 rows in all, on a busy
/// 2-core machine: × 16 dimensions 20–70 pivots, 1–4 ms per verdict; × 64 dimensions 110–320 pivots,
/// 10–45 ms. Two classes take one program; k classes take k one-vs-rest and k(k − 1)/2 pairwise ones.
/// </para>
/// <para>
/// A verdict that is not separable also says how close it came: the fewest points any single line
/// (hyperplane) leaves on the wrong side or on itself (<see cref="SeparabilityEntry.FewestWrong"/>). In one
/// or two dimensions that count is exact (<see cref="LineErrorSweep"/>, a rotating sweep in O(n² log n)); in
/// more it is the best a stated search finds (<see cref="HyperplaneErrorSearch"/>: a linear probe's normal,
/// the best cut along it, then points put back while a linear program still separates), an upper bound.
/// Above <see cref="ExactCountLimit"/> points in a verdict, in any dimension, the count is the best cut along the
/// probe's normal alone (an upper bound): the sweep's n² log n and the add-back's program per point would run for
/// minutes on the 20,000-row samples of large data.
/// </para>
/// </remarks>
public static class Separability
{
    /// <summary>
    /// The most points (both sides of a verdict together) whose fewest-wrong count is searched in full: exact in 2-D
    /// (the sweep takes about 0.4 s at this size on this project's 2-core machine), with add-back above. Larger
    /// verdicts get the probe's best cut, an upper bound.
    /// </summary>
    public const int ExactCountLimit = 2_000;

    /// <summary>The separability of <paramref name="data"/>'s classes.</summary>
    /// <param name="data">A classification data set.</param>
    /// <param name="method">Null for <see cref="SeparabilityMethod.Hull"/> up to 2 features and <see cref="SeparabilityMethod.LinearProgram"/> above.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> is a regression set, or the hull method is asked for more than 2 features.</exception>
    /// <param name="cancellationToken">Checked between verdicts.</param>
    public static SeparabilityReport Analyze(Dataset data, SeparabilityMethod? method = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Task != TaskKind.Classification)
            throw new ArgumentException($"Data set '{data.Name}' is a regression set; separability needs class labels.", nameof(data));
        return Analyze(data.Features, data.FeatureCount, data.Labels, data.ClassCount, method, cancellationToken) with { ClassNames = data.ClassNames };
    }

    /// <summary>The separability of the classes of row-major <paramref name="features"/> (labels.Length × <paramref name="dimension"/>).</summary>
    /// <param name="features">The rows, row-major; finite.</param>
    /// <param name="dimension">Features per row, at least 1.</param>
    /// <param name="labels">Class of each row, in 0..<paramref name="classCount"/>−1. A class may have no rows; its verdicts are then null.</param>
    /// <param name="classCount">Number of classes, at least 2.</param>
    /// <param name="method">Null for <see cref="SeparabilityMethod.Hull"/> up to 2 dimensions and <see cref="SeparabilityMethod.LinearProgram"/> above.</param>
    /// <exception cref="ArgumentException">The arguments do not describe a labelled point set, naming the argument and the row; or the hull method is asked for more than 2 dimensions.</exception>
    /// <param name="cancellationToken">Checked between verdicts.</param>
    /// <param name="counts">
    /// Which verdicts that are not separable get their fewest-wrong count (the others have
    /// <see cref="SeparabilityEntry.FewestWrong"/> null). With more than two classes the one-vs-rest ones are the costly
    /// ones (about 15 ms for 540 points in the plane, against well under 1 ms for a pair).
    /// </param>
    /// <param name="maxDegreeOfParallelism">
    /// The most cores the verdicts and the planar counts are shared among; −1 (the default) for all of them. 1 decides
    /// everything on the calling thread, for an analysis that runs beside other work and should leave it the other cores.
    /// </param>
    /// <exception cref="InvalidOperationException">The linear program broke down numerically (not expected).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static SeparabilityReport Analyze(ReadOnlySpan<float> features, int dimension, ReadOnlySpan<int> labels, int classCount, SeparabilityMethod? method = null,
        CancellationToken cancellationToken = default, FewestWrongCounts counts = FewestWrongCounts.All, int maxDegreeOfParallelism = -1)
    {
        if (!Enum.IsDefined(counts))
            throw new ArgumentOutOfRangeException(nameof(counts), counts, "Not a choice of counts.");
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "The most cores to use: at least 1, or -1 for all of them.");
        if (dimension <= 0)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Separability needs at least one feature.");
        if (classCount < 2)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "Separability needs at least 2 classes.");
        if (features.Length != labels.Length * dimension)
            throw new ArgumentException($"{features.Length} feature values for {labels.Length} labels of dimension {dimension}; expected {labels.Length * dimension}.", nameof(features));
        for (int i = 0; i < features.Length; i++)
            if (!float.IsFinite(features[i]))
                throw new ArgumentException($"Feature value at row {i / dimension}, column {i % dimension} is {features[i]}; features must be finite.", nameof(features));
        var members = new List<int>[classCount];
        for (int c = 0; c < classCount; c++) members[c] = [];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
                throw new ArgumentException($"Label at row {i} is {labels[i]}; labels must be in 0..{classCount - 1}.", nameof(labels));
            members[labels[i]].Add(i);
        }
        SeparabilityMethod chosen = method ?? (dimension <= 2 ? SeparabilityMethod.Hull : SeparabilityMethod.LinearProgram);
        if (chosen == SeparabilityMethod.Hull && dimension > 2)
            throw new ArgumentException($"The hull method works in 1 or 2 dimensions, not {dimension}; use {nameof(SeparabilityMethod.LinearProgram)}.", nameof(method));
        if (!Enum.IsDefined(chosen))
            throw new ArgumentOutOfRangeException(nameof(method), method, "Not a separability method.");

        (double[] centroid, double radius) = Spread(features, dimension, labels.Length);
        IJudge judge = chosen == SeparabilityMethod.Hull
            ? new HullJudge(features, dimension, members, maxDegreeOfParallelism, cancellationToken)
            : new ProgramJudge(features, dimension, centroid, radius, members);

        // Every pair, then (for more than two classes) every class against the rest: independent verdicts, decided on
        // the machine's cores at once into fixed slots, so the report is the same whatever the order they finish in.
        var verdicts = new List<(int Class, int? Other)>();
        for (int a = 0; a < classCount; a++)
            for (int b = a + 1; b < classCount; b++)
                verdicts.Add((a, b));
        if (classCount > 2)
            for (int c = 0; c < classCount; c++) verdicts.Add((c, null));
        int pairCount = classCount * (classCount - 1) / 2;
        var entries = new SeparabilityEntry[verdicts.Count];
        // The linear program gives a pair no more than its verdict, and a class separable from the rest is separable from
        // each other class (a subset of the rest): with more than two classes the one-vs-rest verdicts go first, and a pair
        // with a side they found separable is not solved again.
        bool implied = chosen == SeparabilityMethod.LinearProgram && classCount > 2;
        // Only the worst pair's count is wanted: the pairs are decided first, then counted one by one below.
        int largest = 0, second = 0;
        foreach (List<int> rows in members)
            (largest, second) = rows.Count > largest ? (rows.Count, largest) : (largest, Math.Max(second, rows.Count));
        bool worstOnly = counts == FewestWrongCounts.WorstPair && chosen == SeparabilityMethod.Hull && classCount > 2 && largest + second <= ExactCountLimit;
        void Decide(int from, int to)
        {
            try
            {
                Parallel.For(from, to, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = maxDegreeOfParallelism }, v =>
                {
                    (int cls, int? other) = verdicts[v];
                    entries[v] = implied && other is int b && ImpliedByTheRest(entries[pairCount + cls], entries[pairCount + b]) is { } pair
                        ? pair
                        : Judge(judge, chosen, radius, members, cls, other, other is null ? counts == FewestWrongCounts.All : !worstOnly, cancellationToken);
                });
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        if (implied)
        {
            Decide(pairCount, verdicts.Count);
            Decide(0, pairCount);
        }
        else
        {
            Decide(0, verdicts.Count);
        }
        if (worstOnly) CountTheWorstPair((HullJudge)judge, entries.AsSpan(0, pairCount), cancellationToken);
        var pairs = new List<SeparabilityEntry>(entries[..pairCount]);
        // With two classes the rest of a class is the other class: reuse the pair.
        List<SeparabilityEntry> oneVsRest = classCount == 2
            ? [pairs[0] with { OtherClass = null }, Mirror(pairs[0], otherClass: null)]
            : [.. entries[pairCount..]];

        bool? overall = null;
        foreach (SeparabilityEntry entry in oneVsRest)
            if (entry.Separable is bool separable)
                overall = (overall ?? true) && separable;
        return new SeparabilityReport(dimension, classCount, labels.Length, radius, overall, oneVsRest.AsReadOnly(), pairs.AsReadOnly());
    }

    /// <summary>
    /// Counts the pairs that are not separable, in order, each only as far as it takes to show that it is not the worst so
    /// far (a line leaving no larger share wrong than the worst's, which comes first and so wins a tie): the sweep
    /// stops at such a line, and the pair keeps no count. A pair that is counted in full is the new worst.
    /// </summary>
    private static void CountTheWorstPair(HullJudge judge, Span<SeparabilityEntry> pairs, CancellationToken cancellationToken)
    {
        SeparabilityEntry? worst = null;
        for (int v = 0; v < pairs.Length; v++)
        {
            SeparabilityEntry pair = pairs[v];
            if (pair.Separable != false) continue;
            cancellationToken.ThrowIfCancellationRequested();
            // The most wrong that leaves this pair's share at most the worst's: wrong × worst.Rows ≤ worst.FewestWrong × Rows.
            int threshold = worst is null ? 0 : (int)((long)worst.FewestWrong!.Value * pair.Rows / worst.Rows);
            if (judge.FewestWrongAbove(pair.Class, pair.OtherClass!.Value, threshold) is int wrong)
                worst = pairs[v] = pair with { FewestWrong = wrong, FewestWrongIsExact = true };
        }
    }

    /// <summary>
    /// The verdict of the pair (a, b) when a or b is separable from all the other classes (so from the other one), as the
    /// linear program would give it; null when neither is, or a class has no rows.
    /// </summary>
    private static SeparabilityEntry? ImpliedByTheRest(SeparabilityEntry aVersusRest, SeparabilityEntry bVersusRest)
    {
        if (aVersusRest.Count == 0 || bVersusRest.Count == 0) return null;
        if (aVersusRest.Separable != true && bVersusRest.Separable != true) return null;
        return new SeparabilityEntry(aVersusRest.Class, bVersusRest.Class, aVersusRest.Count, bVersusRest.Count, true, null, null,
            SeparabilityMethod.LinearProgram, null) { FewestWrong = 0, FewestWrongIsExact = true };
    }

    /// <summary>The same verdict seen from the other side: <paramref name="entry"/>'s other class first, against <paramref name="otherClass"/>.</summary>
    internal static SeparabilityEntry Mirror(SeparabilityEntry entry, int? otherClass)
    {
        SeparatingLine? flipped = entry.Separator is SeparatingLine line
            ? new SeparatingLine(-line.NormalX, -line.NormalY, -line.Offset)
            : null;
        return entry with
        {
            Class = entry.OtherClass ?? throw new ArgumentException("A one-vs-rest entry has no single other class.", nameof(entry)),
            OtherClass = otherClass,
            Count = entry.OtherCount,
            OtherCount = entry.Count,
            Separator = flipped,
        };
    }

    private static SeparabilityEntry Judge(IJudge judge, SeparabilityMethod method, double radius, List<int>[] members, int cls, int? other,
        bool countWrong, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var otherClasses = new List<int>();
        int otherCount = 0;
        for (int c = 0; c < members.Length; c++)
        {
            if (c == cls || (other is int single && c != single) || members[c].Count == 0) continue;
            otherClasses.Add(c);
            otherCount += members[c].Count;
        }
        int count = members[cls].Count;
        if (count == 0 || otherCount == 0)
            return new SeparabilityEntry(cls, other, count, otherCount, null, null, null, method, null);
        Verdict verdict = judge.Decide(cls, otherClasses, countWrong);
        double? margin = verdict.Distance / 2;
        return new SeparabilityEntry(cls, other, count, otherCount, verdict.Separable, margin, margin / radius, method, verdict.Separator)
        {
            FewestWrong = verdict.FewestWrong,
            FewestWrongIsExact = verdict.FewestWrongIsExact,
        };
    }

    /// <summary>The centroid of all rows and the largest distance of a row from it.</summary>
    private static (double[] Centroid, double Radius) Spread(ReadOnlySpan<float> features, int dimension, int rows)
    {
        var centroid = new double[dimension];
        if (rows == 0) return (centroid, 0);
        for (int i = 0; i < features.Length; i++) centroid[i % dimension] += features[i];
        for (int f = 0; f < dimension; f++) centroid[f] /= rows;
        double largest = 0;
        for (int row = 0; row < rows; row++)
        {
            double squared = 0;
            for (int f = 0; f < dimension; f++)
            {
                double offset = features[row * dimension + f] - centroid[f];
                squared += offset * offset;
            }
            largest = Math.Max(largest, squared);
        }
        return (centroid, Math.Sqrt(largest));
    }

    /// <summary>
    /// A verdict; <see cref="Distance"/> and <see cref="Separator"/> only from the hull method and only when
    /// separable; <see cref="FewestWrong"/> 0 when separable.
    /// </summary>
    private readonly record struct Verdict(bool Separable, double? Distance, SeparatingLine? Separator, int? FewestWrong, bool FewestWrongIsExact);

    /// <summary>Decides one class against the union of other (non-empty) classes; with <c>count</c>, also how close a set that is not separable comes.</summary>
    private interface IJudge
    {
        Verdict Decide(int cls, List<int> otherClasses, bool count);
    }

    /// <summary>
    /// Exact hulls, one per class, built once; the hull of several classes is that of their hulls' vertices.
    /// Sets that are not separable get their exact count from <see cref="LineErrorSweep"/>.
    /// </summary>
    private sealed class HullJudge : IJudge
    {
        private readonly PlanarPoint[][] _points;
        private readonly ConvexHull2D?[] _hulls;
        private readonly float[] _features;
        private readonly int _dimension;
        private readonly List<int>[] _members;
        private readonly int _maxDegreeOfParallelism;
        // Every class against the rest, counted by one sweep the first time a one-vs-rest verdict needs a count.
        private readonly Lazy<int[]> _oneVsRest;

        public HullJudge(ReadOnlySpan<float> features, int dimension, List<int>[] members, int maxDegreeOfParallelism, CancellationToken cancellationToken)
        {
            _maxDegreeOfParallelism = maxDegreeOfParallelism;
            _features = features.ToArray();
            _dimension = dimension;
            _members = members;
            _points = new PlanarPoint[members.Length][];
            _hulls = new ConvexHull2D?[members.Length];
            for (int c = 0; c < members.Length; c++)
            {
                var points = new PlanarPoint[members[c].Count];
                for (int i = 0; i < points.Length; i++)
                {
                    int row = members[c][i];
                    points[i] = new PlanarPoint(features[row * dimension], dimension == 2 ? features[row * dimension + 1] : 0);
                }
                _points[c] = points;
                if (points.Length > 0) _hulls[c] = ConvexHull2D.Of(points);
            }
            _oneVsRest = new Lazy<int[]>(() =>
            {
                PlanarPoint[] all = [.. _points.SelectMany(p => p)];
                int[] groups = [.. _points.SelectMany((p, c) => Enumerable.Repeat(c, p.Length))];
                return LineErrorSweep.FewestErrorsEach(all, groups, _points.Length, lowerBound: 1, cancellationToken, maxDegreeOfParallelism);
            });
        }

        public Verdict Decide(int cls, List<int> otherClasses, bool count)
        {
            ConvexHull2D first = _hulls[cls]!;
            ConvexHull2D second;
            PlanarPoint[] others;
            if (otherClasses.Count == 1)
            {
                second = _hulls[otherClasses[0]]!;
                others = _points[otherClasses[0]];
            }
            else
            {
                var vertices = new List<PlanarPoint>();
                var points = new List<PlanarPoint>();
                foreach (int c in otherClasses)
                {
                    vertices.AddRange(_hulls[c]!.Vertices);
                    points.AddRange(_points[c]);
                }
                second = ConvexHull2D.Of(vertices.ToArray());
                others = [.. points];
            }
            if (!ConvexHull2D.AreDisjoint(first, second))
                return !count ? new Verdict(false, null, null, null, FewestWrongIsExact: false)
                    : _points[cls].Length + others.Length > ExactCountLimit ? BestCut(cls, otherClasses)
                    : new Verdict(false, null, null, otherClasses.Count == 1
                        ? LineErrorSweep.FewestErrors(_points[cls], others, lowerBound: 1, _maxDegreeOfParallelism)
                        : _oneVsRest.Value[cls], FewestWrongIsExact: true);
            (double distance, SeparatingLine separator) = ConvexHull2D.Gap(first, second);
            return new Verdict(true, distance, separator, 0, FewestWrongIsExact: true);
        }

        /// <summary>
        /// The exact fewest wrong of a pair that is not separable when it is above <paramref name="threshold"/>; null when
        /// a line leaving at most that many wrong was found (the sweep stops there).
        /// </summary>
        public int? FewestWrongAbove(int cls, int other, int threshold)
        {
            int found = LineErrorSweep.FewestErrors(_points[cls], _points[other], lowerBound: Math.Max(threshold, 1), _maxDegreeOfParallelism);
            return found > threshold ? found : null;
        }

        /// <summary>Above <see cref="ExactCountLimit"/>: the probe's best cut (on the raw rows, whose projections order as the scaled ones do).</summary>
        private Verdict BestCut(int cls, List<int> otherClasses)
        {
            var others = new List<int>();
            foreach (int c in otherClasses) others.AddRange(_members[c]);
            double[] rows = Array.ConvertAll(_features, x => (double)x);
            int found = HyperplaneErrorSearch.FewestErrorsFound(_features, rows, _dimension, [.. _members[cls]], [.. others], addBack: false);
            return new Verdict(false, null, null, found, FewestWrongIsExact: found == 1);
        }
    }

    /// <summary>
    /// The linear program on rows centred at the centroid and scaled to unit radius; sets that are not
    /// separable get the count <see cref="HyperplaneErrorSearch"/> finds.
    /// </summary>
    private sealed class ProgramJudge : IJudge
    {
        private readonly float[] _features; // [rows × dimension], as given
        private readonly double[] _points;  // [rows × dimension], centred and scaled
        private readonly int _dimension;
        private readonly List<int>[] _members;

        public ProgramJudge(ReadOnlySpan<float> features, int dimension, double[] centroid, double radius, List<int>[] members)
        {
            double scale = radius > 0 ? 1 / radius : 1;
            _features = features.ToArray();
            _points = new double[features.Length];
            for (int i = 0; i < features.Length; i++) _points[i] = (features[i] - centroid[i % dimension]) * scale;
            _dimension = dimension;
            _members = members;
        }

        public Verdict Decide(int cls, List<int> otherClasses, bool count)
        {
            var others = new List<int>();
            foreach (int c in otherClasses) others.AddRange(_members[c]);
            int[] first = [.. _members[cls]], second = [.. others];
            if (HullIntersectionProgram.Decide(_points, _dimension, first, second).Separable)
                return new Verdict(true, null, null, 0, FewestWrongIsExact: true);
            if (!count) return new Verdict(false, null, null, null, FewestWrongIsExact: false);
            int found = HyperplaneErrorSearch.FewestErrorsFound(_features, _points, _dimension, first, second, addBack: first.Length + second.Length <= ExactCountLimit);
            return new Verdict(false, null, null, found, FewestWrongIsExact: found == 1); // not separable: at least 1
        }
    }
}
