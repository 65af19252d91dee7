using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;

namespace HiddenSpace.Tests.Generator;

/// <summary>
/// Baked networks against the trainable class the same generator writes for the same declaration, compiled together:
/// with the same weights, the baked class on raw rows gives the bits the trainable class gives on the standardised rows
/// (outputs, taps, ForwardBatch and Predict), for every activation, loss and code form.
/// </summary>
public class BakedNetworkTests
{
    public static TheoryData<string> Names() => [.. TestShapes.Baked.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void BakedEqualsTrainableBitForBit(string name)
    {
        (NetworkShape architecture, string unrolling) = TestShapes.Baked[name];
        string unrollingArgument = unrolling.Length > 0 ? "Unrolling = " + unrolling : "";
        bool predicts = architecture.Loss != Loss.MeanSquaredError || architecture.Outputs == 1; // a regression network with several outputs has no Predict
        string source = $$"""
            using HiddenSpace;
            namespace Baking
            {
            {{TestShapes.Declare(architecture, "Baked", string.Join(", ", new[] { unrollingArgument, "Weights = \"weights/net.weights.json\"" }.Where(a => a.Length > 0)))}}
            {{TestShapes.Declare(architecture, "Trainable", unrollingArgument)}}
                public static class Probe { public static double Predict(object network, float[] input) => {{(predicts ? "((Baked)network).Predict(input)" : "double.NaN")}}; }
            }
            """;

        var random = new Random(name.Length);
        var reference = new ReferenceNetwork(architecture, seed: 7);
        for (int i = 0; i < reference.Parameters.Length; i++) reference.Parameters[i] += (float)(random.NextDouble() - 0.5) * 0.2f; // biases too
        bool standardize = !name.Contains("raw", StringComparison.Ordinal);
        float[] rows = Enumerable.Range(0, 64 * architecture.Inputs).Select(_ => (float)(random.NextDouble() * 6 - 2)).ToArray();
        Standardizer? standardizer = standardize ? Standardizer.Fit(rows, architecture.Inputs) : null;
        var metadata = new WeightsMetadata { InputStandardizer = standardizer, TargetScale = architecture.Loss == Loss.MeanSquaredError ? new TargetScale(3.25, 0.5) : null };
        string weights = WeightsFile.ToText(reference, metadata);

        (var diagnostics, Compilation output, _) = GeneratorHarness.Run([source], [new GeneratorHarness.InMemoryFile("/project/weights/net.weights.json", weights)]);
        Assert.Empty(diagnostics.Where(d => d.Severity > DiagnosticSeverity.Info));
        Assembly assembly = GeneratorHarness.CompileAndLoad(output);
        var trainable = (INetwork)Activator.CreateInstance(assembly.GetType("Baking.Trainable")!, 0)!;
        reference.Parameters.CopyTo(trainable.Parameters);
        object bakedObject = Activator.CreateInstance(assembly.GetType("Baking.Baked")!)!;
        var baked = Assert.IsAssignableFrom<IForwardNetwork>(bakedObject);
        Assert.False(bakedObject is INetwork, "a baked network has no gradients");
        var predict = assembly.GetType("Baking.Probe")!.GetMethod("Predict")!.CreateDelegate<Func<object, float[], double>>();

        int inputs = architecture.Inputs, outputs = architecture.Outputs;
        var x = new float[inputs];
        var expected = new float[outputs];
        var actual = new float[outputs];
        float[] all = [.. rows, .. Enumerable.Repeat(0f, inputs), .. Enumerable.Repeat(1e4f, inputs), .. Enumerable.Repeat(-3e-3f, inputs)];
        int count = all.Length / inputs;
        var batch = new float[count * outputs];
        baked.ForwardBatch(all, batch);
        for (int r = 0; r < count; r++)
        {
            float[] raw = all.AsSpan(r * inputs, inputs).ToArray();
            if (standardizer is not null) standardizer.Apply(raw, x);
            else raw.CopyTo(x, 0);
            trainable.Forward(x, expected);
            baked.Forward(raw, actual);
            AssertBits(expected, actual, $"{name}, row {r}, outputs");
            AssertBits(expected, batch.AsSpan(r * outputs, outputs).ToArray(), $"{name}, row {r}, ForwardBatch");
            for (int t = 0; t < architecture.Taps.Count; t++)
                AssertBits(trainable.TapActivations(t).ToArray(), baked.TapActivations(t).ToArray(), $"{name}, row {r}, tap {t}");
            double prediction = predict(bakedObject, raw);
            if (architecture.Loss == Loss.MeanSquaredError && outputs == 1) Assert.Equal(expected[0], (float)prediction);
            else if (architecture.Loss != Loss.MeanSquaredError) Assert.Equal(Metrics.PredictedClass(expected), (int)prediction);
        }
    }

    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}[{i}]: trainable {expected[i]:R}, baked {actual[i]:R}");
    }
}
