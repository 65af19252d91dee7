using System;
using System.Collections.Generic;
using System.IO;
using HiddenSpace.Compiler;
using HiddenSpace.Tests.Generated;
using HiddenSpace.Tests.Generator;
using Xunit;

namespace HiddenSpace.Tests.Baking;

/// <summary>
/// The loop closed: the seed network is trained here, its weights file must be the committed one that the build baked
/// into <see cref="BakedMoonsNet"/>, and on every row of the held-out split the baked class, and the standalone file
/// <c>hiddenspace export</c> writes from it (compiled as C# 9 for netstandard2.0 and for net10.0), give the trained
/// network's bits and its predicted class.
/// </summary>
public class BakedMoonsTests
{
    /// <summary>Set to 1 to write the freshly trained weights over the committed file (then rebuild: the build bakes it).</summary>
    public const string WriteVariable = "HSG_WRITE_BAKED_WEIGHTS";

    /// <summary>The trained network, the raw held-out rows, and the weights file's text.</summary>
    internal sealed record Trained(SeedNet Network, Dataset Test, Standardizer Standardizer, string Text);

    /// <summary>
    /// Trains the seed network on standardised moons. One row per step: the per-sample code runs the same operations
    /// on every x64 and ARM64 machine, where the batch path's lane width (16, 8 or 4) would change the sums.
    /// </summary>
    internal static Trained Train()
    {
        (Dataset train, Dataset test) = Datasets.Moons(1000, noise: 0.1, seed: 0).StratifiedSplit(0.3, seed: 0);
        Standardizer standardizer = Standardizer.Fit(train);
        var network = new SeedNet(seed: 0);
        TrainingHistory history = Trainer.Train(network, standardizer.Apply(train), standardizer.Apply(test),
            new TrainingOptions(Epochs: 20, BatchSize: 1, new OptimizerSettings(OptimizerKind.Adam, LearningRate: 0.005f)));
        Assert.True(history.Epochs[^1].TestAccuracy >= 0.97, $"test accuracy {history.Epochs[^1].TestAccuracy}");
        string text = WeightsFile.ToText(network, new WeightsMetadata { FeatureNames = train.FeatureNames, InputStandardizer = standardizer });
        return new Trained(network, test, standardizer, text);
    }

    [Fact]
    public void TheBakedClassIsTheNetworkTrainedHereBitForBit()
    {
        Trained trained = Train();
        if (Environment.GetEnvironmentVariable(WriteVariable) == "1") File.WriteAllText(BakedMoonsNet.CommittedPath, trained.Text);
        string committed = File.ReadAllText(BakedMoonsNet.CommittedPath).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(committed == trained.Text,
            $"{BakedMoonsNet.CommittedPath} is not the weights this test trains (another .NET version or a changed trainer?). Set {WriteVariable}=1, run this test, rebuild, run it again.");
        Assert.Equal(BakedMoonsNet.WeightsSha256, WeightsFile.ReadText(BakedMoonsNet.CommittedPath).Sha256);

        var baked = new BakedMoonsNet();
        string exported = NetworkExport.CSharp(BakedMoonsNet.CommittedPath, "MoonsClassifier", "Exported.Models");
        var standalone = new List<(StandaloneTarget Target, Action<float[], float[]> Forward, Func<float[], int> Predict)>();
        foreach (StandaloneTarget target in Enum.GetValues<StandaloneTarget>())
        {
            Type type = StandaloneBuild.CompileAndLoad(exported, target).GetType("Exported.Models.MoonsClassifier")!;
            object instance = Activator.CreateInstance(type)!;
            standalone.Add((target, type.GetMethod("Forward", [typeof(float[]), typeof(float[])])!.CreateDelegate<Action<float[], float[]>>(instance),
                type.GetMethod("Predict")!.CreateDelegate<Func<float[], int>>(instance)));
            Assert.Equal(BakedMoonsNet.ClassNames, (IReadOnlyList<string>)type.GetProperty("ClassNames")!.GetValue(null)!);
        }
        var x = new float[2];
        var expected = new float[1];
        var actual = new float[1];
        for (int r = 0; r < trained.Test.Count; r++)
        {
            ReadOnlySpan<float> raw = trained.Test.Row(r);
            trained.Standardizer.Apply(raw, x);
            trained.Network.Forward(x, expected);
            float[] bottleneck = trained.Network.Bottleneck.ToArray();
            baked.Forward(raw, actual);
            Assert.True(BitConverter.SingleToInt32Bits(expected[0]) == BitConverter.SingleToInt32Bits(actual[0]), $"row {r}: trained {expected[0]:R}, baked {actual[0]:R}");
            Assert.Equal(bottleneck, baked.Bottleneck.ToArray());
            Assert.Equal(Metrics.PredictedClass(expected), baked.Predict(raw));
            foreach ((StandaloneTarget target, Action<float[], float[]> forward, Func<float[], int> predict) in standalone)
            {
                forward(raw.ToArray(), actual);
                Assert.True(BitConverter.SingleToInt32Bits(expected[0]) == BitConverter.SingleToInt32Bits(actual[0]), $"row {r}: trained {expected[0]:R}, standalone for {target} {actual[0]:R}");
                Assert.Equal(Metrics.PredictedClass(expected), predict(raw.ToArray()));
            }
        }
        Assert.Equal(["x0", "x1"], BakedMoonsNet.FeatureNames);
        Assert.Equal(["0", "1"], BakedMoonsNet.ClassNames);
    }
}
