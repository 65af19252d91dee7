using System;
using System.Linq;
using Xunit;

namespace HiddenSpace.Tests.Generator;

/// <summary>
/// Where the lane form writes a block's products as a loop over the inputs (a fan-in of 8 or more) and where it writes
/// them out (fewer), at every width; tests/Shared/Networks/TestNetworks.cs compiles the same network, ThresholdNet,
/// whose batch path GeneratedVersusReferenceTests checks against the reference at every width.
/// </summary>
public class LaneLoopTests
{
    private const string Declaration = """
        using HiddenSpace;
        namespace Loops;

        [Network(Inputs = 7, Loss = Loss.BinaryCrossEntropy)]
        [Dense(9, Activation.Tanh)]
        [Dense(8, Activation.ReLU, Tap = "Hidden")]
        [Dense(1, Activation.Sigmoid)]
        public partial class ThresholdNet { }
        """;

    [Theory]
    [InlineData("512")]
    [InlineData("256")]
    [InlineData("128")]
    public void ProductsLoopFromAFanInOfEight(string width)
    {
        (_, _, var result) = GeneratorHarness.Run(Declaration);
        string source = result.Results.Single().GeneratedSources.Single().SourceText.ToString();

        // 7 inputs: written out, no loop in either direction.
        Assert.DoesNotContain("for (", Method(source, $"ForwardLayer1Lanes{width}"));
        Assert.DoesNotContain("for (", Method(source, $"BackwardLayer1Lanes{width}"));
        // 9 inputs: the forward products loop over them; backward, the per-lane weight gradients loop over the 9
        // inputs and d1 = W2ᵀ·dz2 over the 8 units.
        Assert.Contains("for (int i = 0; i < 9; i++)", Method(source, $"ForwardLayer2Lanes{width}"));
        string backward2 = Method(source, $"BackwardLayer2Lanes{width}");
        Assert.Contains("for (int i = 0; i < 9; i++)", backward2);
        Assert.Contains("for (int o = 0; o < 8; o++)", backward2);
        Assert.Contains("Create(w[o * 9 + 1])", backward2);
        // 8 inputs into one unit: 2 chains (one a group) would wait on the FMA latency, so 2 partial sums each (every
        // width's register budget allows 2 here, each chain 4 inputs long), written out; its d2 sums over the one unit.
        string forward3 = Method(source, $"ForwardLayer3Lanes{width}");
        Assert.DoesNotContain("for (", forward3);
        Assert.Contains("unit 0, 2 partial sums each (input i into sum i mod 2)", forward3);
        Assert.Contains("s0A_1 = ", forward3);
        Assert.DoesNotContain("for (int o", Method(source, $"BackwardLayer3Lanes{width}"));
        // The scalar (per-sample) form stays written out.
        Assert.DoesNotContain("for (", Method(source, "ForwardLayer2"));
    }

    /// <summary>The text of the generated method from its signature to the next layer's section comment.</summary>
    private static string Method(string source, string name)
    {
        int start = source.IndexOf($"private static void {name}(", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no method {name}");
        int end = source.IndexOf("// ----", start, StringComparison.Ordinal);
        return end < 0 ? source[start..] : source[start..end];
    }
}
