using System;

namespace HiddenSpace;

/// <summary>
/// The convex hull of a finite planar point set with float coordinates: its vertices counter-clockwise,
/// without duplicates and without collinear vertices. A set of identical points has one vertex, a
/// collinear set two (the extreme points). All sidedness decisions use <see cref="PlanarPredicates"/>, so
/// the hull, <see cref="AreDisjoint"/> and the distance's clamping to edges are exact; only distances and
/// the separating line are rounded.
/// </summary>
internal sealed class ConvexHull2D
{
    private readonly PlanarPoint[] _vertices;

    private ConvexHull2D(PlanarPoint[] vertices) => _vertices = vertices;

    /// <summary>The vertices, counter-clockwise, starting at the lowest x (then lowest y).</summary>
    public ReadOnlySpan<PlanarPoint> Vertices => _vertices;

    /// <summary>The hull of <paramref name="points"/> by Andrew's monotone chain, O(n log n).</summary>
    /// <exception cref="ArgumentException">No points.</exception>
    public static ConvexHull2D Of(ReadOnlySpan<PlanarPoint> points)
    {
        if (points.IsEmpty)
            throw new ArgumentException("A convex hull needs at least one point.", nameof(points));
        PlanarPoint[] sorted = points.ToArray();
        Array.Sort(sorted, static (p, q) => p.X != q.X ? p.X.CompareTo(q.X) : p.Y.CompareTo(q.Y));
        int unique = 1;
        for (int i = 1; i < sorted.Length; i++)
            if (sorted[i] != sorted[unique - 1]) sorted[unique++] = sorted[i];
        if (unique <= 2) return new ConvexHull2D(sorted[..unique]);

        // Lower chain left to right, then upper chain right to left; a vertex that does not make a strict
        // left turn is dropped, which removes collinear points.
        var chain = new PlanarPoint[2 * unique];
        int count = 0;
        for (int i = 0; i < unique; i++)
        {
            while (count >= 2 && PlanarPredicates.CrossSign(chain[count - 2], chain[count - 1], sorted[i]) <= 0) count--;
            chain[count++] = sorted[i];
        }
        int lowerCount = count + 1;
        for (int i = unique - 2; i >= 0; i--)
        {
            while (count >= lowerCount && PlanarPredicates.CrossSign(chain[count - 2], chain[count - 1], sorted[i]) <= 0) count--;
            chain[count++] = sorted[i];
        }
        return new ConvexHull2D(chain[..(count - 1)]); // the last point is the first again
    }

    /// <summary>Whether <paramref name="point"/> lies strictly inside the hull (never for a hull of fewer than 3 vertices). Exact.</summary>
    public bool StrictlyContains(PlanarPoint point)
    {
        if (_vertices.Length < 3) return false;
        for (int i = 0; i < _vertices.Length; i++)
            if (PlanarPredicates.CrossSign(_vertices[i], _vertices[i + 1 == _vertices.Length ? 0 : i + 1], point) <= 0) return false;
        return true;
    }

    /// <summary>
    /// Whether the two hulls have no point in common, i.e. whether the two point sets are strictly linearly
    /// separable. Touching counts as intersecting. Exact.
    /// </summary>
    /// <remarks>
    /// Two convex polygons are disjoint exactly when the Minkowski difference of the two misses the origin,
    /// so some edge line of that difference, which runs parallel to an edge of one of the hulls, has
    /// the origin strictly outside. Hence: disjoint iff one hull has an edge whose line leaves the other
    /// hull strictly on its outer side. When the difference is flat (both hulls are points or parallel
    /// segments) the origin may lie on its line, and the direction along a segment, or between two points,
    /// is tried as well.
    /// </remarks>
    public static bool AreDisjoint(ConvexHull2D first, ConvexHull2D second) =>
        IsOutsideAnEdgeOf(first, second) || IsOutsideAnEdgeOf(second, first);

    /// <summary>
    /// The shortest distance between two disjoint hulls and the line halfway between the closest points,
    /// perpendicular to the segment joining them: the maximum-margin separator. Its unit normal points from
    /// <paramref name="first"/> towards <paramref name="second"/>.
    /// </summary>
    public static (double Distance, SeparatingLine Separator) Gap(ConvexHull2D first, ConvexHull2D second)
    {
        // The closest pair of two disjoint convex polygons includes a vertex of one of them.
        ClosestPair best = Nearest(from: second, to: first);
        ClosestPair secondToFirst = Nearest(from: first, to: second);
        if (secondToFirst.Distance < best.Distance)
            best = new ClosestPair(secondToFirst.Distance, -secondToFirst.NormalX, -secondToFirst.NormalY, secondToFirst.OnSecond, secondToFirst.OnFirst);
        double offset = -(best.NormalX * (best.OnFirst.X + best.OnSecond.X) + best.NormalY * (best.OnFirst.Y + best.OnSecond.Y)) / 2;
        return (best.Distance, new SeparatingLine(best.NormalX, best.NormalY, offset));
    }

