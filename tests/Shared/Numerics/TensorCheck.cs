using System;
using Xunit.Sdk;

namespace HiddenSpace.Tests.Numerics;

/// <summary>
/// llm.c-style tensor comparison: the largest difference relative to max(|expected|, floor·max|expected|),
/// so elements that are tiny by cancellation do not dominate; fails with the worst element named.
/// </summary>
internal static class TensorCheck
{
    public static double MaxRelativeDifference(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, double floor, out int worst)
    {
        if (actual.Length != expected.Length) throw new XunitException($"Length {actual.Length} vs {expected.Length}.");
        double scale = 0;
        foreach (double value in expected) scale = Math.Max(scale, Math.Abs(value));
        double largest = 0;
        worst = -1;
        for (int i = 0; i < actual.Length; i++)
        {
            double difference = Math.Abs(actual[i] - expected[i]) / Math.Max(Math.Max(Math.Abs(expected[i]), floor * scale), 1e-30);
            if (double.IsNaN(difference)) difference = double.PositiveInfinity;
            if (difference > largest)
            {
                largest = difference;
                worst = i;
            }
        }
        return largest;
    }

    public static double AssertClose(string label, ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, double tolerance, double floor = 1e-3)
    {
        double largest = MaxRelativeDifference(actual, expected, floor, out int worst);
        if (largest > tolerance)
            throw new XunitException($"{label}: largest relative difference {largest:E3} at [{worst}] (actual {actual[worst]:R}, expected {expected[worst]:R}) exceeds {tolerance:E1}.");
        return largest;
    }

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }
}
