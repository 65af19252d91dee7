using System;
using Xunit;

namespace HiddenSpace.Tests.Training;

/// <summary>Metrics.CountCorrect against its definition: one <see cref="Metrics.PredictedClass"/> per row.</summary>
public class MetricsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)] // from 3 classes on eight rows at a time (AVX2), the rest one at a time
    [InlineData(5)]
    [InlineData(10)]
    public void CountCorrectCountsTheRowsWhosePredictedClassIsTheTargets(int width)
    {
        var random = new Random(5);
        // Lengths around the vector widths; outputs at, just below and above the 0.5 threshold, NaN and ±infinity.
        float[] special = [0.5f, MathF.BitDecrement(0.5f), MathF.BitIncrement(0.5f), float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, 1f];
        for (int rows = 0; rows <= 37; rows++)
        {
            var outputs = new float[rows * width];
            var targets = new float[rows * width];
            for (int i = 0; i < outputs.Length; i++)
                outputs[i] = random.Next(3) == 0 ? special[random.Next(special.Length)] : random.NextSingle();
            for (int r = 0; r < rows; r++)
            {
                int label = random.Next(width == 1 ? 2 : width);
                if (width == 1) targets[r] = label;
                else targets[r * width + label] = 1f;
            }
            int expected = 0;
            for (int r = 0; r < rows; r++)
                if (Metrics.PredictedClass(outputs.AsSpan(r * width, width)) == Metrics.PredictedClass(targets.AsSpan(r * width, width))) expected++;
            Assert.Equal(expected, Metrics.CountCorrect(outputs, targets, width));
        }
    }

    [Theory]
    [InlineData(new[] { 1f, 3f, 3f }, 1)] // the first of equals
    [InlineData(new[] { 2f, float.NaN, 3f }, 2)] // a NaN is never larger
    [InlineData(new[] { float.NaN, 2f, 1f }, 0)] // nor is anything larger than a NaN
    [InlineData(new[] { float.NegativeInfinity, float.NegativeInfinity }, 0)]
    [InlineData(new[] { -0f, 0f }, 0)] // -0 == +0
    [InlineData(new[] { 0.1f, 0.2f, 0.3f, 0.9f, 0.5f, float.PositiveInfinity, 7f }, 5)]
    public void PredictedClassIsTheFirstLargestOutput(float[] output, int expected) => Assert.Equal(expected, Metrics.PredictedClass(output));

    [Fact]
    public void PredictedClassAgreesWithTheComparisonLoopOnRandomRows()
    {
        var random = new Random(11);
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1f];
        for (int width = 2; width <= 12; width++)
            for (int trial = 0; trial < 200; trial++)
            {
                float[] output = new float[width];
                for (int j = 0; j < width; j++)
                    output[j] = random.Next(4) == 0 ? special[random.Next(special.Length)] : random.Next(5) / 4f;
                int best = 0;
                for (int j = 1; j < width; j++)
                    if (output[j] > output[best]) best = j;
                Assert.Equal(best, Metrics.PredictedClass(output));
            }
    }

    [Fact]
    public void BinaryCrossEntropyFromOutputsHasTheBitsOfBothTerms()
    {
        // Labels of 0 and 1 take one log; the value must be the two-term formula's to the bit, and soft targets use it.
        var random = new Random(13);
        float[] special = [0f, 1f, 1e-9f, 1 - 1e-9f, 0.5f, float.NaN, float.Epsilon];
        foreach (float t in new[] { 0f, 1f, 0.3f })
            for (int trial = 0; trial < 500; trial++)
            {
                float[] output = new float[1 + random.Next(3)], target = new float[output.Length];
                double expected = 0;
                for (int j = 0; j < output.Length; j++)
                {
                    output[j] = random.Next(4) == 0 ? special[random.Next(special.Length)] : random.NextSingle();
                    target[j] = t;
                    double a = Math.Clamp(output[j], 1e-7, 1 - 1e-7);
                    expected -= t * Math.Log(a) + (1 - t) * Math.Log(1 - a);
                }
                expected /= output.Length;
                double actual = Metrics.LossFromOutput(Loss.BinaryCrossEntropy, output, target);
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual) || double.IsNaN(expected) && double.IsNaN(actual),
                    $"target {t}, outputs [{string.Join(", ", output)}]: {actual:R} against {expected:R}");
            }
    }
}
