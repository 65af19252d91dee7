using System;
using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>
/// The fewest points of two planar sets that any single line leaves on the wrong side or on itself (either
/// orientation): the number of points to drop before the rest is strictly linearly separable. Exact, in
/// O(n² log n) for n distinct locations, with every sidedness decision taken by
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
/// </remarks>
internal static class LineErrorSweep
{
    /// <summary>
    /// The fewest points any line leaves on the wrong side or on itself, where <paramref name="first"/>
    /// belongs on one side and <paramref name="second"/> on the other. Returns as soon as a count of
    /// <paramref name="lowerBound"/> is reached (pass 1 when the sets are known not to be separable).
    /// </summary>
    public static int FewestErrors(ReadOnlySpan<PlanarPoint> first, ReadOnlySpan<PlanarPoint> second, int lowerBound = 0)
    {
        Locations locations = Locations.Of(first, second);
        int best = Math.Min(first.Length, second.Length); // everything on one side
        int count = locations.Points.Length;
        var buffers = new Buffers(Math.Max(count - 1, 0));
        for (int pivot = 0; pivot < count && best > lowerBound; pivot++)
            best = Math.Min(best, SweepAround(locations, pivot, buffers));
        return best;
    }

    /// <summary>The fewest errors over lines through location <paramref name="pivot"/> in general direction.</summary>
    private static int SweepAround(Locations locations, int pivot, Buffers buffers)
    {
        PlanarPoint[] points = locations.Points;
        int[] firsts = locations.First, seconds = locations.Second;
        PlanarPoint p = points[pivot];
        int restFirst = locations.TotalFirst - firsts[pivot], restSecond = locations.TotalSecond - seconds[pivot];
        int pivotCost = Math.Min(firsts[pivot], seconds[pivot]);

        // Sides for the direction just after angle 0, d = (1, +ε): q is left when q − p points up, or
        // exactly left along the x-axis.
        int leftFirst = 0, leftSecond = 0, count = 0;
        double[] keys = buffers.Keys;
        int[] events = buffers.Events;
        for (int q = 0; q < points.Length; q++)
        {
            if (q == pivot) continue;
            bool up = points[q].Y > p.Y || (points[q].Y == p.Y && points[q].X > p.X);
            if (points[q].Y > p.Y || (points[q].Y == p.Y && points[q].X < p.X))
            {
                leftFirst += firsts[q];
                leftSecond += seconds[q];
            }
            // Of the two events of q (d passes q − p: q goes from the left to the right, event 2q; d passes
            // p − q: q comes to the left, event 2q + 1) the one in the upper half-plane, angle in [0, π), is
            // kept; the other comes exactly π later. Rounding keeps the signs of the differences (distinct
            // doubles never subtract to 0), so the half-plane is exact.
            double dx = points[q].X - p.X, dy = points[q].Y - p.Y;
            keys[count] = up ? PseudoAngle(dx, dy) : PseudoAngle(-dx, -dy);
            events[count++] = up ? 2 * q : 2 * q + 1;
        }
        var order = new EventOrder(points, p);
        Array.Sort(keys, events, 0, count);
        // The keys are rounded: events whose keys are within the tolerance are put in exact order.
        for (int start = 0, end; start < count; start = end)
        {
            for (end = start + 1; end < count && keys[end] - keys[end - 1] <= KeyTolerance; end++) { }
            if (end - start > 1) events.AsSpan(start, end - start).Sort(order);
        }

        int best = Cost(leftFirst, leftSecond, restFirst, restSecond) + pivotCost;
        int at = 0;
        while (at < count && order.IsAngleZero(events[at])) at++; // already in the starting sides
        // The upper half-plane's events in order, then their opposites (event ^ 1) in the same order.
        for (int half = 0; half < 2; half++, at = 0)
        {
            while (at < count)
            {
                int groupStart = at;
                do
                {
                    int e = events[at] ^ half, q = e >> 1, sign = (e & 1) == 0 ? -1 : 1;
                    leftFirst += sign * firsts[q];
                    leftSecond += sign * seconds[q];
                    at++;
                }
                while (at < count && keys[at] - keys[at - 1] <= KeyTolerance && order.Compare(events[groupStart], events[at]) == 0);
                best = Math.Min(best, Cost(leftFirst, leftSecond, restFirst, restSecond) + pivotCost);
            }
        }
        return best;
    }

    /// <summary>
    /// Keys this close may be out of the exact order: <see cref="PseudoAngle"/> is computed with a few
    /// roundings of values in [0, 2), each off by at most 2⁻⁵².
    /// </summary>
    private const double KeyTolerance = 1e-12;

    /// <summary>
    /// For (dx, dy) in the upper half-plane (angle in [0, π)): a number in [0, 2) that grows with the angle from
    /// the positive x-axis, counter-clockwise; no trigonometry.
    /// </summary>
    private static double PseudoAngle(double dx, double dy) => dx >= 0 ? dy / (dx + dy) : 1 - dx / (dy - dx);

    /// <summary>The sweep's arrays, allocated once for all pivots.</summary>
    private sealed class Buffers(int events)
    {
        public double[] Keys { get; } = new double[events];
        public int[] Events { get; } = new int[events];
    }

    /// <summary>Errors of the better orientation: first set left and second right, or the other way round.</summary>
    private static int Cost(int leftFirst, int leftSecond, int restFirst, int restSecond) =>
        Math.Min(restFirst - leftFirst + leftSecond, leftFirst + restSecond - leftSecond);

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

    /// <summary>The distinct points of both sets, each with how many points of each set sit there.</summary>
    private sealed class Locations
    {
        public required PlanarPoint[] Points { get; init; }
        public required int[] First { get; init; }
        public required int[] Second { get; init; }
        public required int TotalFirst { get; init; }
        public required int TotalSecond { get; init; }

        public static Locations Of(ReadOnlySpan<PlanarPoint> first, ReadOnlySpan<PlanarPoint> second)
        {
            var all = new (PlanarPoint Point, bool Second)[first.Length + second.Length];
            for (int i = 0; i < first.Length; i++) all[i] = (first[i], false);
            for (int i = 0; i < second.Length; i++) all[first.Length + i] = (second[i], true);
            Array.Sort(all, static (a, b) => a.Point.X != b.Point.X ? a.Point.X.CompareTo(b.Point.X) : a.Point.Y.CompareTo(b.Point.Y));
            var points = new List<PlanarPoint>();
            var firsts = new List<int>();
            var seconds = new List<int>();
            foreach ((PlanarPoint point, bool isSecond) in all)
            {
                if (points.Count == 0 || points[^1] != point)
                {
                    points.Add(point);
                    firsts.Add(0);
                    seconds.Add(0);
                }
                if (isSecond) seconds[^1]++;
                else firsts[^1]++;
            }
            return new Locations
            {
                Points = [.. points],
                First = [.. firsts],
                Second = [.. seconds],
                TotalFirst = first.Length,
                TotalSecond = second.Length,
            };
        }
    }
}
