using System;
using System.Linq;
using Xunit;
using Xunit.Abstractions;
using HiddenSpace.Kernels;

namespace HiddenSpace.Tests.Numerics;

public class ActivationKernelTests(ITestOutputHelper output)
{
    [Fact]
    public void FastTanhIsWithinOneMillionthOfDoubleTanhOverTheWholeRange()
    {
        // Every float in [-10, 10] at a fine step plus the extremes, tails included.
        const int Count = 2_000_001;
        var z = new float[Count + 4];
        for (int i = 0; i < Count; i++) z[i] = -10f + 20f * i / (Count - 1);
        z[Count] = 1e-30f;
        z[Count + 1] = -3e-5f;
        z[Count + 2] = float.MaxValue;
        z[Count + 3] = float.MinValue;
        var a = new float[z.Length];
        ActivationKernels.Tanh(z, a);
        double worst = 0;
        for (int i = 0; i < z.Length; i++)
        {
            double exact = Math.Tanh(z[i]);
            double relative = Math.Abs(a[i] - exact) / Math.Max(Math.Abs(exact), 1e-30);
            worst = Math.Max(worst, relative);
        }
        output.WriteLine($"largest relative error of the tanh approximation: {worst:E2}");
        Assert.True(worst <= 1e-6, $"largest relative error {worst:E3}");
    }

    [Theory]
    [InlineData(1.401298E-45f)] // the smallest subnormal
    [InlineData(1.1754942E-38f)] // the largest subnormal
    [InlineData(1.1754944E-38f)] // the smallest normal
    [InlineData(1e-30f)]
    [InlineData(1e-8f)]
    [InlineData(-3e-5f)]
    public void FastTanhIsTheIdentityWhereTanhIsWithinHalfAnUlpOfIt(float x)
    {
        // tanh(x) = x − x³/3 + …: for |x| < 2^-12 the cubic term is below half an ulp of x. The rational's constant terms
        // are both 1, so x·P(x²)/Q(x²) rounds to x there, subnormals included (a constant term ratio just under 1 gave 0
        // for the smallest subnormal, a relative error of 1).
        Assert.Equal(x, ActivationKernels.Tanh(x));
        var a = new float[17];
        ActivationKernels.Tanh(Enumerable.Repeat(x, a.Length).ToArray(), a);
        Assert.All(a, value => Assert.Equal(x, value));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(40)]
    public void KernelsAgreeWithScalarDefinitionsForEveryLengthAndTail(int length)
    {
        var random = new SeededRandom(length);
        var z = new float[length];
        for (int i = 0; i < length; i++) z[i] = (float)(3 * random.NextGaussian());
        var a = new float[length];

        Check(ActivationKernels.Sigmoid, x => 1 / (1 + Math.Exp(-x)));
        Check(ActivationKernels.Softplus, x => Math.Log(1 + Math.Exp(x)));
        Check(ActivationKernels.ReLU, x => Math.Max(x, 0));
        Check(ActivationKernels.LeakyReLU, x => x > 0 ? x : 0.01 * x);
        Check(ActivationKernels.ELU, x => x > 0 ? x : Math.Exp(x) - 1);
        Check(ActivationKernels.GELU, x => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))));

        void Check(ActivationKernel kernel, Func<double, double> exact)
        {
            kernel(z, a);
            for (int i = 0; i < length; i++)
                Assert.True(Math.Abs(a[i] - exact(z[i])) <= 2e-6 * Math.Max(1, Math.Abs(exact(z[i]))), $"{kernel.Method.Name}({z[i]}) = {a[i]}, expected {exact(z[i])}");
        }
    }

    [Fact]
    public void SoftmaxSumsToOneAndSurvivesHugeLogits()
    {
        float[] z = [1000f, 999f, -1000f];
        var a = new float[3];
        ActivationKernels.Softmax(z, a);
        Assert.Equal(1.0, a[0] + a[1] + a[2], 6);
        Assert.Equal(1 / (1 + Math.Exp(-1)), a[0], 6);
        Assert.Equal(0f, a[2]);
    }

    [Fact]
    public void NaNStaysNaNThroughTheClampsAndInfinitiesSaturate()
    {
        // The clamps use MinNative/MaxNative with the bound first, which must still return NaN for NaN.
        Assert.True(float.IsNaN(ActivationKernels.Tanh(float.NaN)));
        Assert.True(float.IsNaN(ActivationKernels.ReLU(float.NaN)));
        Assert.True(float.IsNaN(ActivationKernels.Softplus(float.NaN)));
        Assert.True(float.IsNaN(ActivationKernels.ELU(float.NaN)));
        Assert.Equal(1.0, ActivationKernels.Tanh(float.PositiveInfinity), 1e-6); // the clamped approximation's value at ±7.9
        Assert.Equal(-1.0, ActivationKernels.Tanh(float.NegativeInfinity), 1e-6);
        Assert.Equal(0f, ActivationKernels.ReLU(float.NegativeInfinity));
    }

    [Fact]
    public void ScalarOverloadsGiveTheLayerKernelsBits()
    {
        var random = new SeededRandom(5);
        float[] z = Enumerable.Range(0, 37).Select(_ => (float)(4 * random.NextGaussian())).ToArray();
        var a = new float[z.Length];
        ActivationKernels.Tanh(z, a);
        for (int i = 0; i < z.Length; i++) Assert.Equal(a[i], ActivationKernels.Tanh(z[i]));
        ActivationKernels.Sigmoid(z, a);
        for (int i = 0; i < z.Length; i++) Assert.Equal(a[i], ActivationKernels.Sigmoid(z[i]));
        ActivationKernels.GELU(z, a);
        for (int i = 0; i < z.Length; i++) Assert.Equal(a[i], ActivationKernels.GELU(z[i]));
    }

    private delegate void ActivationKernel(ReadOnlySpan<float> z, Span<float> a);
}
