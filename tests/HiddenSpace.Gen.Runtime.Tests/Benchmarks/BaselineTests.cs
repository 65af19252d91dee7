using System;
using HiddenSpace.Baselines;
using Xunit;

namespace HiddenSpace.Tests.Benchmarks;

/// <summary>
/// Each benchmark baseline must compute the generated networks' math: after copying in the same parameters,
/// its outputs, loss, gradients and SGD-updated parameters must agree with <see cref="ReferenceNetwork{T}"/>
/// in double within a relative 1e-4.
/// </summary>
public class BaselineTests
{
    private const double Tolerance = 1e-4;
    private const float LearningRate = 0.01f;

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (string shape in new[] { "Seed", "Mid", "Tabular", "Table30", "Large" })
            foreach (string baseline in new[] { "Naive", "Span", "Simd" })
                cases.Add(shape, baseline);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesReferenceInDouble(string shapeName, string baselineName)
    {
        (NetworkShape shape, IBaselineMlp baseline, ReferenceNetwork<double> reference) = Build(shapeName, baselineName);
        var random = new SeededRandom(7);
        var output = new float[shape.Outputs];
        var expected = new double[shape.Outputs];
        for (int sample = 0; sample < 5; sample++)
        {
            (float[] input, _) = Sample(shape, random);
            baseline.Forward(input, output);
            reference.Forward(ToDouble(input), expected);
            AssertClose(expected, output, $"{baselineName} forward, sample {sample}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SgdStepMatchesReferenceInDouble(string shapeName, string baselineName)
    {
        (NetworkShape shape, IBaselineMlp baseline, ReferenceNetwork<double> reference) = Build(shapeName, baselineName);
        (float[] input, float[] target) = Sample(shape, new SeededRandom(11));

        baseline.ClearGradients();
        float loss = baseline.AccumulateGradients(input, target);
        baseline.SgdStep(1f);

        reference.Gradients.Clear();
        double expectedLoss = reference.AccumulateGradients(ToDouble(input), ToDouble(target));
        Span<double> parameters = reference.Parameters;
        ReadOnlySpan<double> gradients = reference.Gradients;
        for (int i = 0; i < parameters.Length; i++) parameters[i] -= LearningRate * gradients[i];

        AssertClose([expectedLoss], [loss], $"{baselineName} loss");
        var actual = new float[shape.ParameterCount];
        baseline.StoreGradients(actual);
        AssertClose(reference.Gradients, actual, $"{baselineName} gradients");
        baseline.StoreParameters(actual);
        AssertClose(reference.Parameters, actual, $"{baselineName} parameters after one SGD step");
    }

    [Theory]
    [InlineData("Seed")]
    [InlineData("Mid")]
    [InlineData("Large")]
    public void BatchedBaselineMatchesReferenceInDouble(string shapeName)
    {
        NetworkShape shape = BenchmarkShapes.Named(shapeName);
        const int Rows = 5;
        var initial = new float[shape.ParameterCount];
        ParameterInitializer.Initialize(shape, initial, seed: 1);
        var batched = new BatchedMlp(shape, LearningRate, Rows);
        batched.LoadParameters(initial);
        var reference = new ReferenceNetwork<double>(shape, seed: 1);
        var random = new SeededRandom(13);
        var inputs = new float[Rows * shape.Inputs];
        var targets = new float[Rows * shape.Outputs];
        for (int r = 0; r < Rows; r++)
        {
            (float[] input, float[] target) = Sample(shape, random);
            input.CopyTo(inputs, r * shape.Inputs);
            target.CopyTo(targets, r * shape.Outputs);
        }

        var outputs = new float[Rows * shape.Outputs];
        batched.ForwardBatch(inputs, outputs);
        var expectedOutputs = new double[Rows * shape.Outputs];
        reference.ForwardBatch(ToDouble(inputs), expectedOutputs);
        AssertClose(expectedOutputs, outputs, "batched forward");

        batched.ClearGradients();
        float loss = batched.AccumulateBatchGradients(inputs, targets);
        reference.Gradients.Clear();
        double expectedLoss = reference.AccumulateBatchGradients(ToDouble(inputs), ToDouble(targets));
        AssertClose([expectedLoss], [loss], "batched loss");
        AssertClose(reference.Gradients, batched.Gradients, "batched gradients");
    }

    [Fact]
    public void NaiveAdamMatchesTheRuntimeOptimizer()
    {
        NetworkShape shape = BenchmarkShapes.Seed;
        var initial = new float[shape.ParameterCount];
        ParameterInitializer.Initialize(shape, initial, seed: 3);
        var naive = new NaiveMlp(shape, LearningRate);
        var span = new SpanMlp(shape, LearningRate); // flat baselines step with the runtime's Optimizer
        naive.LoadParameters(initial);
        span.LoadParameters(initial);
        var random = new SeededRandom(5);
        for (int step = 0; step < 3; step++)
        {
            (float[] input, float[] target) = Sample(shape, random);
            naive.ClearGradients();
            span.ClearGradients();
            naive.AccumulateGradients(input, target);
            span.AccumulateGradients(input, target);
            naive.AdamStep(0.5f);
            span.AdamStep(0.5f);
        }
        var expected = new float[shape.ParameterCount];
        var actual = new float[shape.ParameterCount];
        span.StoreParameters(expected);
        naive.StoreParameters(actual);
        AssertClose(ToDouble(expected), actual, "Naive Adam vs runtime Optimizer");
        Assert.NotEqual(initial, actual);
    }

    [Fact]
    public void UnsupportedActivationIsRejected()
    {
        var shape = new NetworkShape(2, Loss.MeanSquaredError, new LayerShape(1, Activation.GELU));
        Assert.Throws<NotSupportedException>(() => new SimdMlp(shape, LearningRate));
    }

    private static (NetworkShape, IBaselineMlp, ReferenceNetwork<double>) Build(string shapeName, string baselineName)
    {
        NetworkShape shape = BenchmarkShapes.Named(shapeName);
        IBaselineMlp baseline = baselineName switch
        {
            "Naive" => new NaiveMlp(shape, LearningRate),
            "Span" => new SpanMlp(shape, LearningRate),
            _ => new SimdMlp(shape, LearningRate),
        };
        // ReferenceNetwork<double> starts from the float initialisation of the same seed, widened exactly.
        var initial = new float[shape.ParameterCount];
        ParameterInitializer.Initialize(shape, initial, seed: 1);
        baseline.LoadParameters(initial);
        var reference = new ReferenceNetwork<double>(shape, seed: 1);
        Assert.Equal(ToDouble(initial), reference.Parameters.ToArray());
        return (shape, baseline, reference);
    }

    private static (float[] Input, float[] Target) Sample(NetworkShape shape, SeededRandom random)
    {
        var input = new float[shape.Inputs];
        for (int i = 0; i < input.Length; i++) input[i] = (float)random.NextDouble(-1, 1);
        var target = new float[shape.Outputs];
        if (shape.Outputs == 1) target[0] = random.NextInt(2);
        else target[random.NextInt(shape.Outputs)] = 1f;
        return (input, target);
    }

    private static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }

    /// <summary>
    /// |actual − expected| ≤ 1e-4·max(|expected|, 1e-3·max|expected|) element-wise; the floor keeps values that
    /// cancel to almost nothing from demanding more than float precision. Reports the worst element.
    /// </summary>
    private static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double largest = 0;
        foreach (double value in expected) largest = Math.Max(largest, Math.Abs(value));
        double worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double scale = Math.Max(Math.Abs(expected[i]), 1e-3 * largest);
            double error = scale == 0 ? Math.Abs(actual[i]) : Math.Abs(actual[i] - expected[i]) / scale;
            if (error > worst) (worst, worstIndex) = (error, i);
        }
        if (worst > Tolerance)
            Assert.Fail($"{what}: largest relative difference {worst:G3} at [{worstIndex}]: {actual[worstIndex]:R} vs {expected[worstIndex]:R}.");
    }
}
