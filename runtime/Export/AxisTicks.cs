using System;
using System.Collections.Generic;
using System.Globalization;

namespace HiddenSpace;

/// <summary>"Nice" axis ticks: steps of 1, 2 or 5 times a power of ten, about five per axis.</summary>
internal static class AxisTicks
{
    private const int TargetCount = 5;
    private static readonly double[] Mantissas = [1, 2, 5];

    /// <summary>The tick positions inside [<paramref name="min"/>, <paramref name="max"/>] and their labels.</summary>
    public static IReadOnlyList<(double Value, string Label)> For(double min, double max)
    {
        double step = Step(min, max);
        // As many decimals as the step needs: a 0.2 step prints one, a 5 step none.
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        string format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        var ticks = new List<(double, string)>();
        // Integer multiples of the step avoid the drift of repeated addition (0.30000000000000004).
        (long first, long last) = Multiples(min, max, step);
        for (long k = first; k <= last; k++)
        {
            double value = k * step;
            ticks.Add((value, value.ToString(format, CultureInfo.InvariantCulture)));
        }
        return ticks;
    }

    /// <summary>The 1-2-5 step whose tick count inside the range is closest to <see cref="TargetCount"/>; on a tie the smaller step (7 ticks read better than 3).</summary>
    public static double Step(double min, double max)
    {
        int exponent = (int)Math.Floor(Math.Log10(max - min));
        double best = double.NaN;
        long bestDistance = long.MaxValue;
        for (int e = exponent - 2; e <= exponent + 1; e++)
        {
            foreach (double mantissa in Mantissas)
            {
                double step = mantissa * Math.Pow(10, e);
                (long first, long last) = Multiples(min, max, step);
                long distance = Math.Abs(last - first + 1 - TargetCount);
                if (distance < bestDistance)
                {
                    best = step;
                    bestDistance = distance;
                }
            }
        }
        return best;
    }

    private static (long First, long Last) Multiples(double min, double max, double step) =>
        ((long)Math.Ceiling(min / step - 1e-9), (long)Math.Floor(max / step + 1e-9));
}
