using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace HiddenSpace;

/// <summary>
/// The fewest points of two planar sets that any single line leaves on the wrong side or on itself (either
/// orientation): the number of points to drop before the rest is strictly linearly separable; or the same for
/// each of several groups against all the others, from one sweep. Exact, in O(n² (log n + groups)) for n
/// distinct locations, with every sidedness decision taken by
/// <see cref="PlanarPredicates.CrossSign"/>.
/// </summary>
/// <remarks>
/// <para>
/// Why a rotating line through each point suffices: a line whose direction is parallel to the segment between
/// two locations can be turned by a tiny angle without any point crossing it except those on it, which only
/// leave it, so the minimum is reached by a line in general direction. Such a line, moved parallel to itself
/// until it meets the first location beyond it, still leaves every other point on the side it was on, and the
/// points of the location it meets may be put on either side by a tiny shift. So the minimum is the minimum,
/// over every location p and every direction d that is not parallel to a segment from p, of the count for the
/// line through p along d, with p's own points put on the side that costs fewer.
/// </para>
/// <para>
/// For a fixed p the count only changes when d passes the direction of q − p or p − q for another location q
/// (q moves from the left of the line to its right, or back). The sweep sorts the n − 1 of those directions that
/// lie in the upper half-plane by angle around p (by a rounded pseudo-angle, then exactly wherever two keys are
/// too close to trust; the other n − 1 directions follow in the same order, half a turn later), starts just
/// after angle 0 with every location's side decided by comparing coordinates, and applies the events one angle
/// at a time, evaluating each open arc between them once.
/// </para>
/// <para>
/// Most pivots need no sweep: a location strictly inside m of a group's onion layers (nested convex hulls) has at
/// least m of that group's points strictly on each side of every line through it, so the sum of those m over the
/// groups bounds every count a sweep around it could give. The pivots go from the lowest bound up, and a worker stops
/// at the first whose bound is no lower than all its best counts. On overlapping classes most of the points lie deep
/// inside their own class; in this project's 10-class bottleneck (1,260 points) the verdict of every pair and every
/// class against the rest took 74 → 45 ms with this and a bucket sort of the directions.
/// </para>
/// </remarks>
internal static class LineErrorSweep
{
    /// <summary>Pivots a worker takes at a time (early stopping and cancellation are checked between blocks).</summary>
    private const int BlockPivots = 32;

    /// <summary>
    /// The fewest points any line leaves on the wrong side or on itself, where <paramref name="first"/>
    /// belongs on one side and <paramref name="second"/> on the other. Exact when that count is at least
    /// <paramref name="lowerBound"/> (pass 1 when the sets are known not to be separable: the search stops there).
    /// </summary>
    public static int FewestErrors(ReadOnlySpan<PlanarPoint> first, ReadOnlySpan<PlanarPoint> second, int lowerBound = 0, int maxDegreeOfParallelism = -1)
    {
        var points = new PlanarPoint[first.Length + second.Length];
        var groups = new int[points.Length];
        first.CopyTo(points);
        second.CopyTo(points.AsSpan(first.Length));
        groups.AsSpan(first.Length).Fill(1);
        return FewestErrorsEach(points, groups, 2, lowerBound, CancellationToken.None, maxDegreeOfParallelism)[0];
    }

