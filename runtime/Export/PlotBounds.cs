using System;
using System.Globalization;

namespace HiddenSpace;

/// <summary>The data rectangle a plot shows: <c>[MinX, MaxX] × [MinY, MaxY]</c>, both spans positive and finite.</summary>
public sealed record PlotBounds
{
    /// <summary>Validates and stores the rectangle.</summary>
    /// <exception cref="ArgumentException">A value is not finite, or a minimum is not below its maximum.</exception>
    public PlotBounds(double minX, double maxX, double minY, double maxY)
    {
        CheckAxis(minX, maxX, "x");
        CheckAxis(minY, maxY, "y");
        MinX = minX;
        MaxX = maxX;
        MinY = minY;
        MaxY = maxY;
    }

    /// <summary>Left edge, in data units.</summary>
    public double MinX { get; }

    /// <summary>Right edge, in data units.</summary>
    public double MaxX { get; }

    /// <summary>Bottom edge, in data units.</summary>
    public double MinY { get; }

    /// <summary>Top edge, in data units.</summary>
    public double MaxY { get; }

    /// <summary>Width in data units.</summary>
    public double SpanX => MaxX - MinX;

    /// <summary>Height in data units.</summary>
    public double SpanY => MaxY - MinY;

    /// <summary>Whether (<paramref name="x"/>, <paramref name="y"/>) lies inside or on the border.</summary>
    public bool Contains(double x, double y) => x >= MinX && x <= MaxX && y >= MinY && y <= MaxY;

    /// <summary>
    /// The smallest rectangle holding every point, widened by <paramref name="padding"/> of its span on
    /// each side so no point sits on the border. An axis on which all values are equal gets a span
    /// proportional to the value (1 around 0) instead of zero. No points give [-1, 1] × [-1, 1].
    /// </summary>
    /// <exception cref="ArgumentException">The coordinate arrays differ in length or hold a non-finite value.</exception>
    public static PlotBounds Around(ReadOnlySpan<float> xs, ReadOnlySpan<float> ys, double padding = 0.05)
    {
        if (xs.Length != ys.Length)
            throw new ArgumentException($"{xs.Length} x values but {ys.Length} y values.", nameof(ys));
        if (!double.IsFinite(padding) || padding < 0)
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "Padding must be a finite fraction >= 0.");
        (double minX, double maxX) = Range(xs, nameof(xs));
        (double minY, double maxY) = Range(ys, nameof(ys));
        (minX, maxX) = Pad(minX, maxX, padding);
        (minY, maxY) = Pad(minY, maxY, padding);
        return new PlotBounds(minX, maxX, minY, maxY);
    }

    private static (double Min, double Max) Range(ReadOnlySpan<float> values, string parameterName)
    {
        if (values.IsEmpty) return (-1, 1);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"Value {i} is {values[i].ToString(CultureInfo.InvariantCulture)}; plotted values must be finite.", parameterName);
            min = Math.Min(min, values[i]);
            max = Math.Max(max, values[i]);
        }
        return (min, max);
    }

    private static (double Min, double Max) Pad(double min, double max, double padding)
    {
        double span = max - min;
        if (span > 0) return (min - span * padding, max + span * padding);
        // All values equal: there is no span to pad, so open a window whose size follows the value's magnitude.
        double halfWidth = min == 0 ? 1 : Math.Abs(min) * 0.1;
        return (min - halfWidth, max + halfWidth);
    }

    private static void CheckAxis(double min, double max, string axis)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || !double.IsFinite(max - min))
            throw new ArgumentException($"The {axis} range [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}] is not finite.", "min" + axis.ToUpperInvariant());
        if (!(max - min > 0))
            throw new ArgumentException($"The {axis} range [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}] is empty; the minimum must be below the maximum.", "max" + axis.ToUpperInvariant());
    }
}
