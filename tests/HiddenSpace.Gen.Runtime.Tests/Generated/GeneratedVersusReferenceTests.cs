using System;
using System.Linq;
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

    private void CompareWithReference(INetwork generated, int seed) => output.WriteLine(ReferenceComparison.Compare(generated, seed));
}
