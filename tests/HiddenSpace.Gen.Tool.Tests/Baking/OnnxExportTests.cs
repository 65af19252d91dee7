using System;
using System.IO;
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
/// Exported ONNX models run in ONNX Runtime and agree with the generated network's Forward on every row. The trained
/// seed network's model (<see cref="OnnxForm.MatchForward"/>) is within 4e-6 of each output row's largest magnitude: its
/// trained layers carry the last-bit differences of ONNX Runtime's sums (another order than the generated code's) into
/// the output (largest 9.9e-7 with the weights of the earlier tanh, 1.5e-6 with the current one's).
/// Every activation and loss, with random weights, is within 1e-6 of the larger of that magnitude and 1: an output near
/// zero there is a sum that cancels, whose last bits are the rounding of its larger terms, and ONNX Runtime's Exp and
/// Log round differently from .NET's in the last bit (as does the order of sums in layers wider than its GEMM blocks).
/// The plain-operator form (ONNX Runtime's own tanh and sigmoid) is held to 1e-4.
/// </summary>
public sealed class OnnxExportTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 1e-6, TrainedTolerance = 4e-6, OperatorsTolerance = 1e-4;

    private readonly TempDirectory _folder = new("onnx");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void TheTrainedSeedNetworkRunsInOnnxRuntime()
    {
        BakedMoonsTests.Trained trained = BakedMoonsTests.Train();
        _folder.Create();
        string path = _folder.Combine("moons.onnx");
        OnnxExport.Save(path, WeightsFile.ReadText(BakedMoonsNet.CommittedPath));
        double worst = Compare(File.ReadAllBytes(path), trained.Network, trained.Test.Features.ToArray(), trained.Standardizer, TrainedTolerance, floor: 0);
        output.WriteLine($"seed network, {trained.Test.Count} held-out rows: largest difference {worst:E2} of the row's scale");
    }

    [Theory]
    [InlineData("every activation")]
    [InlineData("softmax")]
    [InlineData("looped")]
    [InlineData("never unrolled")]
    [InlineData("regression, raw inputs")]
    public void EveryActivationAndLossRunsInOnnxRuntime(string name)
    {
        (INetwork network, float[] rows, Standardizer? standardizer) = Perturbed(name);
        double worst = Compare(OnnxExport.ToBytes(network.Shape, network.Parameters, standardizer), network, rows, standardizer, Tolerance, floor: 1);
        double operators = Compare(OnnxExport.ToBytes(network.Shape, network.Parameters, standardizer, OnnxForm.Operators), network, rows, standardizer, OperatorsTolerance, floor: 1);
        output.WriteLine($"{name}: largest difference {worst:E2} of the row's scale (at least 1); plain operators {operators:E2}");
    }

    [Fact]
    public void ParametersOrAStandardizerThatDoNotFitAreRejected()
    {
        NetworkShape shape = TestShapes.Baked["seed"].Shape;
        var exception = Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(shape, new float[shape.ParameterCount - 1]));
        Assert.Equal("parameters", exception.ParamName);
        exception = Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(shape, new float[shape.ParameterCount], Standardizer.Fit(new float[6], 3)));
        Assert.Equal("inputStandardizer", exception.ParamName);
    }

    /// <summary>The trainable class of one of the bake tests' architectures with perturbed weights, 300 random raw rows, and a standardizer fitted on them (none for "raw inputs").</summary>
    private static (INetwork Network, float[] Rows, Standardizer? Standardizer) Perturbed(string name)
    {
        (NetworkShape shape, string unrolling) = TestShapes.Baked[name];
        string declaration = TestShapes.Declare(shape, "Trainable", unrolling.Length > 0 ? "Unrolling = " + unrolling : "");
        Assembly generated = GeneratorHarness.CompileAndLoad(GeneratorHarness.Run("using HiddenSpace;\n" + declaration).Output);
        var network = (INetwork)Activator.CreateInstance(generated.GetType("Trainable")!, 3)!;
        var random = new Random(4);
        for (int i = 0; i < network.Parameters.Length; i++) network.Parameters[i] += (float)(random.NextDouble() - 0.5) * 0.2f;
        float[] rows = [.. Enumerable.Range(0, 300 * shape.Inputs).Select(_ => (float)(random.NextDouble() * 6 - 2))];
        Standardizer? standardizer = name.Contains("raw", StringComparison.Ordinal) ? null : Standardizer.Fit(rows, shape.Inputs);
        return (network, rows, standardizer);
    }

    /// <summary>
    /// Runs every raw row through ONNX Runtime in one batch and through Forward one by one; returns the largest difference
    /// divided by the row's scale: its largest output magnitude, or <paramref name="floor"/> if that is larger.
    /// </summary>
    internal static double Compare(byte[] model, IForwardNetwork network, float[] rows, Standardizer? standardizer, double tolerance, double floor)
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
            double scale = Math.Max(Math.Max(expected.Max(Math.Abs), floor), float.Epsilon);
            for (int j = 0; j < outputs; j++)
            {
                double difference = Math.Abs(expected[j] - onnx[r * outputs + j]) / scale;
                worst = Math.Max(worst, difference);
                if (!(difference <= tolerance)) Assert.Fail($"row {r}[{j}]: Forward {expected[j]:R}, ONNX Runtime {onnx[r * outputs + j]:R}, {difference:E2} of the row's scale (tolerance {tolerance:E0})");
            }
        }
        return worst;
    }
}
