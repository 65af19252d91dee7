using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    [InlineData(27)] // with AVX-512 a block of sixteen, one of eight and 3 alone; with AVX three blocks of eight and 3
    [InlineData(357)] // the seed network's parameters
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
            Assert.True(Math.Abs(destination[k] - expected[k]) < 1e-5 * Math.Max(1, Math.Abs(expected[k])), $"{typeof(TVector).Name} [{k}] {destination[k]} vs {expected[k]}");
        Assert.All(lanes, v => Assert.Equal(default, v));
    }

    [Theory]
    [InlineData(16, 16)] // the seed network's 16 x 16 layer (fan-in one vector at 16 lanes, two at 8, four at 4)
    [InlineData(2, 16)] // its 16 -> 2 layer
    [InlineData(7, 32)] // a block of four rows, three alone; two vectors of inputs
    [InlineData(21, 48)] // at 16 lanes a pair of vectors, then one vector in blocks of sixteen rows, four, and one alone
    [InlineData(1, 48)]
    [InlineData(16, 13)] // a 13-feature table's first layer: a masked last vector at 16 and 8 lanes, value by value at 4
    [InlineData(6, 30)] // two vectors and 14 columns at 8 lanes; one row alone after a block
    [InlineData(5, 3)] // fewer inputs than any width's vector
    [InlineData(3, 1)]
    public void AccumulateOuterProductsAddsEachWeightsChainOfFmasOverTheLanes(int units, int fanIn)
    {
        if (Vector512.IsHardwareAccelerated) CheckOuterProducts<Vector512<float>, Lane512>(units, fanIn);
        if (Vector256.IsHardwareAccelerated) CheckOuterProducts<Vector256<float>, Lane256>(units, fanIn);
        CheckOuterProducts<Vector128<float>, Lane128>(units, fanIn);
    }

    private static void CheckOuterProducts<TVector, TMath>(int units, int fanIn) where TVector : struct where TMath : ILaneMath<TVector>
    {
        // Every weight's sum is one chain, dW + dzA[lane 0]·xA[lane 0] + … + dzB[last lane]·xB[last lane], each step
        // one FMA, whether its column is in a whole vector, the masked last one or done value by value: the bits must
        // match that chain written out, and the weights of the rows' neighbours (the last vector's masked lanes) must not move.
        int lanes = TMath.Count;
        var random = new SeededRandom(units * 100 + fanIn);
        float[] Gaussians(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)random.NextGaussian())];
        float[] dzA = Gaussians(units * lanes), xA = Gaussians(fanIn * lanes), dzB = Gaussians(units * lanes), xB = Gaussians(fanIn * lanes);
        float[] gradients = Gaussians(units * fanIn + 2);
        float[] rows = [.. Enumerable.Repeat(float.NaN, LaneKernels.OuterProductRowValues(fanIn, lanes) + 3)]; // scratch: whatever it held before
        float[] expected = [.. gradients];
        for (int i = 0; i < units; i++)
            for (int j = 0; j < fanIn; j++)
            {
                ref float sum = ref expected[1 + i * fanIn + j];
                for (int lane = 0; lane < lanes; lane++) sum = MathF.FusedMultiplyAdd(dzA[i * lanes + lane], xA[j * lanes + lane], sum);
                for (int lane = 0; lane < lanes; lane++) sum = MathF.FusedMultiplyAdd(dzB[i * lanes + lane], xB[j * lanes + lane], sum);
            }
        LaneKernels.AccumulateOuterProducts<TVector, TMath>(MemoryMarshal.Cast<float, TVector>(dzA), MemoryMarshal.Cast<float, TVector>(xA),
            MemoryMarshal.Cast<float, TVector>(dzB), MemoryMarshal.Cast<float, TVector>(xB), rows, gradients.AsSpan(1, units * fanIn));
        for (int k = 0; k < gradients.Length; k++)
            Assert.True(BitConverter.SingleToInt32Bits(gradients[k]) == BitConverter.SingleToInt32Bits(expected[k]),
                $"{typeof(TVector).Name} gradients[{k}] {gradients[k]:R} vs {expected[k]:R}");
    }

    [Fact]
    public void AccumulateOuterProductsNamesTheShapeItNeeds()
    {
        var exception = Assert.Throws<ArgumentException>(() => LaneKernels.AccumulateOuterProducts<Vector128<float>, Lane128>(
            new Vector128<float>[2], new Vector128<float>[3], new Vector128<float>[2], new Vector128<float>[3], new float[24], new float[6]));
        Assert.Equal("Outer products of 2 deltas and 3 inputs at 4 lanes need at least one input, a second group of the same shape, 32 row values and 6 weights; got 24 and 6.", exception.Message);
    }

    [Theory]
    [InlineData(5, 8, 64)] // the 8-64-64-2-4 net's first layer: half a vector of columns at 16 lanes
    [InlineData(7, 29, 37)] // 16 + 8 + 4 + 1 columns, four-row tiles and three rows alone
    [InlineData(4, 3, 64)] // single columns only
    [InlineData(1, 77, 5)]
    [InlineData(8, 64, 64)] // whole panels
    public void MatrixWeightGradientsAreEachWeightsChainOfFmasAtAnyFanIn(int units, int fanIn, int rows)
    {
        // Every dW value is the same chain, dW + dz[o, 0]·x[0, i] + dz[o, 1]·x[1, i] + …, each step one FMA, whichever
        // width (or none) computes its column: the bits must match that chain written out.
        var random = new SeededRandom(units * 1_000 + fanIn * 10 + rows);
        float[] Gaussians(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)random.NextGaussian())];
        float[] dz = Gaussians(units * MatrixKernels.RowsPerPass), x = Gaussians(rows * fanIn), dw = Gaussians(units * fanIn), db = new float[units];
        float[] expected = (float[])dw.Clone();
        for (int o = 0; o < units; o++)
            for (int i = 0; i < fanIn; i++)
                for (int s = 0; s < rows; s++)
                    expected[o * fanIn + i] = MathF.FusedMultiplyAdd(dz[o * MatrixKernels.RowsPerPass + s], x[s * fanIn + i], expected[o * fanIn + i]);
        MatrixKernels.AccumulateGradients(dz, x, dw, db, rows);
        for (int k = 0; k < dw.Length; k++)
            Assert.True(expected[k].Equals(dw[k]), $"{LaneKernels.Lanes} lanes, dW[{k / fanIn}, {k % fanIn}]: {dw[k]} vs {expected[k]}");
    }

    [Theory]
    [InlineData(128, 784, 64)] // the 784-128-64-10 net's first layer, a whole pass
    [InlineData(7, 29, 37)] // 16 + 8 + 4 + 1 columns, four-row tiles and three rows alone
    [InlineData(6, 3, 5)] // single columns only
    [InlineData(1, 77, 16)]
    public void MatrixForwardIsEachUnitsBiasThenAChainOfFmasAndLeavesTheOtherColumns(int units, int fanIn, int columns)
    {
        // Every z value is the same chain, b + W[o, 0]·x[0, s] + W[o, 1]·x[1, s] + …, each step one FMA, whichever width
        // (or none) computes its column and whether its row is in a tile of four or alone: the bits must match that
        // chain written out. The columns from `columns` on are not written.
        var random = new SeededRandom(units * 1_000 + fanIn * 10 + columns);
        float[] Gaussians(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)random.NextGaussian())];
        float[] weights = Gaussians(units * fanIn), bias = Gaussians(units), x = Gaussians(fanIn * MatrixKernels.RowsPerPass);
        float[] z = [.. Enumerable.Repeat(float.NaN, units * MatrixKernels.RowsPerPass)];
        MatrixKernels.Forward(weights, bias, x, z, columns);
        for (int o = 0; o < units; o++)
            for (int s = 0; s < MatrixKernels.RowsPerPass; s++)
            {
                float expected = float.NaN;
                if (s < columns)
                {
                    expected = bias[o];
                    for (int i = 0; i < fanIn; i++)
                        expected = MathF.FusedMultiplyAdd(weights[o * fanIn + i], x[i * MatrixKernels.RowsPerPass + s], expected);
                }
                Assert.True(expected.Equals(z[o * MatrixKernels.RowsPerPass + s]), $"{LaneKernels.Lanes} lanes, z[{o}, {s}]: {z[o * MatrixKernels.RowsPerPass + s]} vs {expected}");
            }
    }

    [Theory]
    [InlineData(37, 45, 48)] // 8 × 8 blocks, edges on both sides, padding
    [InlineData(45, 20, 45)] // two groups of 16 rows, then one of 8, then the edge rows; no padding, so a row written past 45 shows
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

    [Theory]
    [InlineData(Loss.SoftmaxCrossEntropy, 0, 4)] // every sample in whole vectors
    [InlineData(Loss.SoftmaxCrossEntropy, 1, 3)] // a last vector with samples past the count
    [InlineData(Loss.BinaryCrossEntropy, 0, 1)]
    [InlineData(Loss.BinaryCrossEntropy, 1, 5)]
    [InlineData(Loss.MeanSquaredError, 0, 1)]
    [InlineData(Loss.MeanSquaredError, 1, 2)]
    public void MatrixLossIsTheSumOfEachSamplesLossAndWritesEachSamplesGradient(Loss loss, int vectorsAndSome, int units)
    {
        const int Stride = MatrixKernels.RowsPerPass;
        int count = 2 * LaneKernels.Lanes + (vectorsAndSome == 0 ? 0 : LaneKernels.Lanes / 2 + 1), columns = MatrixKernels.Columns(count);
        var random = new SeededRandom(count * units);
        int outputs = units;
        float[] z = [.. Enumerable.Range(0, outputs * Stride).Select(_ => (float)(4 * random.NextGaussian()))];
        z[0 * Stride + 1] = 60f; // large logits: the maximum is subtracted, softplus stays finite
        z[(outputs - 1) * Stride + 2] = -60f;
        for (int s = count; s < columns; s++)
            for (int u = 0; u < outputs; u++) z[u * Stride + s] = 1e3f; // padding columns: their losses would be huge
        float[] a = new float[outputs * Stride], rows = new float[count * outputs];
        for (int s = 0; s < Stride; s++)
        {
            double max = Enumerable.Range(0, outputs).Max(u => (double)z[u * Stride + s]);
            double sum = Enumerable.Range(0, outputs).Sum(u => Math.Exp(z[u * Stride + s] - max));
            for (int u = 0; u < outputs; u++)
                a[u * Stride + s] = (float)(loss == Loss.SoftmaxCrossEntropy ? Math.Exp(z[u * Stride + s] - max) / sum
                    : loss == Loss.BinaryCrossEntropy ? 1 / (1 + Math.Exp(-z[u * Stride + s])) : z[u * Stride + s]);
            for (int u = 0; s < count && u < outputs; u++)
                rows[s * outputs + u] = loss == Loss.SoftmaxCrossEntropy ? (random.NextInt(outputs) == u ? 1f : 0f)
                    : loss == Loss.BinaryCrossEntropy ? random.NextInt(2) : (float)random.NextGaussian();
        }
        if (loss == Loss.SoftmaxCrossEntropy)
            for (int s = 0; s < count; s++)
                if (rows.AsSpan(s * outputs, outputs).IndexOf(1f) < 0) rows[s * outputs] = 1f;
        float[] target = new float[outputs * Stride], d = [.. Enumerable.Repeat(float.NaN, outputs * Stride)];
        MatrixKernels.Transpose(rows, count, outputs, outputs, target, Stride, columns);

        float total = loss switch
        {
            Loss.SoftmaxCrossEntropy => MatrixKernels.SoftmaxCrossEntropy(z, a, target, d, count),
            Loss.BinaryCrossEntropy => MatrixKernels.BinaryCrossEntropy(z, a, target, d, count),
            _ => MatrixKernels.MeanSquaredError(a, target, d, count),
        };

        double expected = 0;
        for (int s = 0; s < count; s++)
        {
            double[] zs = [.. Enumerable.Range(0, outputs).Select(u => (double)z[u * Stride + s])];
            double[] ts = [.. Enumerable.Range(0, outputs).Select(u => (double)rows[s * outputs + u])];
            double[] av = [.. Enumerable.Range(0, outputs).Select(u => (double)a[u * Stride + s])];
            double max = zs.Max(), logSumExp = max + Math.Log(zs.Sum(v => Math.Exp(v - max)));
            expected += loss switch
            {
                Loss.SoftmaxCrossEntropy => Enumerable.Range(0, outputs).Sum(u => ts[u] * (logSumExp - zs[u])),
                Loss.BinaryCrossEntropy => Enumerable.Range(0, outputs).Sum(u => Math.Max(zs[u], 0) - ts[u] * zs[u] + Math.Log(1 + Math.Exp(-Math.Abs(zs[u])))) / outputs,
                _ => Enumerable.Range(0, outputs).Sum(u => (av[u] - ts[u]) * (av[u] - ts[u])) / outputs,
            };
            for (int u = 0; u < outputs; u++)
            {
                double gradient = loss == Loss.SoftmaxCrossEntropy ? av[u] - ts[u] : loss == Loss.BinaryCrossEntropy ? (av[u] - ts[u]) / outputs : 2 * (av[u] - ts[u]) / outputs;
                Assert.True(Math.Abs(d[u * Stride + s] - gradient) < 1e-6 * Math.Max(1, Math.Abs(gradient)), $"{loss} d, unit {u}, sample {s}: {d[u * Stride + s]} vs {gradient}");
            }
        }
        Assert.True(Math.Abs(total - expected) < 1e-5 * Math.Max(1, Math.Abs(expected)), $"{loss}: {total} vs {expected} over {count} samples");
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => MatrixKernels.MeanSquaredError(a, target, d, -1)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => MatrixKernels.MeanSquaredError(a, target, d, Stride + 1)).ParamName);
        Assert.Equal("d", Assert.Throws<ArgumentException>(() => MatrixKernels.SoftmaxCrossEntropy(z, a, target, d.AsSpan(1), count)).ParamName);
    }

    [Fact]
    public void LaneExpIsWithinTwoUlpsOfDoubleExpAndSaturatesLikeExp()
    {
        if (Vector512.IsHardwareAccelerated) CheckExp<Vector512<float>, Lane512>();
        if (Vector256.IsHardwareAccelerated) CheckExp<Vector256<float>, Lane256>();
        CheckExp<Vector128<float>, Lane128>();
    }

    private static void CheckExp<TVector, TMath>() where TVector : struct where TMath : ILaneMath<TVector>
    {
        // Every float step of 1e-4 over the range where e^x is a normal float, then its edges and the special values.
        const int Count = 1_760_500; // up to 88.72: e^88.72 is just below float.MaxValue
        var x = new float[Count];
        for (int i = 0; i < Count; i++) x[i] = -87.33f + 1e-4f * i;
        double worst = 0;
        float worstAt = float.NaN;
        foreach (float value in x)
        {
            float result = Exp<TVector, TMath>(value);
            double exact = Math.Exp(value), ulp = MathF.BitIncrement((float)exact) - (float)exact;
            if (Math.Abs(result - exact) / ulp > worst) { worst = Math.Abs(result - exact) / ulp; worstAt = value; }
        }
        Assert.True(worst <= 2, $"{typeof(TVector).Name}: largest error {worst:F2} ulps, at {worstAt}: {Exp<TVector, TMath>(worstAt)} vs {Math.Exp(worstAt)}");
        Assert.Equal(1f, Exp<TVector, TMath>(0f));
        Assert.Equal(0f, Exp<TVector, TMath>(-104.5f));
        Assert.Equal(0f, Exp<TVector, TMath>(float.NegativeInfinity));
        Assert.Equal(float.PositiveInfinity, Exp<TVector, TMath>(89.5f));
        Assert.Equal(float.PositiveInfinity, Exp<TVector, TMath>(float.PositiveInfinity));
        Assert.True(float.IsNaN(Exp<TVector, TMath>(float.NaN)), "NaN stays NaN");
        foreach (float tiny in new[] { -88f, -95.5f, -103f }) // subnormal results: within a subnormal step or two
            Assert.True(Math.Abs(Exp<TVector, TMath>(tiny) - Math.Exp(tiny)) <= 2 * float.Epsilon, $"e^{tiny}: {Exp<TVector, TMath>(tiny)} vs {Math.Exp(tiny)}");
    }

    private static float Exp<TVector, TMath>(float x) where TVector : struct where TMath : ILaneMath<TVector>
    {
        TVector result = TMath.Exp(TMath.Create(x));
        return Unsafe.As<TVector, float>(ref result);
    }

    [Fact]
    public void LaneLogIsWithinOneUlpOfDoubleLogFromOneUpAndKeepsInfinityAndNaN()
    {
        if (Vector512.IsHardwareAccelerated) CheckLog<Vector512<float>, Lane512>();
        if (Vector256.IsHardwareAccelerated) CheckLog<Vector256<float>, Lane256>();
        CheckLog<Vector128<float>, Lane128>();
    }

    private static void CheckLog<TVector, TMath>() where TVector : struct where TMath : ILaneMath<TVector>
    {
        // Every float from 1 to 4 (both sides of √2 and 2, where the reduction changes exponent), then every 64th float
        // up to float.MaxValue.
        double worst = 0;
        float worstAt = float.NaN;
        for (int bits = BitConverter.SingleToInt32Bits(1f); bits <= BitConverter.SingleToInt32Bits(float.MaxValue);
             bits += bits < BitConverter.SingleToInt32Bits(4f) ? 1 : 64)
        {
            float value = BitConverter.Int32BitsToSingle(bits), result = Log<TVector, TMath>(value);
            double exact = Math.Log(value), ulp = MathF.BitIncrement((float)exact) - (float)exact;
            if (exact == 0) { Assert.Equal(0f, result); continue; }
            if (Math.Abs(result - exact) / ulp > worst) { worst = Math.Abs(result - exact) / ulp; worstAt = value; }
        }
        Assert.True(worst <= 1, $"{typeof(TVector).Name}: largest error {worst:F2} ulps, at {worstAt}: {Log<TVector, TMath>(worstAt)} vs {Math.Log(worstAt)}");
        Assert.Equal(float.PositiveInfinity, Log<TVector, TMath>(float.PositiveInfinity));
        Assert.True(float.IsNaN(Log<TVector, TMath>(float.NaN)), "NaN stays NaN");
    }

    private static float Log<TVector, TMath>(float x) where TVector : struct where TMath : ILaneMath<TVector>
    {
        TVector result = TMath.LogAtLeastOne(TMath.Create(x));
        return Unsafe.As<TVector, float>(ref result);
    }

    [Fact]
    public void LanesIsTheWidestAcceleratedWidth()
    {
        int expected = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : Vector128.IsHardwareAccelerated ? 4 : 0;
        Assert.Equal(expected, LaneKernels.Lanes);
        Assert.Equal(2 * expected, LaneKernels.RowsPerPass);
        // The lane form takes a whole batch once it fills a lane group, the last pass padded; a smaller one none of it.
        Assert.Equal(expected == 0 ? 0 : 3 * LaneKernels.RowsPerPass + 1, LaneKernels.LaneRows(3 * LaneKernels.RowsPerPass + 1));
        Assert.Equal(expected, LaneKernels.LaneRows(expected));
        Assert.Equal(0, LaneKernels.LaneRows(expected - 1));
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

    [Theory]
    [InlineData(1)]
    [InlineData(2)] // the shuffles of two-value rows
    [InlineData(3)] // square blocks from here on: the last rows' loads run past the rows (5 of 16 at width 3)
    [InlineData(4)]
    [InlineData(5)] // untransposed by permutes of pairs of vectors (AVX-512), the last pair one vector
    [InlineData(7)] // the widest untransposed by permutes at 8 lanes
    [InlineData(8)] // a whole 8 × 8 block
    [InlineData(13)] // 13 features: a partial block
    [InlineData(15)] // the widest untransposed by permutes at 16 lanes
    [InlineData(16)]
    [InlineData(29)] // a whole 16 × 16 block and a partial one
    [InlineData(10)] // ten classes' outputs written back as rows
    public void TransposePutsRowRIntoLaneRAndUntransposeUndoesIt(int width)
    {
        CheckTranspose<Vector512<float>>(width);
        CheckTranspose<Vector256<float>>(width);
        CheckTranspose<Vector128<float>>(width);
    }

    private static void CheckTranspose<TVector>(int width) where TVector : struct
    {
        int count = Unsafe.SizeOf<TVector>() / sizeof(float);
        float[] rows = Enumerable.Range(0, count * width).Select(i => (float)i).ToArray();
        var lanes = new TVector[width];
        LaneKernels.Transpose<TVector>(rows, width, lanes);
        for (int i = 0; i < width; i++)
            for (int r = 0; r < count; r++)
                Assert.Equal(rows[r * width + i], Unsafe.Add(ref Unsafe.As<TVector, float>(ref lanes[i]), r));

        // Between two sentinels: nothing outside the rows may move.
        float[] back = [.. Enumerable.Repeat(float.NaN, rows.Length + 2)];
        LaneKernels.Untranspose<TVector>(lanes, width, back.AsSpan(1, rows.Length));
        Assert.Equal(rows, back[1..^1]);
        Assert.True(float.IsNaN(back[0]) && float.IsNaN(back[^1]), $"{typeof(TVector).Name}, width {width}: a value written outside the rows");
        Assert.Throws<ArgumentException>(() => LaneKernels.Untranspose<TVector>(lanes, width, new float[rows.Length - 1]));
    }

    [Fact]
    public void TransposeFromARowPadsPastTheEndAndUntransposeWritesOnlyTheRowsThere()
    {
        CheckPaddedTranspose<Vector512<float>>();
        CheckPaddedTranspose<Vector256<float>>();
        CheckPaddedTranspose<Vector128<float>>();
    }

    private static void CheckPaddedTranspose<TVector>() where TVector : struct
    {
        const int Width = 3;
        int count = Unsafe.SizeOf<TVector>() / sizeof(float);
        int rowCount = count + count / 2 + 1; // a whole group, then a partial one, then none
        float[] rows = Enumerable.Range(0, rowCount * Width).Select(i => (float)(i + 1)).ToArray();
        foreach (int first in new[] { 0, count, 2 * count })
        {
            var lanes = new TVector[Width];
            lanes.AsSpan().Fill(Unsafe.As<float, TVector>(ref Enumerable.Repeat(-7f, count).ToArray()[0])); // stale values
            LaneKernels.Transpose<TVector>(rows, first, Width, lanes);
            for (int i = 0; i < Width; i++)
                for (int r = 0; r < count; r++)
                {
                    float expected = first + r < rowCount ? rows[(first + r) * Width + i] : 0f;
                    Assert.Equal(expected, Unsafe.Add(ref Unsafe.As<TVector, float>(ref lanes[i]), r));
                }

            float[] back = Enumerable.Repeat(float.NaN, rows.Length).ToArray();
            LaneKernels.Untranspose<TVector>(lanes, Width, back, first);
            for (int k = 0; k < back.Length; k++)
            {
                bool written = k / Width >= first && k / Width < first + count;
                if (written) Assert.Equal(rows[k], back[k]);
                else Assert.True(float.IsNaN(back[k]), $"value {k} (row {k / Width}) written from a pass starting at row {first}");
            }
        }
    }

    [Theory]
    [InlineData(-3)]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(16)]
    public void WithoutPaddingZeroesTheLanesPastTheBatchInTheLossAndEveryDelta(int live)
    {
        CheckWithoutPadding<Vector512<float>>(live);
        CheckWithoutPadding<Vector256<float>>(live);
        CheckWithoutPadding<Vector128<float>>(live);
    }

    private static void CheckWithoutPadding<TVector>(int live) where TVector : struct
    {
        int count = Unsafe.SizeOf<TVector>() / sizeof(float);
        float[] values = Enumerable.Range(0, 3 * count).Select(i => i % 4 == 3 ? float.NaN : i + 1f).ToArray(); // NaN padding too
        TVector[] deltas = [.. Enumerable.Range(0, 2).Select(v => Unsafe.As<float, TVector>(ref values[(v + 1) * count]))];
        TVector loss = LaneKernels.WithoutPadding(Unsafe.As<float, TVector>(ref values[0]), deltas, live);
        int kept = Math.Clamp(live, 0, count);
        for (int r = 0; r < count; r++)
        {
            float expectedLoss = r < kept ? values[r] : 0f;
            Assert.Equal(expectedLoss, Unsafe.Add(ref Unsafe.As<TVector, float>(ref loss), r));
            for (int v = 0; v < deltas.Length; v++)
                Assert.Equal(r < kept ? values[(v + 1) * count + r] : 0f, Unsafe.Add(ref Unsafe.As<TVector, float>(ref deltas[v]), r));
        }
    }
}
