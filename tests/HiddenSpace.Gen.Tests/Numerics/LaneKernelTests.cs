using System;
using System.Linq;
using System.Numerics;
using HiddenSpace.Kernels;
using Xunit;

namespace HiddenSpace.Tests.Numerics;

public class LaneKernelTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(5)]
    public void ReduceAndClearAddsEachVectorsLaneSumAndZeroesTheBuffer(int count)
    {
        var random = new SeededRandom(count);
        var lanes = new Vector<float>[count];
        var expected = new double[count];
        var destination = new float[count];
        for (int k = 0; k < count; k++)
        {
            float[] values = Enumerable.Range(0, Vector<float>.Count).Select(_ => (float)random.NextGaussian()).ToArray();
            lanes[k] = new Vector<float>(values);
            destination[k] = k;
            expected[k] = k + values.Sum(v => (double)v);
        }
        LaneKernels.ReduceAndClear(lanes, destination);
        for (int k = 0; k < count; k++)
            Assert.True(Math.Abs(destination[k] - expected[k]) < 1e-5, $"[{k}] {destination[k]} vs {expected[k]}");
        Assert.All(lanes, v => Assert.Equal(Vector<float>.Zero, v));
    }

    [Fact]
    public void TransposePutsRowRIntoLaneR()
    {
        const int Width = 3;
        float[] rows = Enumerable.Range(0, LaneKernels.Lanes * Width).Select(i => (float)i).ToArray();
        var lanes = new Vector<float>[Width];
        LaneKernels.Transpose(rows, Width, lanes);
        for (int i = 0; i < Width; i++)
            for (int r = 0; r < LaneKernels.Lanes; r++)
                Assert.Equal(rows[r * Width + i], lanes[i][r]);
    }
}
