using System;
using System.Linq;
using HiddenSpace.Kernels;
using HiddenSpace.Tests.Numerics;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Generated;

/// <summary>Networks declared in this project (generated at build time) against the reference; see <see cref="ReferenceComparison"/>.</summary>
public class GeneratedVersusReferenceTests(ITestOutputHelper output)
{
    [Fact]
    public void SeedNetMatchesReference() => CompareWithReference(new SeedNet(seed: 5), seed: 5);

    [Fact]
    public void LoopedDigitsNetMatchesReference() => CompareWithReference(new DigitsNet(seed: 6), seed: 6);

    [Fact]
    public void MixedUnrolledAndLoopedNetMatchesReference() => CompareWithReference(new MixedNet(seed: 7), seed: 7);

    [Fact]
    public void TableNetMatchesReference() => CompareWithReference(new TableNet(seed: 9), seed: 9);

    [Fact]
    public void LoopThresholdNetMatchesReference() => CompareWithReference(new ThresholdNet(seed: 10), seed: 10);

    [Fact]
    public void NestedNetMatchesReference() => CompareWithReference(new Outer.NestedNet(seed: 8), seed: 8);

    [Fact]
    public void GeneratedConstantsDescribeTheDeclaration()
    {
        Assert.Equal(2, SeedNet.InputCount);
        Assert.Equal(1, SeedNet.OutputCount);
        Assert.Equal(2 * 16 + 16 + 16 * 16 + 16 + 16 * 2 + 2 + 2 * 1 + 1, SeedNet.ParameterCount);
        Assert.Equal("2-16-16-2-1", SeedNet.Architecture.Widths());
        Assert.Equal(784 * 128 + 128 + 128 * 10 + 10, DigitsNet.ParameterCount);
        Assert.Equal(["Bottleneck"], SeedNet.Architecture.Taps.Select(t => t.Name));
        Assert.Equal(["Linear", "Last"], MixedNet.Architecture.Taps.Select(t => t.Name));
        Assert.Equal(1, MixedNet.Architecture.TapIndex("Last"));
        Assert.Equal(-1, MixedNet.Architecture.TapIndex("Bottleneck"));
    }

    [Fact]
    public void NamedTapPropertyIsTheTapByIndex()
    {
        var net = new SeedNet(seed: 1);
        var outputValues = new float[1];
        net.Forward([0.3f, -0.7f], outputValues);
        Assert.Equal(net.TapActivations(0).ToArray(), net.Bottleneck.ToArray());
        Assert.Equal(2, net.Bottleneck.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => net.TapActivations(1));
    }

    [Theory]
    [InlineData("seed")] // lane form: whole passes, then rows one at a time
    [InlineData("digits")] // matrix form, a tap on a looped layer
    [InlineData("mixed")] // matrix form, two taps
    [InlineData("reference")] // the interface's default: one row at a time
    public void ForwardBatchWritesEachRowsTapAsForwardThenTapActivationsDo(string name)
    {
        INetwork network = name switch
        {
            "seed" => new SeedNet(seed: 3),
            "digits" => new DigitsNet(seed: 3),
            "mixed" => new MixedNet(seed: 3),
            _ => new ReferenceNetwork(MixedNet.Architecture, seed: 3),
        };
        NetworkShape shape = network.Shape;
        var random = new SeededRandom(17);
        foreach (int rows in new[] { 3, 2 * LaneKernels.RowsPerPass + 3, 2 * MatrixKernels.RowsPerPass + 22 })
        {
            float[] inputs = [.. Enumerable.Range(0, rows * shape.Inputs).Select(_ => (float)random.NextGaussian())];
            var plain = new float[rows * shape.Outputs];
            network.ForwardBatch(inputs, plain);
            for (int tap = 0; tap < shape.Taps.Count; tap++)
            {
                int width = shape.Taps[tap].Width;
                float[] outputs = new float[rows * shape.Outputs], taps = [.. Enumerable.Repeat(float.NaN, rows * width)];
                network.ForwardBatch(inputs, outputs, tap, taps);
                Assert.Equal(plain, outputs); // the same batch path, bit for bit
                var output = new float[shape.Outputs];
                for (int row = 0; row < rows; row++)
                {
                    network.Forward(inputs.AsSpan(row * shape.Inputs, shape.Inputs), output);
                    float[] expected = network.TapActivations(tap).ToArray();
                    for (int u = 0; u < width; u++)
                        Assert.True(Math.Abs(taps[row * width + u] - expected[u]) <= 1e-5 * Math.Max(1, Math.Abs(expected[u])),
                            $"{name}, {rows} rows, tap {tap}, row {row}, unit {u}: {taps[row * width + u]} vs {expected[u]}");
                }
            }
        }
        var wrongLength = Assert.Throws<ArgumentException>(() => network.ForwardBatch(new float[2 * shape.Inputs], new float[2 * shape.Outputs], 0, new float[1]));
        Assert.Equal("taps", wrongLength.ParamName);
        Assert.Equal("tapIndex", Assert.Throws<ArgumentOutOfRangeException>(
            () => network.ForwardBatch(new float[shape.Inputs], new float[shape.Outputs], shape.Taps.Count, new float[1])).ParamName);
    }

    private void CompareWithReference(INetwork generated, int seed) => output.WriteLine(ReferenceComparison.Compare(generated, seed));
}