    /// <summary>
    /// For every group g of <paramref name="groupCount"/>: the fewest points any line leaves on the wrong side or on
    /// itself when g's points belong on one side and every other group's on the other — the one-vs-rest counts of
    /// many classes from one sweep, which sorts the directions around each pivot once for all of them. Each count is
    /// exact when it is at least <paramref name="lowerBound"/>; the search stops once every count has reached it.
    /// The pivots are shared among the machine's cores (the minimum does not depend on their order).
    /// </summary>
    /// <param name="points">The points; finite.</param>
    /// <param name="groups">The group of each point, in 0..<paramref name="groupCount"/>−1.</param>
    /// <param name="groupCount">Number of groups, at least 2.</param>
    /// <param name="lowerBound">A count known not to be beaten (1 when no group is separable from the rest), or 0.</param>
    /// <param name="cancellationToken">Checked between pivots.</param>
    /// <param name="maxDegreeOfParallelism">The most cores the pivots are shared among; −1 for all.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked between pivots).</exception>
    public static int[] FewestErrorsEach(ReadOnlySpan<PlanarPoint> points, ReadOnlySpan<int> groups, int groupCount, int lowerBound,
        CancellationToken cancellationToken, int maxDegreeOfParallelism = -1)
    {
        Locations locations = Locations.Of(points, groups, groupCount);
        var best = new int[groupCount];
        for (int g = 0; g < groupCount; g++) best[g] = Math.Min(locations.Totals[g], points.Length - locations.Totals[g]); // all on one side
        int count = locations.Points.Length;
        // With a count to reach, first up to a block of the locations strictly inside no group's hull (bound 0), on this
        // thread: the onion layers cost more than the few sweeps that often reach it (a training frame's pairs).
        bool[]? swept = null;
        if (lowerBound > 0)
        {
            int[] outside = DepthBounds(locations, maxLayers: 1);
            var first = new Sweep(locations, best);
            swept = new bool[count];
            for (int l = 0, tried = 0; l < count && tried < BlockPivots && !first.AllReached(lowerBound); l++)
            {
                if (outside[l] != 0) continue;
                cancellationToken.ThrowIfCancellationRequested();
                first.Around(l);
                swept[l] = true;
                tried++;
            }
            first.Best.CopyTo(best);
            if (first.AllReached(lowerBound)) return best;
        }
        // The pivots from the least deep to the deepest: the near ones find low counts early, and a pivot whose depth
        // bound is no lower than every group's best so far, like every pivot after it, cannot lower any of them.
        int[] depths = DepthBounds(locations, int.MaxValue), pivots = new int[count];
        for (int i = 0; i < count; i++) pivots[i] = i;
        Array.Sort(depths, pivots);
        // Pivots in blocks, a few per worker, so early stopping and cancellation are checked often.
        int blocks = (count + BlockPivots - 1) / BlockPivots;
        var gate = new object();
        Parallel.For(0, blocks, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = maxDegreeOfParallelism },
            () => new Sweep(locations, best),
            (block, state, sweep) =>
            {
                for (int i = block * BlockPivots; i < Math.Min(count, (block + 1) * BlockPivots); i++)
                {
                    if (sweep.AllReached(lowerBound) || state.ShouldExitCurrentIteration || depths[i] >= sweep.Worst) break;
                    if (swept is null || !swept[pivots[i]]) sweep.Around(pivots[i]);
                }
                if (sweep.AllReached(lowerBound)) state.Stop();
                return sweep;
            },
            sweep =>
            {
                lock (gate)
                    for (int g = 0; g < groupCount; g++) best[g] = Math.Min(best[g], sweep.Best[g]);
            });
        return best;
    }

    /// <summary>
    /// For every location, a lower bound on the points any line through it in general direction leaves on the wrong
    /// side or on itself, whichever groups belong on which side: the sum over the groups of how many of the group's onion
    /// layers hold the location strictly inside (the hull of the group's locations is its first layer, the hull of
    /// those left the second, and so on; they nest). A line through a point strictly inside a convex polygon has
    /// vertices of it strictly on both sides, so each such layer leaves a point of its group on the wrong side of the
    /// line, in either orientation. At most <paramref name="maxLayers"/> layers of each group are peeled (1: the number
    /// of groups whose hull holds the location strictly inside).
    /// </summary>
    private static int[] DepthBounds(Locations locations, int maxLayers)
    {
        int count = locations.Points.Length;
        var bounds = new int[count];
        var members = new List<PlanarPoint>();
        for (int g = 0; g < locations.GroupCount; g++)
        {
            members.Clear();
            for (int l = 0; l < count; l++)
                if (locations.CountAt(l, g) > 0) members.Add(locations.Points[l]);
            var layers = new List<ConvexHull2D>();
            while (members.Count >= 3 && layers.Count < maxLayers)
            {
                ConvexHull2D layer = ConvexHull2D.Of(CollectionsMarshal.AsSpan(members));
                if (layer.Vertices.Length < 3) break; // no inside
                layers.Add(layer);
                var vertices = new HashSet<PlanarPoint>(layer.Vertices.ToArray());
                members.RemoveAll(vertices.Contains);
            }
            if (layers.Count == 0) continue;
            for (int l = 0; l < count; l++)
            {
                // The layers holding a point strictly inside are the first few: the inner ones lie within the outer.
                int inside = 0, outside = layers.Count;
                while (inside < outside)
                {
                    int middle = (inside + outside) / 2;
                    if (layers[middle].StrictlyContains(locations.Points[l])) inside = middle + 1;
                    else outside = middle;
                }
                bounds[l] += inside;
            }
        }
        return bounds;
    }

    /// <summary>
    /// One worker's sweep state: its buffers, allocated once for all its pivots, and its best counts so far.
    /// </summary>
    /// <remarks>
    /// With l_g points of group g left of the line (L of every group), r_g of g's points and o_g of the others'
    /// not at the pivot, and c_g the cheaper side for the pivot's own points, the two orientations cost
    /// (r_g − l_g) + (L − l_g) + c_g and l_g + (o_g − (L − l_g)) + c_g, that is A_g + L and B_g − L with
    /// A_g = r_g − 2 l_g + c_g and B_g = o_g + 2 l_g + c_g. An event changes A and B of its location's groups only,
    /// and L; each arc then lowers every group's best by min(A + L, B − L), a few vector instructions for all groups.
    /// </remarks>
    private sealed class Sweep
    {
        private readonly Locations _locations;
        // Each event's angle key rounded to a fixed point number in the high bits and the event in the low ones: integers
        // that sort by key, then event.
        private readonly ulong[] _keyed;
        private readonly ulong[] _sorted;
        private readonly int[] _bucketStarts, _bucketNext;
        private readonly int[] _events;
        private readonly int _eventBits;
        private readonly double _keyScale;
        private readonly ulong _keyTolerance;
        private readonly int[] _a, _b, _best; // [groups, padded to whole vectors]; the padding's A and B are never lowest

        /// <param name="locations">The locations.</param>
        /// <param name="best">Counts already reached, one per group (by lines that need no pivot).</param>
        public Sweep(Locations locations, ReadOnlySpan<int> best)
        {
            _locations = locations;
            _keyed = new ulong[Math.Max(locations.Points.Length - 1, 0)];
            _events = new int[_keyed.Length];
            _sorted = new ulong[_keyed.Length];
            _bucketStarts = new int[_keyed.Length + 1];
            _bucketNext = new int[_keyed.Length];
            // Events are below 2 × locations; keys in [0, 2] get the bits above them but the top one, at least 42 bits
            // for up to 2^20 locations, so the tolerance stays a few units.
            _eventBits = 64 - BitOperations.LeadingZeroCount((ulong)Math.Max(2 * locations.Points.Length - 1, 1));
            if (_eventBits > 21) throw new ArgumentException($"{locations.Points.Length} distinct points; the sweep takes at most {1 << 20}.", "points");
            _keyScale = Math.ScaleB(1.0, 62 - _eventBits);
            _keyTolerance = (ulong)Math.Ceiling(KeyTolerance * _keyScale) + 1;
            int padded = (locations.GroupCount + Vector<int>.Count - 1) / Vector<int>.Count * Vector<int>.Count;
            _a = new int[padded];
            _b = new int[padded];
            _best = new int[padded];
            _best.AsSpan().Fill(int.MaxValue);
            best.CopyTo(_best);
        }

        public ReadOnlySpan<int> Best => _best.AsSpan(0, _locations.GroupCount);

        /// <summary>The largest of the groups' best counts so far.</summary>
        public int Worst
        {
            get
            {
                int worst = 0;
                foreach (int b in Best) worst = Math.Max(worst, b);
                return worst;
            }
        }

        public bool AllReached(int lowerBound)
        {
            foreach (int b in Best)
                if (b > lowerBound) return false;
            return true;
        }

        /// <summary>Lowers <see cref="Best"/> to the fewest errors over lines through location <paramref name="pivot"/> in general direction.</summary>
        public void Around(int pivot)
        {
            Locations locations = _locations;
            PlanarPoint[] points = locations.Points;
            PlanarPoint p = points[pivot];
            int groupCount = locations.GroupCount, notPivot = locations.TotalPoints - locations.PointsAt(pivot);
            _a.AsSpan().Fill(int.MaxValue / 4);
            _b.AsSpan().Fill(int.MaxValue / 4);
            for (int g = 0; g < groupCount; g++)
            {
                int here = locations.CountAt(pivot, g), rest = locations.Totals[g] - here;
                int cheaper = Math.Min(here, locations.PointsAt(pivot) - here);
                _a[g] = rest + cheaper;
                _b[g] = notPivot - rest + cheaper;
            }

            // Sides for the direction just after angle 0, d = (1, +ε): q is left when q − p points up, or
            // exactly left along the x-axis.
            int count = 0, left = 0;
            for (int q = 0; q < points.Length; q++)
            {
                if (q == pivot) continue;
                bool up = points[q].Y > p.Y || (points[q].Y == p.Y && points[q].X > p.X);
                if (points[q].Y > p.Y || (points[q].Y == p.Y && points[q].X < p.X))
                    left += Move(q, 1);
                // Of the two events of q (d passes q − p: q goes from the left to the right, event 2q; d passes
                // p − q: q comes to the left, event 2q + 1) the one in the upper half-plane, angle in [0, π), is
                // kept; the other comes exactly π later. Rounding keeps the signs of the differences (distinct
                // doubles never subtract to 0), so the half-plane is exact.
                double dx = points[q].X - p.X, dy = points[q].Y - p.Y;
                double key = up ? PseudoAngle(dx, dy) : PseudoAngle(-dx, -dy);
                _keyed[count++] = (ulong)(key * _keyScale) << _eventBits | (uint)(up ? 2 * q : 2 * q + 1);
            }
            var order = new EventOrder(points, p);
            Span<ulong> keyed = SortKeyed(count);
            ulong eventMask = (1UL << _eventBits) - 1;
            for (int i = 0; i < count; i++) _events[i] = (int)(keyed[i] & eventMask);
            // The keys are rounded: events whose keys are within the tolerance are put in exact order.
            for (int start = 0, end; start < count; start = end)
            {
                for (end = start + 1; end < count && Close(keyed[end], keyed[end - 1]); end++) { }
                if (end - start > 1) _events.AsSpan(start, end - start).Sort(order);
            }

            Evaluate(left);
            int at = 0;
            while (at < count && order.IsAngleZero(_events[at])) at++; // already in the starting sides
            // The upper half-plane's events in order, then their opposites (event ^ 1) in the same order.
            for (int half = 0; half < 2; half++, at = 0)
            {
                while (at < count)
                {
                    int groupStart = at;
                    do
                    {
                        int e = _events[at] ^ half;
                        left += Move(e >> 1, (e & 1) == 0 ? -1 : 1);
                        at++;
                    }
                    while (at < count && Close(keyed[at], keyed[at - 1]) && order.Compare(_events[groupStart], _events[at]) == 0);
                    Evaluate(left);
                }
            }
        }

        /// <summary>
        /// The first <paramref name="count"/> keyed events in ascending order: spread over about as many buckets by key,
        /// from the lowest to the highest (an order-keeping map), then each bucket sorted; the keys of directions around a
        /// pivot spread well enough that this takes about half the time of a comparison sort of all of them.
        /// </summary>
        private Span<ulong> SortKeyed(int count)
        {
            Span<ulong> keyed = _keyed.AsSpan(0, count);
            if (count < 64)
            {
                keyed.Sort();
                return keyed;
            }
            ulong lowest = ulong.MaxValue, highest = 0;
            foreach (ulong k in keyed)
            {
                lowest = Math.Min(lowest, k);
                highest = Math.Max(highest, k);
            }
            lowest >>= _eventBits;
            highest >>= _eventBits;
            // Multiplying by a positive double and rounding down keeps the order, so bucket b's keys all precede b + 1's.
            double perKey = count / ((double)(highest - lowest) + 1);
            Span<int> starts = _bucketStarts.AsSpan(0, count + 1);
            starts.Clear();
            foreach (ulong k in keyed) starts[Bucket(k, lowest, perKey, count) + 1]++;
            for (int b = 1; b <= count; b++) starts[b] += starts[b - 1];
            Span<ulong> sorted = _sorted.AsSpan(0, count);
            Span<int> next = _bucketNext.AsSpan(0, count);
            starts[..count].CopyTo(next);
            foreach (ulong k in keyed) sorted[next[Bucket(k, lowest, perKey, count)]++] = k;
            for (int b = 0; b < count; b++)
                if (starts[b + 1] - starts[b] > 1) sorted[starts[b]..starts[b + 1]].Sort();
            return sorted;
        }

        private int Bucket(ulong keyed, ulong lowest, double perKey, int count) =>
            Math.Min((int)(((keyed >> _eventBits) - lowest) * perKey), count - 1);

        /// <summary>Whether two keyed events (<paramref name="later"/> sorted after <paramref name="earlier"/>) have keys within the tolerance.</summary>
        private bool Close(ulong later, ulong earlier) => (later >> _eventBits) - (earlier >> _eventBits) <= _keyTolerance;

        /// <summary>Location <paramref name="q"/>'s points go left (+1) or right (−1): A and B of their groups change; returns the change of L.</summary>
        private int Move(int q, int sign)
        {
            int sole = _locations.SoleGroup(q);
            if (sole >= 0)
            {
                int moved = sign * _locations.PointsAt(q);
                _a[sole] -= 2 * moved;
                _b[sole] += 2 * moved;
                return moved;
            }
            int total = 0;
            for (int g = 0; g < _locations.GroupCount; g++)
            {
                int moved = sign * _locations.CountAt(q, g);
                _a[g] -= 2 * moved;
                _b[g] += 2 * moved;
                total += moved;
            }
            return total;
        }

        /// <summary>The current arc: every group's best lowered to min(A + L, B − L).</summary>
        private void Evaluate(int left)
        {
            var l = new Vector<int>(left);
            for (int g = 0; g < _best.Length; g += Vector<int>.Count)
            {
                var cost = Vector.Min(new Vector<int>(_a, g) + l, new Vector<int>(_b, g) - l);
                Vector.Min(new Vector<int>(_best, g), cost).CopyTo(_best, g);
            }
        }
    }

    /// <summary>
    /// Keys this close may be out of the exact order: <see cref="PseudoAngle"/> is computed with a few
    /// roundings of values in [0, 2), each off by at most 2⁻⁵².
    /// </summary>
    private const double KeyTolerance = 1e-12;

    /// <summary>
    /// For (dx, dy) in the upper half-plane (angle in [0, π)): a number in [0, 2] (2 only by rounding) that grows with the angle from
    /// the positive x-axis, counter-clockwise; no trigonometry.
    /// </summary>
    private static double PseudoAngle(double dx, double dy) => dx >= 0 ? dy / (dx + dy) : 1 - dx / (dy - dx);

    /// <summary>
    /// Orders events (2q for the direction q − p, 2q + 1 for p − q) by angle in [0, 2π), counter-clockwise from
    /// the positive x-axis, with exact comparisons: first by half-plane, then by the sign of the cross product.
    /// </summary>
    private readonly struct EventOrder(PlanarPoint[] points, PlanarPoint pivot) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            int halfX = Half(x), halfY = Half(y);
            if (halfX != halfY) return halfX - halfY;
            // cross(sx·(qx − p), sy·(qy − p)) = sx·sy·cross(qx − p, qy − p); positive means x comes first.
            return -Direction(x) * Direction(y) * PlanarPredicates.CrossSign(pivot, points[x >> 1], points[y >> 1]);
        }

        /// <summary>Whether the event's direction is exactly the positive x-axis.</summary>
        public bool IsAngleZero(int e)
        {
            (int dx, int dy) = Signs(e);
            return dy == 0 && dx > 0;
        }

        /// <summary>0 for angles in [0, π), 1 for [π, 2π).</summary>
        private int Half(int e)
        {
            (int dx, int dy) = Signs(e);
            return dy > 0 || (dy == 0 && dx > 0) ? 0 : 1;
        }

        private static int Direction(int e) => (e & 1) == 0 ? 1 : -1;

        /// <summary>The signs of the event direction's components, from exact coordinate comparisons.</summary>
        private (int Dx, int Dy) Signs(int e)
        {
            PlanarPoint q = points[e >> 1];
            int s = Direction(e);
            return (s * q.X.CompareTo(pivot.X), s * q.Y.CompareTo(pivot.Y));
        }
    }

    /// <summary>The distinct points, each with how many points of each group sit there.</summary>
    private sealed class Locations
    {
        private int[] _counts = []; // [location × group]
        private int[] _pointsAt = []; // [location]
        private int[] _soleGroup = []; // [location]

        public PlanarPoint[] Points { get; private init; } = [];

        public int GroupCount { get; private init; }

        /// <summary>Points per group, all locations together.</summary>
        public int[] Totals { get; private init; } = [];

        public int TotalPoints { get; private init; }

        public int CountAt(int location, int group) => _counts[location * GroupCount + group];

        public int PointsAt(int location) => _pointsAt[location];

        /// <summary>The one group every point at the location belongs to, or −1 when they belong to several.</summary>
        public int SoleGroup(int location) => _soleGroup[location];

        public static Locations Of(ReadOnlySpan<PlanarPoint> points, ReadOnlySpan<int> groups, int groupCount)
        {
            var order = new int[points.Length];
            for (int i = 0; i < order.Length; i++) order[i] = i;
            PlanarPoint[] all = points.ToArray();
            Array.Sort(order, (a, b) => all[a].X != all[b].X ? all[a].X.CompareTo(all[b].X) : all[a].Y.CompareTo(all[b].Y));
            var distinct = new List<PlanarPoint>();
            var counts = new List<int>();
            var totals = new int[groupCount];
            foreach (int i in order)
            {
                if (distinct.Count == 0 || distinct[^1] != all[i])
                {
                    distinct.Add(all[i]);
                    counts.AddRange(new int[groupCount]);
                }
                counts[counts.Count - groupCount + groups[i]]++;
                totals[groups[i]]++;
            }
            int[] flat = [.. counts];
            var pointsAt = new int[distinct.Count];
            var soleGroup = new int[distinct.Count];
            for (int l = 0; l < pointsAt.Length; l++)
            {
                int groupsHere = 0;
                for (int g = 0; g < groupCount; g++)
                {
                    pointsAt[l] += flat[l * groupCount + g];
                    if (flat[l * groupCount + g] > 0) (soleGroup[l], groupsHere) = (g, groupsHere + 1);
                }
                if (groupsHere > 1) soleGroup[l] = -1;
            }
            return new Locations
            {
                Points = [.. distinct],
                GroupCount = groupCount,
                Totals = totals,
                TotalPoints = points.Length,
                _counts = flat,
                _pointsAt = pointsAt,
                _soleGroup = soleGroup,
            };
        }
    }
}
