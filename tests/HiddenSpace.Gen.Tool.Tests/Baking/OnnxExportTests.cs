using System;
using System.Linq;
using System.Reflection;
using HiddenSpace.Tests.Baking;
using HiddenSpace.Tests.Generator;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Export;

/// <summary>
/// Exported ONNX models run in ONNX Runtime and agree with the generated network's Forward on every row, within 1e-6 of
/// each output row's largest magnitude (ONNX Runtime's tanh, sigmoid and exp are its own approximations).
/// </summary>
public class OnnxExportTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-6;

    [Fact]
    public void TheTrainedSeedNetworkRunsInOnnxRuntime()
    {
        BakedMoonsTests.Trained trained = BakedMoonsTests.Train();
        TrainedWeights weights = WeightsFile.ReadText(BakedMoonsTests.CommittedPath);
        byte[] model = OnnxExport.ToBytes(weights.Shape, weights.Parameters, weights.Metadata.InputStandardizer);
        double worst = Compare(model, trained.Network, trained.Test.Features.ToArray(), trained.Standardizer);
        output.WriteLine($"seed network, {trained.Test.Count} held-out rows: largest difference {worst:E2} of the row's scale");
    }

    [Theory]
    [InlineData("every activation")]
    [InlineData("softmax")]
    [InlineData("looped")]
    [InlineData("regression, raw inputs")]
    public void EveryActivationRunsInOnnxRuntime(string name)
    {
        NetworkShape shape = TestShapes.Baked[name].Shape;
        Assembly generated = GeneratorHarness.CompileAndLoad(GeneratorHarness.Run("using HiddenSpace;\n" + shape.ToDeclaration("Trainable")).Output);
        var network = (INetwork)Activator.CreateInstance(generated.GetType("Trainable")!, 3)!;
        var random = new Random(4);
        for (int i = 0; i < network.Parameters.Length; i++) network.Parameters[i] += (float)(random.NextDouble() - 0.5) * 0.2f;
        float[] rows = [.. Enumerable.Range(0, 300 * shape.Inputs).Select(_ => (float)(random.NextDouble() * 6 - 2))];
        Standardizer? standardizer = name.Contains("raw", StringComparison.Ordinal) ? null : Standardizer.Fit(rows, shape.Inputs);
        double worst = Compare(OnnxExport.ToBytes(shape, network.Parameters, standardizer), network, rows, standardizer);
        output.WriteLine($"{name}: largest difference {worst:E2} of the row's scale");
    }

    /// <summary>Runs every raw row through ONNX Runtime in one batch and through Forward one by one; returns the largest scaled difference.</summary>
    private static double Compare(byte[] model, IForwardNetwork network, float[] rows, Standardizer? standardizer)
    {
        int inputs = network.Shape.Inputs, outputs = network.Shape.Outputs, count = rows.Length / inputs;
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        Assert.Equal(["x"], session.InputMetadata.Keys);
        Assert.Equal(-1, session.InputMetadata["x"].Dimensions[0]); // the symbolic batch axis
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(rows, [count, inputs]))]);
        float[] onnx = [.. results.Single(r => r.Name == "y").AsEnumerable<float>()];
        Assert.Equal(count * outputs, onnx.Length);

        var x = new float[inputs];
        var expected = new float[outputs];
        double worst = 0;
        for (int r = 0; r < count; r++)
        {
            ReadOnlySpan<float> raw = rows.AsSpan(r * inputs, inputs);
            if (standardizer is not null) standardizer.Apply(raw, x);
            else raw.CopyTo(x);
            network.Forward(x, expected);
            double scale = Math.Max(expected.Max(Math.Abs), float.Epsilon);
            for (int j = 0; j < outputs; j++)
            {
                double difference = Math.Abs(expected[j] - onnx[r * outputs + j]) / scale;
                worst = Math.Max(worst, difference);
                if (!(difference <= Tolerance)) Assert.Fail($"row {r}[{j}]: Forward {expected[j]:R}, ONNX Runtime {onnx[r * outputs + j]:R}");
            }
        }
        return worst;
    }
}
