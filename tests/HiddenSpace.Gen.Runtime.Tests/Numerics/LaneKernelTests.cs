using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using HiddenSpace.Kernels;
using Xunit;

namespace HiddenSpace.Tests.Numerics;

/// <summary>The lane kernels at every vector width this machine accelerates (the widest is what the batch path runs).</summary>
public class LaneKernelTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(5)]
    public void ReduceAndClearAddsEachVectorsLaneSumAndZeroesTheBuffer(int count)
    {
        if (Vector512.IsHardwareAccelerated) CheckReduceAndClear<Vector512<float>, Lane512>(count);
        if (Vector256.IsHardwareAccelerated) CheckReduceAndClear<Vector256<float>, Lane256>(count);
        CheckReduceAndClear<Vector128<float>, Lane128>(count);
    }

    private static void CheckReduceAndClear<TVector, TMath>(int count) where TVector : struct where TMath : ILaneMath<TVector>
    {
        var random = new SeededRandom(count);
        var lanes = new TVector[count];
        var expected = new double[count];
        var destination = new float[count];
        for (int k = 0; k < count; k++)
        {
            float[] values = Enumerable.Range(0, TMath.Count).Select(_ => (float)random.NextGaussian()).ToArray();
            lanes[k] = Unsafe.ReadUnaligned<TVector>(ref Unsafe.As<float, byte>(ref values[0]));
            destination[k] = k;
            expected[k] = k + values.Sum(v => (double)v);
        }
        LaneKernels.ReduceAndClear<TVector, TMath>(lanes, destination);
        for (int k = 0; k < count; k++)
            Assert.True(Math.Abs(destination[k] - expected[k]) < 1e-5, $"{typeof(TVector).Name} [{k}] {destination[k]} vs {expected[k]}");
        Assert.All(lanes, v => Assert.Equal(default, v));
    }

    [Theory]
    [InlineData(37, 45, 48)] // 8 × 8 blocks, edges on both sides, padding
    [InlineData(64, 784, 64)] // a pass of 784-feature rows
    [InlineData(3, 5, 4)] // edges only
    public void MatrixTransposeMovesEveryValueAndPadsWithZeros(int rows, int width, int paddedRows)
    {
        const int SourceStride = 800, DestinationStride = 64;
        var random = new SeededRandom(rows * width);
        float[] source = [.. Enumerable.Range(0, rows * SourceStride).Select(_ => (float)random.NextGaussian())];
        float[] destination = [.. Enumerable.Repeat(float.NaN, width * DestinationStride)];
        MatrixKernels.Transpose(source, rows, width, SourceStride, destination, DestinationStride, paddedRows);
        for (int c = 0; c < width; c++)
            for (int r = 0; r < DestinationStride; r++)
            {
                float expected = r < rows ? source[r * SourceStride + c] : r < paddedRows ? 0f : float.NaN;
                Assert.True(expected.Equals(destination[c * DestinationStride + r]), $"column {c}, row {r}: {destination[c * DestinationStride + r]} vs {expected}");
            }
    }

    [Theory]
    [InlineData(0)] // two whole vectors of samples, fewer than a pass
    [InlineData(3)] // and three columns after them, one at a time
    public void MatrixSoftmaxIsEachSampleColumnsSoftmaxAndLeavesTheOtherColumns(int extra)
    {
        const int Units = 3, Stride = MatrixKernels.RowsPerPass;
        int columns = MatrixKernels.Columns(LaneKernels.Lanes + 1) + extra;
        var random = new SeededRandom(5);
        float[] z = [.. Enumerable.Range(0, Units * Stride).Select(_ => (float)(4 * random.NextGaussian()))];
        z[1 * Stride + 2] = 80f; // a large logit: the maximum is subtracted before exp
        float[] a = [.. Enumerable.Repeat(-1f, Units * Stride)];
        MatrixKernels.Softmax(z, a, columns);
        for (int s = 0; s < Stride; s++)
        {
            double max = Enumerable.Range(0, Units).Max(u => (double)z[u * Stride + s]);
            double sum = Enumerable.Range(0, Units).Sum(u => Math.Exp(z[u * Stride + s] - max));
            for (int u = 0; u < Units; u++)
            {
                double expected = s < columns ? Math.Exp(z[u * Stride + s] - max) / sum : -1;
                Assert.True(Math.Abs(a[u * Stride + s] - expected) < 1e-6, $"unit {u}, sample {s}: {a[u * Stride + s]} vs {expected}");
            }
        }
        Assert.Equal("columns", Assert.Throws<ArgumentOutOfRangeException>(() => MatrixKernels.Softmax(z, a, -1)).ParamName);
        Assert.Equal("z", Assert.Throws<ArgumentException>(() => MatrixKernels.Softmax(z, a, Stride + 1)).ParamName);
    }

    [Fact]
    public void LanesIsTheWidestAcceleratedWidth()
    {
        int expected = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : Vector128.IsHardwareAccelerated ? 4 : 0;
        Assert.Equal(expected, LaneKernels.Lanes);
        Assert.Equal(2 * expected, LaneKernels.RowsPerPass);
        Assert.Equal(expected == 0 ? 0 : 3 * LaneKernels.RowsPerPass, LaneKernels.WholePasses(3 * LaneKernels.RowsPerPass + 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(107)]
    [InlineData(357)]
    public void LaneBufferStartsOnACacheLineAndHoldsLengthZeroVectorsOfTheWidestWidth(int length)
    {
        var buffers = Enumerable.Range(0, 8).Select(_ => new LaneBuffer(length)).ToArray(); // several, so several start offsets
        foreach (LaneBuffer buffer in buffers)
        {
            Assert.Equal(0, AddressOf(ref buffer.Start<Vector512<float>>()) % 64);
            Assert.Equal(length, buffer.Length);
            Span<Vector512<float>> vectors = buffer.AsSpan<Vector512<float>>();
            Assert.Equal(length, vectors.Length);
            Assert.All(vectors.ToArray(), v => Assert.Equal(Vector512<float>.Zero, v));
            vectors[length - 1] = Vector512<float>.One; // the last widest vector is inside the allocation
            Assert.Equal(Vector512<float>.One, buffer.AsSpan<Vector512<float>>()[^1]);
            Assert.Equal(length, buffer.AsSpan<Vector256<float>>().Length);
        }
        Assert.Throws<ArgumentOutOfRangeException>("length", () => new LaneBuffer(0));
    }

    private static unsafe long AddressOf(ref Vector512<float> vector) => (long)Unsafe.AsPointer(ref vector);

    [Fact]
    public void TransposePutsRowRIntoLaneRAndUntransposeUndoesIt()
    {
        CheckTranspose<Vector512<float>>();
        CheckTranspose<Vector256<float>>();
        CheckTranspose<Vector128<float>>();
    }

    private static void CheckTranspose<TVector>() where TVector : struct
    {
        const int Width = 3;
        int count = Unsafe.SizeOf<TVector>() / sizeof(float);
        float[] rows = Enumerable.Range(0, count * Width).Select(i => (float)i).ToArray();
        var lanes = new TVector[Width];
        LaneKernels.Transpose<TVector>(rows, Width, lanes);
        for (int i = 0; i < Width; i++)
            for (int r = 0; r < count; r++)
                Assert.Equal(rows[r * Width + i], Unsafe.Add(ref Unsafe.As<TVector, float>(ref lanes[i]), r));

        var back = new float[rows.Length];
        LaneKernels.Untranspose<TVector>(lanes, Width, back);
        Assert.Equal(rows, back);
        Assert.Throws<ArgumentException>(() => LaneKernels.Untranspose<TVector>(lanes, Width, new float[rows.Length - 1]));
    }
}
