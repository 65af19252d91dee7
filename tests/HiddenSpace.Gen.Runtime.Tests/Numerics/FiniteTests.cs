using System;
using HiddenSpace.Kernels;
using Xunit;

namespace HiddenSpace.Tests.Numerics;

public class FiniteTests
{
    // Lengths around every vector width (4, 8, 16 floats) and their multiples, so each index sits once in a full
    // vector and once in the scalar tail.
    public static TheoryData<int> Lengths => [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 64, 65, 100];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AFiniteBufferIsFinite(int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (i % 3 - 1) * float.MaxValue / (i + 1);
        Assert.True(Finite.All(values));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ANonFiniteValueAtAnyIndexIsFound(int length)
    {
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            for (int index = 0; index < length; index++)
            {
                var values = new float[length];
                Array.Fill(values, 1.5f);
                values[index] = bad;
                Assert.False(Finite.All(values), $"{bad} at index {index} of {length} was not found");
            }
        }
    }
}
