using System;
using System.Linq;
using Xunit;

namespace HiddenSpace.Tests.Training;

/// <summary>Each update rule against the textbook formula written out in double, over enough parameters to use the vector and the tail paths.</summary>
public class OptimizerTests
{
    [Theory]
    [InlineData(OptimizerKind.Sgd, 0f)]
    [InlineData(OptimizerKind.Momentum, 0f)]
    [InlineData(OptimizerKind.Adam, 0f)]
    [InlineData(OptimizerKind.Sgd, 0.02f)]
    [InlineData(OptimizerKind.Momentum, 0.02f)]
    [InlineData(OptimizerKind.Adam, 0.02f)]
    public void StepsMatchTheFormula(OptimizerKind kind, float l1)
    {
        const int Count = 37; // two 16-lane vectors and a tail of 5
        var settings = new OptimizerSettings(kind, LearningRate: 0.05f, Momentum: 0.8f, Beta1: 0.85f, Beta2: 0.99f, Epsilon: 1e-6f, L2: 0.01f, L1: l1);
        Optimizer optimizer = Optimizer.Create(settings, Count);
        var random = new SeededRandom(11);
        float[] w = Enumerable.Range(0, Count).Select(_ => (float)random.NextGaussian()).ToArray();
        double[] expected = w.Select(x => (double)x).ToArray();
        var velocity = new double[Count];
        var m = new double[Count];
        var v = new double[Count];
        const float Scale = 0.25f;
        for (int t = 1; t <= 5; t++)
        {
            float[] gradientSum = Enumerable.Range(0, Count).Select(_ => (float)random.NextGaussian()).ToArray();
            // From step 3 on, a schedule's rate: 0.05 · (1 − t / 10).
            float rate = t < 3 ? 0.05f : 0.05f * (1 - t / 10f);
            if (t < 3) optimizer.Step(w, gradientSum, Scale);
            else optimizer.Step(w, gradientSum, Scale, rate);
            for (int i = 0; i < Count; i++)
            {
                double g = gradientSum[i] * (double)Scale + 0.01 * expected[i] + l1 * Math.Sign(expected[i]);
                switch (kind)
                {
                    case OptimizerKind.Sgd:
                        expected[i] -= rate * g;
                        break;
                    case OptimizerKind.Momentum:
                        velocity[i] = 0.8 * velocity[i] + g;
                        expected[i] -= rate * velocity[i];
                        break;
                    default:
                        m[i] = 0.85 * m[i] + 0.15 * g;
                        v[i] = 0.99 * v[i] + 0.01 * g * g;
                        double mHat = m[i] / (1 - Math.Pow(0.85, t)), vHat = v[i] / (1 - Math.Pow(0.99, t));
                        expected[i] -= rate * mHat / (Math.Sqrt(vHat) + 1e-6);
                        break;
                }
            }
        }
        for (int i = 0; i < Count; i++)
            Assert.True(Math.Abs(w[i] - expected[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"parameter {i}: {w[i]} vs {expected[i]}");
        Assert.Equal(5, optimizer.Steps);
    }

    [Theory]
    [InlineData(0.9f, 0.999f)]
    [InlineData(0.85f, 0.99f)]
    [InlineData(0f, 0.5f)]
    public void AdamLateInARunGivesTheBitsOfTheFullFormula(float beta1, float beta2)
    {
        // βᵗ is a running product in double (step t: t multiplications by β), and once it is negligible the optimizer
        // stops computing it; the step's bits must be those of the product, at the steps around where each power stops
        // mattering (β1 = 0.9: 395; β2 = 0.999: 41,566), where Math.Pow underflows (0.9: ~6,700) and far beyond. Each
        // step follows a restored step count, so the product starts again from 1. One parameter: the scalar tail, whose
        // float operations are written out below.
        var settings = new OptimizerSettings(OptimizerKind.Adam, LearningRate: 0.01f, Beta1: beta1, Beta2: beta2, Epsilon: 1e-8f);
        foreach (long step in new long[] { 1, 2, 63, 64, 394, 395, 396, 6_700, 41_565, 41_566, 41_567, 1_000_000, long.MaxValue / 2 })
        {
            Optimizer optimizer = Optimizer.Create(settings, 1);
            optimizer.RestoreSteps(step - 1);
            float[] w = [0.75f];
            float g = -0.3f;
            optimizer.Step(w, [g], 1f);
            double firstPower = Power(beta1, step), secondPower = Power(beta2, step);
            Assert.True(Math.Abs(firstPower - Math.Pow(beta1, step)) <= 1e-11 * Math.Pow(beta1, step) + 1e-18, $"β1^{step}: {firstPower} vs {Math.Pow(beta1, step)}");
            Assert.True(Math.Abs(secondPower - Math.Pow(beta2, step)) <= 1e-11 * Math.Pow(beta2, step) + 1e-18, $"β2^{step}: {secondPower} vs {Math.Pow(beta2, step)}");
            double secondCorrection = Math.Sqrt(1 - secondPower);
            float stepSize = (float)(0.01f * secondCorrection / (1 - firstPower));
            float epsilonHat = (float)(1e-8f * secondCorrection);
            float m = (1f - beta1) * g, s = (1f - beta2) * g * g;
            float expected = 0.75f - stepSize * m / (MathF.Sqrt(s) + epsilonHat);
            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(w[0]), $"step {step}: {w[0]:R} vs {expected:R}");
        }
    }

    /// <summary>βᵗ as t multiplications by β in double, stopped at 0 once below 2⁻⁶⁰ (where 1 − βᵗ rounds to 1 either way).</summary>
    private static double Power(float beta, long step)
    {
        const double Negligible = 1.0 / (1L << 60);
        double power = 1;
        for (long t = 0; t < step && power >= Negligible; t++) power *= beta;
        return power < Negligible ? 0 : power;
    }

    [Fact]
    public void AdamsSecondMomentNeverGoesSubnormalAndTheParametersKeepTheFullFormulasBits()
    {
        // Vanishing gradients (a network that separates its data) and decaying moments would make (1 − β2)·g² and β2·v
        // subnormal; the optimizer counts those terms as 0. 37 parameters: vectors and a scalar tail at every width.
        // Each parameter starts from a second moment just above 2⁻¹²⁶ (β2·v is subnormal) or from 0, with a gradient of
        // 10⁻²⁰ (g² is subnormal), 10⁻²⁵ (it underflows) or 0.3, and the result is compared bit for bit with the update
        // written out in float without the floors.
        const int Count = 37;
        const float Beta1 = 0.9f, Beta2 = 0.999f;
        var settings = new OptimizerSettings(OptimizerKind.Adam, LearningRate: 0.01f, Beta1: Beta1, Beta2: Beta2, Epsilon: 1e-8f);
        Optimizer optimizer = Optimizer.Create(settings, Count);
        float[] w = [.. Enumerable.Range(0, Count).Select(i => 0.5f - 0.03f * i)];
        float[] g = [.. Enumerable.Range(0, Count).Select(i => (i % 3) switch { 0 => 1e-20f, 1 => 1e-25f, _ => 0.3f })];
        float[] first = [.. Enumerable.Range(0, Count).Select(i => 1e-3f * (i + 1))];
        float[] second = [.. Enumerable.Range(0, Count).Select(i => i % 2 == 0 ? 1.1760e-38f : 0f)];
        first.CopyTo(optimizer.FirstMoments);
        second.CopyTo(optimizer.SecondMoments);
        float[] expected = new float[Count];
        double secondCorrection = Math.Sqrt(1 - Beta2);
        float stepSize = (float)(0.01f * secondCorrection / (1 - Beta1)), epsilonHat = (float)(1e-8f * secondCorrection);
        for (int i = 0; i < Count; i++)
        {
            float m = Beta1 * first[i] + (1f - Beta1) * g[i], s = Beta2 * second[i] + (1f - Beta2) * g[i] * g[i];
            expected[i] = w[i] - stepSize * m / (MathF.Sqrt(s) + epsilonHat);
        }
        Assert.Contains(expected.Select((_, i) => Beta2 * second[i] + (1f - Beta2) * g[i] * g[i]), float.IsSubnormal); // the case is real
        optimizer.Step(w, g, 1f);
        Assert.DoesNotContain(optimizer.SecondMoments.ToArray(), float.IsSubnormal);
        AssertSameBits(expected, w);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Momentum)]
    [InlineData(OptimizerKind.Adam)]
    public void VectorLanesGiveTheScalarTailsBits(OptimizerKind kind)
    {
        // An optimizer of one parameter runs wholly in the tail (one vector under a mask with AVX-512 or AVX, one value at
        // a time without masks); 37 parameters run in whole vectors of the machine's width (VectorWidthTests repeats
        // this at 8 and 4 floats, the 4 without masks) and a tail. Same bits, parameter by parameter.
        const int Count = 37;
        var settings = new OptimizerSettings(kind, LearningRate: 0.05f, Momentum: 0.8f, L2: 0.01f, L1: 0.002f);
        var random = new SeededRandom(9);
        float[] vector = [.. Enumerable.Range(0, Count).Select(_ => (float)random.NextGaussian())];
        float[][] single = [.. vector.Select(w => new[] { w })];
        Optimizer wide = Optimizer.Create(settings, Count);
        Optimizer[] narrow = [.. single.Select(_ => Optimizer.Create(settings, 1))];
        for (int step = 0; step < 4; step++)
        {
            float[] gradients = [.. Enumerable.Range(0, Count).Select(_ => (float)random.NextGaussian())];
            wide.Step(vector, gradients, 0.5f);
            for (int i = 0; i < Count; i++) narrow[i].Step(single[i], gradients.AsSpan(i, 1), 0.5f);
        }
        AssertSameBits([.. single.Select(w => w[0])], vector);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Momentum)]
    [InlineData(OptimizerKind.Adam)]
    public void TheTailWritesNothingPastTheSpans(OptimizerKind kind)
    {
        // Spans of 1 to 37 values at the start of longer arrays: the masked tail's store covers a whole vector's
        // addresses, but the values after each span keep their bits.
        var settings = new OptimizerSettings(kind, LearningRate: 0.05f, Momentum: 0.8f);
        for (int count = 1; count <= 37; count++)
        {
            float[] parameters = [.. Enumerable.Repeat(1.5f, count + 16)], gradients = [.. Enumerable.Repeat(0.25f, count + 16)];
            float[] previous = [.. Enumerable.Repeat(-7f, count + 16)];
            Assert.True(Optimizer.Create(settings, count).Step(parameters.AsSpan(0, count), gradients.AsSpan(0, count), 1f, 0.05f, previous.AsSpan(0, count)));
            Assert.All(parameters[..count], w => Assert.NotEqual(1.5f, w));
            Assert.All(previous[..count], w => Assert.Equal(1.5f, w));
            Assert.All(parameters[count..], w => Assert.Equal(1.5f, w));
            Assert.All(previous[count..], w => Assert.Equal(-7f, w));
        }
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Momentum)]
    [InlineData(OptimizerKind.Adam)]
    public void AKeepingStepIsTheSameStepAndKeepsThePreviousParameters(OptimizerKind kind)
    {
        const int Count = 37; // vectors and a scalar tail at every width
        var settings = new OptimizerSettings(kind, LearningRate: 0.05f, Momentum: 0.8f, L2: 0.01f);
        var random = new SeededRandom(4);
        float[] start = [.. Enumerable.Range(0, Count).Select(_ => (float)random.NextGaussian())];
        float[] gradients = [.. Enumerable.Range(0, Count).Select(_ => (float)random.NextGaussian())];
        Optimizer plain = Optimizer.Create(settings, Count), keeping = Optimizer.Create(settings, Count);
        float[] a = [.. start], b = [.. start];
        var previous = new float[Count];
        for (int step = 0; step < 3; step++)
        {
            float[] before = [.. b];
            plain.Step(a, gradients, 0.5f, 0.05f);
            Assert.True(keeping.Step(b, gradients, 0.5f, 0.05f, previous));
            Assert.Equal(a, b);
            Assert.Equal(before, previous);
        }
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, 3, float.PositiveInfinity)]
    [InlineData(OptimizerKind.Momentum, 36, float.NaN)]
    [InlineData(OptimizerKind.Adam, 0, float.NaN)]
    [InlineData(OptimizerKind.Sgd, 36, 1e38f)] // a finite gradient whose step overflows
    public void AKeepingStepSaysWhenAParameterStoppedBeingFinite(OptimizerKind kind, int index, float gradient)
    {
        const int Count = 37;
        Optimizer optimizer = Optimizer.Create(new OptimizerSettings(kind, LearningRate: 10f), Count);
        float[] parameters = [.. Enumerable.Repeat(-3.3e38f, Count)];
        var gradients = new float[Count];
        gradients[index] = gradient;
        var previous = new float[Count];
        Assert.False(optimizer.Step(parameters, gradients, 1f, 10f, previous));
        Assert.False(float.IsFinite(parameters[index]));
        Assert.All(previous, p => Assert.Equal(-3.3e38f, p));
        Assert.Equal(Count - 1, parameters.Count(float.IsFinite));
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Momentum)]
    [InlineData(OptimizerKind.Adam)]
    public void AStepInRangesHasTheBitsOfAWholeStep(OptimizerKind kind)
    {
        // Ranges on and off vector boundaries, one empty: every parameter, kept value and moment as a whole step's.
        const int Count = 101;
        int[] bounds = [0, 5, 16, 16, 48, 77, Count];
        var settings = new OptimizerSettings(kind, LearningRate: 0.05f, Momentum: 0.8f, L2: 0.01f, L1: 0.002f);
        var random = new SeededRandom(12);
        float[] whole = [.. Enumerable.Range(0, Count).Select(_ => (float)random.NextGaussian())], ranged = [.. whole];
        float[] wholePrevious = new float[Count], rangedPrevious = new float[Count];
        Optimizer one = Optimizer.Create(settings, Count), parts = Optimizer.Create(settings, Count);
        for (int step = 0; step < 4; step++)
        {
            float[] gradients = [.. Enumerable.Range(0, Count).Select(_ => (float)random.NextGaussian())];
            Assert.True(one.Step(whole, gradients, 0.5f, 0.05f, wholePrevious));
            Optimizer.Rule rule = parts.Begin(0.5f, 0.05f);
            for (int r = bounds.Length - 2; r >= 0; r--) // any order: the ranges are independent
            {
                Range range = bounds[r]..bounds[r + 1];
                Assert.True(parts.StepRange(in rule, ranged.AsSpan(range), gradients.AsSpan(range), rangedPrevious.AsSpan(range), bounds[r]));
            }
            Assert.Equal(one.Steps, parts.Steps);
            AssertSameBits(whole, ranged);
            AssertSameBits(wholePrevious, rangedPrevious);
            AssertSameBits(one.FirstMoments.ToArray(), parts.FirstMoments.ToArray());
            AssertSameBits(one.SecondMoments.ToArray(), parts.SecondMoments.ToArray());
        }
    }

    private static void AssertSameBits(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"value {i}: {actual[i]:R} vs {expected[i]:R}");
    }

    [Fact]
    public void AStepRangeSaysWhetherItsOwnParametersAreFinite()
    {
        Optimizer optimizer = Optimizer.Create(new OptimizerSettings(OptimizerKind.Sgd, LearningRate: 1f), 40);
        float[] parameters = new float[40], gradients = new float[40], previous = new float[40];
        gradients[30] = float.NaN;
        Optimizer.Rule rule = optimizer.Begin(1f, 1f);
        Assert.True(optimizer.StepRange(in rule, parameters.AsSpan(0, 20), gradients.AsSpan(0, 20), previous.AsSpan(0, 20), 0));
        Assert.False(optimizer.StepRange(in rule, parameters.AsSpan(20), gradients.AsSpan(20), previous.AsSpan(20), 20));
        var exception = Assert.Throws<ArgumentException>(() => optimizer.StepRange(in rule, parameters.AsSpan(20), gradients.AsSpan(20), previous.AsSpan(20), 21));
        Assert.Equal("A range of 20 parameters from 21 with 20 gradients and 20 kept values does not fit the optimizer's 40 parameters.", exception.Message);
    }

    [Fact]
    public void WrongLengthsNameTheSpan()
    {
        Optimizer optimizer = Optimizer.Create(new OptimizerSettings(), 4);
        var exception = Assert.Throws<ArgumentException>(() => optimizer.Step(new float[3], new float[4], 1f));
        Assert.Equal("parameters", exception.ParamName);
        Assert.Contains("Expected 4 values but the span holds 3", exception.Message);
        exception = Assert.Throws<ArgumentException>(() => optimizer.Step(new float[4], new float[4], 1f, 0.1f, new float[2]));
        Assert.Equal("previous", exception.ParamName);
    }
}
