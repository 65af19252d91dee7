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

    [Theory]
    [InlineData(1)]
    [InlineData(107)]
    [InlineData(357)]
    public void LaneBufferStartsOnACacheLineAndHoldsLengthZeroVectors(int length)
    {
        var buffers = Enumerable.Range(0, 8).Select(_ => new LaneBuffer(length)).ToArray(); // several, so several start offsets
        foreach (LaneBuffer buffer in buffers)
        {
            Assert.Equal(0, AddressOf(ref buffer.Start) % 64);
            Assert.Equal(length, buffer.Length);
            Assert.Equal(length, buffer.Span.Length);
            Assert.All(buffer.Span.ToArray(), v => Assert.Equal(Vector<float>.Zero, v));
            buffer.Span[length - 1] = Vector<float>.One; // the last vector is inside the allocation
            Assert.Equal(Vector<float>.One, buffer.Span[^1]);
        }
        Assert.Throws<ArgumentOutOfRangeException>("length", () => new LaneBuffer(0));
    }

    private static unsafe long AddressOf(ref Vector<float> vector) => (long)System.Runtime.CompilerServices.Unsafe.AsPointer(ref vector);

    [Fact]
    public void TransposePutsRowRIntoLaneRAndUntransposeUndoesIt()
    {
        const int Width = 3;
        float[] rows = Enumerable.Range(0, LaneKernels.Lanes * Width).Select(i => (float)i).ToArray();
        var lanes = new Vector<float>[Width];
        LaneKernels.Transpose(rows, Width, lanes);
        for (int i = 0; i < Width; i++)
            for (int r = 0; r < LaneKernels.Lanes; r++)
                Assert.Equal(rows[r * Width + i], lanes[i][r]);

        var back = new float[rows.Length];
        LaneKernels.Untranspose(lanes, Width, back);
        Assert.Equal(rows, back);
        Assert.Throws<ArgumentException>(() => LaneKernels.Untranspose(lanes, Width, new float[rows.Length - 1]));
    }
}
