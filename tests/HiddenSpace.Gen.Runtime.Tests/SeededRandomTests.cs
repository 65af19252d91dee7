using System.Linq;
using Xunit;

namespace HiddenSpace.Tests;

public class SeededRandomTests
{
    [Fact]
    public void SameSeedGivesSameSequenceAndDifferentSeedsDiffer()
    {
        var a = new SeededRandom(42);
        var b = new SeededRandom(42);
        var c = new SeededRandom(43);
        ulong[] sa = Enumerable.Range(0, 100).Select(_ => a.NextUInt64()).ToArray();
        ulong[] sb = Enumerable.Range(0, 100).Select(_ => b.NextUInt64()).ToArray();
        ulong[] sc = Enumerable.Range(0, 100).Select(_ => c.NextUInt64()).ToArray();
        Assert.Equal(sa, sb);
        Assert.NotEqual(sa, sc);
    }

    [Fact]
    public void GaussianHasUnitMomentsAndIntsAreUniform()
    {
        var random = new SeededRandom(7);
        const int n = 200_000;
        double sum = 0, sumSquares = 0;
        for (int i = 0; i < n; i++)
        {
            double g = random.NextGaussian();
            sum += g;
            sumSquares += g * g;
        }
        Assert.InRange(sum / n, -0.01, 0.01);
        Assert.InRange(sumSquares / n, 0.98, 1.02);

        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[random.NextInt(7)]++;
        Assert.All(counts, count => Assert.InRange(count, 9_500, 10_500));
    }
}
