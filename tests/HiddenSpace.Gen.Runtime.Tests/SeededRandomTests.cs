using System;
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
    public void SequencesAreThoseOfSplitMix64SeededXoshiro256StarStar()
    {
        // Expected values from an independent implementation of the published algorithms (Python, arbitrary-precision
        // integers): SplitMix64 seeding, xoshiro256**, Lemire's bounded integers, Fisher–Yates from the last index down.
        var random = new SeededRandom(42);
        Assert.Equal([0x15780b2e0c2ec716UL, 0x6104d9866d113a7eUL, 0xae17533239e499a1UL], [random.NextUInt64(), random.NextUInt64(), random.NextUInt64()]);
        random.Reset(7);
        Assert.Equal([700, 278, 839, 981, 990, 872, 60, 104], Enumerable.Range(0, 8).Select(_ => random.NextInt(1000)));
        int[] items = [.. Enumerable.Range(0, 12)];
        random.Reset(5);
        random.Shuffle<int>(items);
        Assert.Equal([0, 2, 9, 1, 8, 11, 5, 4, 7, 10, 6, 3], items);
    }

    [Fact]
    public void ResetStartsTheSequenceOfANewGeneratorAndShuffleContinuesIt()
    {
        var used = new SeededRandom(3);
        used.NextGaussian(); // leaves a spare Gaussian, which Reset drops
        used.Shuffle<int>(new int[50]);
        used.Reset(11);
        var fresh = new SeededRandom(11);
        Assert.Equal(fresh.NextGaussian(), used.NextGaussian());
        used.Shuffle<int>(new int[20]);
        for (int i = 19; i > 0; i--) fresh.NextInt(i + 1);
        Assert.Equal(fresh.NextUInt64(), used.NextUInt64());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(4_099)]
    public void PermuteIsTheIdentityShuffled(int length)
    {
        var permuted = new int[length + 1];
        permuted[length] = -1; // past the span: must stay
        var random = new SeededRandom(length);
        random.Permute(permuted.AsSpan(0, length));
        int[] expected = [.. Enumerable.Range(0, length), -1];
        random.Reset(length);
        random.Shuffle(expected.AsSpan(0, length));
        Assert.Equal(expected, permuted);
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
