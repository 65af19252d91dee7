using Xunit;

namespace HiddenSpace.Tests.Experiments;

/// <summary>The sweep's per-run count and its median and range, on hand-made values.</summary>
public class SweepSummaryTests
{
    [Fact]
    public void SpreadIsTheMedianAndRangeOfTheFiniteValues()
    {
        Assert.Equal(new Spread(2, 1, 3, 3), Spread.Of([3, 1, 2]));
        Assert.Equal(new Spread(2.5, 1, 4, 4), Spread.Of([4, 1, 3, 2]));
        Assert.Equal(new Spread(1, 1, 1, 1), Spread.Of([double.NaN, 1, double.PositiveInfinity]));
        Spread none = Spread.Of([double.NaN]);
        Assert.Equal(0, none.Count);
        Assert.True(double.IsNaN(none.Median) && double.IsNaN(none.Min) && double.IsNaN(none.Max));
    }

    [Fact]
    public void TwoClassesCountThePairAndMoreClassesTheWorstPair()
    {
        // XOR corners: one of four must go.
        SeparabilityCount xor = SeparabilityCount.Of(Separability.Analyze([0, 0, 1, 1, 1, 0, 0, 1], 2, [0, 0, 1, 1], 2));
        Assert.Equal(new SeparabilityCount(false, 1, 4, true, "separable except 1 of 4 (25.0 %)"), xor);
        Assert.Equal(0.25, xor.WrongShare);

        // Classes 0 and 1 interleave on a line (one of 4 must go), class 2 lies far away, so 0 vs 2 and 1 vs 2 separate.
        float[] points = [0, 0, 2, 0, 1, 0, 3, 0, 10, 10, 11, 10];
        int[] labels = [0, 0, 1, 1, 2, 2];
        SeparabilityReport report = Separability.Analyze(points, 2, labels, 3);
        SeparabilityCount three = SeparabilityCount.Of(report);
        Assert.Equal(report.Pair(0, 1).FewestWrong, three.Wrong);
        Assert.Equal(1, three.Wrong);
        Assert.Equal(4, three.Rows);
        Assert.False(three.Separable);
        Assert.Equal(HiddenSpaceClaim.Verdict(report), three.Verdict);

        // Every pair separable: nothing on the wrong side, out of all rows.
        SeparabilityCount apart = SeparabilityCount.Of(Separability.Analyze([0, 0, 5, 0, 10, 0], 2, [0, 1, 2], 3));
        Assert.Equal(0, apart.Wrong);
        Assert.Equal(3, apart.Rows);
    }
}
