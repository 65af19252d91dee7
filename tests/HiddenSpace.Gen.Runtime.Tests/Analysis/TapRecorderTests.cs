using System;
using System.Linq;
using Xunit;

namespace HiddenSpace.Tests.Analysis;

public class TapRecorderTests
{
    /// <summary>
    /// 2 inputs → tap "Hidden" = (x0, x1, x0 + x1) → tap "Bottleneck" = (x0·x1) → sigmoid output.
    /// The tap spans point into one reused scratch buffer, as in a real network.
    /// </summary>
    private sealed class FakeNetwork : INetwork
    {
        private readonly float[] _hidden = new float[3];
        private readonly float[] _bottleneck = new float[1];

        public NetworkShape Shape { get; } = new(2, Loss.BinaryCrossEntropy,
            new LayerShape(3, Activation.Linear, "Hidden"),
            new LayerShape(1, Activation.Linear, "Bottleneck"),
            new LayerShape(1, Activation.Sigmoid));

        public int ForwardCalls { get; private set; }

        public Span<float> Parameters => throw new NotSupportedException();

        public Span<float> Gradients => throw new NotSupportedException();

        public void Forward(ReadOnlySpan<float> input, Span<float> output)
        {
            Assert.Equal(2, input.Length);
            Assert.Equal(1, output.Length);
            ForwardCalls++;
            _hidden[0] = input[0];
            _hidden[1] = input[1];
            _hidden[2] = input[0] + input[1];
            _bottleneck[0] = input[0] * input[1];
            output[0] = 1 / (1 + MathF.Exp(-_bottleneck[0]));
        }

        public float AccumulateGradients(ReadOnlySpan<float> input, ReadOnlySpan<float> target) => throw new NotSupportedException();

        public void ForwardBatch(ReadOnlySpan<float> inputs, Span<float> outputs) => throw new NotSupportedException();

        public float AccumulateBatchGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> outputs = default) => throw new NotSupportedException();

        public INetwork CreateWorker() => throw new NotSupportedException();

        public ReadOnlySpan<float> TapActivations(int tapIndex) => tapIndex switch
        {
            0 => _hidden,
            1 => _bottleneck,
            _ => throw new ArgumentOutOfRangeException(nameof(tapIndex)),
        };
    }

    [Fact]
    public void CollectCopiesTheTapOfEveryRow()
    {
        Dataset data = Datasets.Moons(25, 0.1, seed: 1);
        var network = new FakeNetwork();
        float[] hidden = TapRecorder.Collect(network, data, 0);
        Assert.Equal(25, network.ForwardCalls);
        Assert.Equal(25 * 3, hidden.Length);
        for (int i = 0; i < data.Count; i++)
        {
            float x0 = data.Row(i)[0], x1 = data.Row(i)[1];
            Assert.Equal(new[] { x0, x1, x0 + x1 }, hidden.AsSpan(i * 3, 3).ToArray());
        }
        float[] bottleneck = TapRecorder.Collect(network, data, 1);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => data.Row(i)[0] * data.Row(i)[1]), bottleneck);
    }

    [Fact]
    public void AsDatasetKeepsLabelsOrTargetsAndNamesTheUnits()
    {
        Dataset moons = Datasets.Moons(40, 0.1, seed: 2);
        Dataset hidden = TapRecorder.AsDataset(new FakeNetwork(), moons, 0);
        Assert.Equal(new[] { "Hidden[0]", "Hidden[1]", "Hidden[2]" }, hidden.FeatureNames);
        Assert.Equal("moons.Hidden", hidden.Name);
        Assert.Equal(moons.Labels.ToArray(), hidden.Labels.ToArray());
        Assert.Equal(2, hidden.ClassCount);
        Assert.Equal(moons.Row(5).ToArray(), hidden.Row(5)[..2].ToArray());

        Dataset ridge = Datasets.SineRidge(30, seed: 3);
        Dataset bottleneck = TapRecorder.AsDataset(new FakeNetwork(), ridge, 1);
        Assert.Equal(TaskKind.Regression, bottleneck.Task);
        Assert.Equal(ridge.Values.ToArray(), bottleneck.Values.ToArray());
        Assert.Equal(new[] { "Bottleneck[0]" }, bottleneck.FeatureNames);
    }

    [Fact]
    public void InvalidTapsAndInputWidthsAreRejected()
    {
        var network = new FakeNetwork();
        Dataset moons = Datasets.Moons(10);
        foreach (int tap in new[] { -1, 2 })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => TapRecorder.Collect(network, moons, tap));
            Assert.Equal("tapIndex", error.ParamName);
            Assert.Contains("0..1", error.Message);
        }
        var width = Assert.Throws<ArgumentException>(() => TapRecorder.Collect(network, Datasets.Blobs(10, features: 3), 0));
        Assert.Equal("data", width.ParamName);
        Assert.Contains("takes 2 inputs", width.Message);
        Assert.Equal(0, network.ForwardCalls);
    }
}
