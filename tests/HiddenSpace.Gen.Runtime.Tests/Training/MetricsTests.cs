using System;
using Xunit;

namespace HiddenSpace.Tests.Training;

/// <summary>Metrics.CountCorrect against its definition: one <see cref="Metrics.PredictedClass"/> per row.</summary>
public class MetricsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
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
}