    private static bool IsOutsideAnEdgeOf(ConvexHull2D hull, ConvexHull2D other)
    {
        ReadOnlySpan<PlanarPoint> v = hull.Vertices;
        ReadOnlySpan<PlanarPoint> w = other.Vertices;
        if (v.Length == 1)
            return w.Length == 1 && v[0] != w[0];
        // For a segment (two vertices) the two "edges" v0 → v1 and v1 → v0 cover both sides of its line.
        for (int i = 0; i < v.Length; i++)
        {
            PlanarPoint from = v[i], to = v[(i + 1) % v.Length];
            if (AllSatisfy(w, p => PlanarPredicates.CrossSign(from, to, p) < 0)) return true;
        }
        if (v.Length == 2)
        {
            // Beyond either end of the segment, along its direction.
            PlanarPoint start = v[0], end = v[1];
            if (AllSatisfy(w, p => PlanarPredicates.Dot(end, start, p).Sign < 0)) return true;
            if (AllSatisfy(w, p => PlanarPredicates.Dot(start, end, p).Sign < 0)) return true;
        }
        return false;
    }

    private static bool AllSatisfy(ReadOnlySpan<PlanarPoint> points, Func<PlanarPoint, bool> condition)
    {
        foreach (PlanarPoint p in points)
            if (!condition(p)) return false;
        return true;
    }

    /// <summary>The closest pair from the boundary of <paramref name="to"/> (first) to a vertex of <paramref name="from"/> (second).</summary>
    private static ClosestPair Nearest(ConvexHull2D from, ConvexHull2D to)
    {
        ReadOnlySpan<PlanarPoint> targets = to.Vertices;
        var best = new ClosestPair(double.PositiveInfinity, 0, 0, default, default);
        foreach (PlanarPoint p in from.Vertices)
        {
            if (targets.Length == 1)
            {
                best = Closer(best, PointToPoint(targets[0], p));
                continue;
            }
            int edges = targets.Length == 2 ? 1 : targets.Length;
            for (int i = 0; i < edges; i++)
                best = Closer(best, PointToSegment(targets[i], targets[(i + 1) % targets.Length], p));
        }
        return best;
    }

    private static ClosestPair Closer(ClosestPair a, ClosestPair b) => b.Distance < a.Distance ? b : a;

    /// <summary>From point <paramref name="q"/> (first) to point <paramref name="p"/> (second).</summary>
    private static ClosestPair PointToPoint(PlanarPoint q, PlanarPoint p)
    {
        double dx = p.X - q.X, dy = p.Y - q.Y;
        double length = Math.Sqrt(dx * dx + dy * dy);
        return new ClosestPair(length, dx / length, dy / length, q, p);
    }

    /// <summary>From the nearest point of segment s0–s1 (first) to point <paramref name="p"/> (second), which is not on the segment.</summary>
    private static ClosestPair PointToSegment(PlanarPoint s0, PlanarPoint s1, PlanarPoint p)
    {
        ExactValue along = PlanarPredicates.Dot(s0, s1, p);
        if (along.Sign <= 0) return PointToPoint(s0, p);
        if (PlanarPredicates.Dot(s1, s0, p).Sign <= 0) return PointToPoint(s1, p);
        // The foot of the perpendicular lies inside the segment: distance = |cross| / |s1 − s0|, with the
        // cross product's exact value rounded once, so a point very close to a long edge keeps its distance.
        double ex = s1.X - s0.X, ey = s1.Y - s0.Y;
        double length = Math.Sqrt(ex * ex + ey * ey);
        ExactValue cross = PlanarPredicates.Cross(s0, s1, p);
        double normalX = -ey / length * cross.Sign, normalY = ex / length * cross.Sign;
        double t = along.Value / (length * length);
        var foot = new PlanarPoint(s0.X + t * ex, s0.Y + t * ey);
        return new ClosestPair(Math.Abs(cross.Value) / length, normalX, normalY, foot, p);
    }

    /// <summary>Two closest points and the unit vector from the first to the second.</summary>
    private readonly record struct ClosestPair(double Distance, double NormalX, double NormalY, PlanarPoint OnFirst, PlanarPoint OnSecond);
}
