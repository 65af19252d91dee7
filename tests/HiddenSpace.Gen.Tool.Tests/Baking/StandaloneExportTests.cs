using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Intrinsics;
using HiddenSpace.Compiler;
using HiddenSpace.Kernels;
using HiddenSpace.Tests.Generator;
using Xunit;

namespace HiddenSpace.Tests.Baking;

/// <summary>
/// The standalone file's written-out arithmetic against the runtime's, bit for bit on both targets (the emulated FMA on
/// netstandard2.0 included), and whole networks against the generated class.
/// </summary>
public sealed class StandaloneExportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hiddenspace-export-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Export(NetworkShape shape, WeightsMetadata? metadata, out ReferenceNetwork reference, int seed = 3)
    {
        reference = new ReferenceNetwork(shape, seed);
        var random = new Random(seed);
        for (int i = 0; i < reference.Parameters.Length; i++) reference.Parameters[i] += (float)(random.NextDouble() - 0.5) * 0.2f;
        string path = Path.Combine(_directory, "net.weights.json");
        WeightsFile.SaveText(path, reference, metadata);
        return NetworkExport.CSharp(path, "Exported", "Standalone.Test");
    }

    /// <summary>Every 4,096th float bit pattern (a million values over the whole range, NaNs and infinities included) and some exact ones.</summary>
    private static float[] Sweep() =>
    [
        .. Enumerable.Range(0, 1 << 20).Select(i => BitConverter.Int32BitsToSingle(i << 12)),
        0f, -0f, 1f, -1f, 8f, -8f, 8.000001f, -8.000001f, 88.72284f, 89f, 89.00001f, -103.97208f, -104f, -104.00001f, float.Epsilon, -float.Epsilon,
    ];

    [Theory]
    [InlineData(StandaloneTarget.NetStandard20)]
    [InlineData(StandaloneTarget.Net100)]
    public void WrittenOutKernelsGiveTheRuntimesBits(StandaloneTarget target)
    {
        var shape = new NetworkShape(1, Loss.MeanSquaredError, new LayerShape(1, Activation.Tanh));
        Type exported = StandaloneBuild.CompileAndLoad(Export(shape, null, out _), target).GetType("Standalone.Test.Exported")!;
        float[] sweep = Sweep();
        (string Name, Func<float, float> Runtime)[] functions =
        [
            ("Tanh", ActivationKernels.Tanh), ("Sigmoid", ActivationKernels.Sigmoid), ("Softplus", ActivationKernels.Softplus),
            ("ReLU", ActivationKernels.ReLU), ("LeakyReLU", ActivationKernels.LeakyReLU), ("GELU", ActivationKernels.GELU), ("ELU", ActivationKernels.ELU),
            ("Exp", x => Lane128.Exp(Vector128.Create(x)).ToScalar()), ("Log", x => Lane128.LogAtLeastOne(Vector128.Create(x)).ToScalar()),
        ];
        foreach ((string name, Func<float, float> runtime) in functions)
        {
            var written = StandaloneBuild.Kernel<Func<float, float>>(exported, name);
            foreach (float x in sweep)
            {
                float expected = runtime(x), actual = written(x);
                if (!SameBits(expected, actual)) Assert.Fail($"{name}({x:R}) on {target}: runtime {expected:R}, written out {actual:R}");
            }
        }

        // The FMA: random operands of every magnitude, and sums that cancel, against the instruction.
        var fma = StandaloneBuild.Kernel<Func<float, float, float, float>>(exported, "Fma");
        var random = new Random(11);
        float Any() => BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31));
        for (int i = 0; i < 1_000_000; i++)
        {
            float a = Any(), b = i % 2 == 0 ? Any() : (float)(random.NextDouble() * 4 - 2);
            float c = i % 3 == 0 ? -(a * b) * (1 + (float)random.NextDouble() * 1e-6f) : Any();
            float expected = MathF.FusedMultiplyAdd(a, b, c), actual = fma(a, b, c);
            if (!SameBits(expected, actual)) Assert.Fail($"Fma({a:R}, {b:R}, {c:R}) on {target}: instruction {expected:R}, written out {actual:R}");
        }
    }

    /// <summary>The same float, or both NaN (whose payload the vector and scalar paths need not agree on).</summary>
    private static bool SameBits(float expected, float actual) =>
        BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual) || (float.IsNaN(expected) && float.IsNaN(actual));

    public static TheoryData<string, StandaloneTarget> Networks() => new()
    {
        { "seed", StandaloneTarget.NetStandard20 }, { "every activation", StandaloneTarget.NetStandard20 }, { "every activation", StandaloneTarget.Net100 },
        { "softmax", StandaloneTarget.Net100 }, { "softmax", StandaloneTarget.NetStandard20 }, { "looped", StandaloneTarget.Net100 },
        { "regression, raw inputs", StandaloneTarget.NetStandard20 },
    };

    /// <summary>
    /// Against the generated class of the same declaration with the same weights: the same bits for unrolled layers;
    /// within float rounding where the file documents why not (a looped layer's sum order, softmax's Math.Exp on netstandard2.0).
    /// </summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void ExportedNetworksComputeWhatTheGeneratedClassComputes(string name, StandaloneTarget target)
    {
        NetworkShape shape = TestShapes.Baked[name].Shape;
        var random = new Random(5);
        float[] rows = [.. Enumerable.Range(0, 200 * shape.Inputs).Select(_ => (float)(random.NextDouble() * 6 - 2))];
        Standardizer? standardizer = name.Contains("raw", StringComparison.Ordinal) ? null : Standardizer.Fit(rows, shape.Inputs);
        string source = Export(shape, new WeightsMetadata { InputStandardizer = standardizer }, out ReferenceNetwork reference);
        Type type = StandaloneBuild.CompileAndLoad(source, target).GetType("Standalone.Test.Exported")!;
        object exported = Activator.CreateInstance(type)!;
        var forward = type.GetMethod("Forward", [typeof(float[])])!.CreateDelegate<Func<float[], float[]>>(exported);

        Assembly generated = GeneratorHarness.CompileAndLoad(GeneratorHarness.Run("using HiddenSpace;\n" + shape.ToDeclaration("Trainable")).Output);
        var trainable = (INetwork)Activator.CreateInstance(generated.GetType("Trainable")!, 0)!;
        reference.Parameters.CopyTo(trainable.Parameters);
        bool exact = shape.Layers.All(l => l.Activation != Activation.Softmax || target == StandaloneTarget.Net100)
                     && Enumerable.Range(0, shape.Layers.Count).All(l => shape.Layers[l].Units * shape.FanIn(l) <= NetworkAttribute.DefaultUnrollLimit);
        var x = new float[shape.Inputs];
        var expected = new float[shape.Outputs];
        for (int r = 0; r < rows.Length / shape.Inputs; r++)
        {
            float[] raw = rows.AsSpan(r * shape.Inputs, shape.Inputs).ToArray();
            if (standardizer is not null) standardizer.Apply(raw, x);
            else raw.CopyTo(x, 0);
            trainable.Forward(x, expected);
            float[] actual = forward(raw);
            for (int j = 0; j < expected.Length; j++)
            {
                bool agree = exact ? SameBits(expected[j], actual[j]) : Math.Abs(expected[j] - actual[j]) <= 1e-6 * Math.Max(1, Math.Abs(expected[j]));
                if (!agree) Assert.Fail($"{name} on {target}, row {r}[{j}]: generated {expected[j]:R}, exported {actual[j]:R}");
            }
        }
    }

    [Fact]
    public void BadNamesAndFilesAreRefusedWithTheReason()
    {
        var shape = new NetworkShape(2, Loss.BinaryCrossEntropy, new LayerShape(2, Activation.Tanh, "Predict"), new LayerShape(1, Activation.Sigmoid));
        var collision = Assert.Throws<InvalidDataException>(() => Export(shape, null, out _));
        Assert.EndsWith("net.weights.json': the tap \"Predict\" would collide with a member of the class; the standalone class names its taps after them.", collision.Message);
        string path = Path.Combine(_directory, "net.weights.json");
        Assert.Throws<ArgumentException>(() => NetworkExport.CSharp(path, "class"));
        Assert.Throws<ArgumentException>(() => NetworkExport.CSharp(path, "Fine", "Not a namespace"));
        File.WriteAllText(path, "{}");
        var damaged = Assert.Throws<InvalidDataException>(() => NetworkExport.CSharp(path, "Fine"));
        Assert.EndsWith("its \"format\" is missing, not \"hiddenspace-weights\": it is not a HiddenSpace weights file.", damaged.Message);
    }
}
