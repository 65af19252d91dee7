using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HiddenSpace.Kernels;

/// <summary>
/// The matrix form of the batch path, used by generated networks with a layer above the unroll limit: a pass of up
/// to <see cref="RowsPerPass"/> samples goes through each layer as matrix products. Activations, pre-activations and
/// gradients are held feature-major — row f of a block holds feature f for the pass's samples, <see cref="RowsPerPass"/>
/// floats apart — so the forward product z = W·x and the input delta dx = Wᵀ·dz broadcast a weight against a vector of
/// samples, and the weight gradient dW += dz·xᵀ broadcasts a delta against a vector of the layer's inputs (read from
/// the sample-major rows: the caller's input rows, or a layer's activations transposed).
/// Every product is one register-blocked kernel at the widest accelerated width: 4 rows of the result by 4 vectors of
/// columns in 16 accumulators with AVX-512 (32 vector registers), by 3 vectors in 12 accumulators with AVX2 (16
/// registers), by 2 vectors for the columns left and with NEON; each step loads the vectors of B once and broadcasts 4
/// scalars of A.
/// </summary>
public static class MatrixKernels
{
    /// <summary>Samples in one pass, the stride of a feature-major block: 64 amortises every load of dW and W over 64 samples.</summary>
    public const int RowsPerPass = 64;

    private const int TileRows = 4;

    /// <summary>
    /// Batches of fewer rows than this run through the per-sample code instead: a pass pads its samples to whole
    /// vectors and transposes the inputs, which does not pay for one or two rows (784-128-64-10 at batch 1: 7 µs per
    /// sample against ONNX Runtime's 10 µs, RESULTS.md).
    /// </summary>
    public const int MinimumRows = 4;

    /// <summary>The columns a pass of <paramref name="rows"/> samples computes: rows rounded up to whole vectors.</summary>
    public static int Columns(int rows)
    {
        int lanes = Math.Max(LaneKernels.Lanes, 1);
        return (rows + lanes - 1) / lanes * lanes;
    }

    /// <summary>
    /// z[o, s] = b[o] + Σ_i W[o, i]·x[i, s] for the first <paramref name="columns"/> samples: W [units × fanIn]
    /// row-major, x [fanIn × <see cref="RowsPerPass"/>] and z [units × <see cref="RowsPerPass"/>] feature-major.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> x, Span<float> z, int columns)
    {
        int units = bias.Length, fanIn = weights.Length / Math.Max(units, 1);
        CheckBlock(x.Length, fanIn, columns, nameof(x));
        CheckBlock(z.Length, units, columns, nameof(z));
        if (weights.Length != units * fanIn)
            throw new ArgumentException($"{weights.Length} weights for {units} units.", nameof(weights));
        // Each unit's sums start from its bias in the tile's registers (no pass filling z with it first).
        Multiply(units, columns, fanIn, in MemoryMarshal.GetReference(weights), fanIn, 1, in MemoryMarshal.GetReference(x), RowsPerPass,
            ref MemoryMarshal.GetReference(z), RowsPerPass, accumulate: false, in MemoryMarshal.GetReference(bias));
    }

    /// <summary>
    /// a[·, s] = softmax(z[·, s]) across the units of each of the first <paramref name="columns"/> samples: z and a
    /// [units × <see cref="RowsPerPass"/>] feature-major, a vector of samples at a time as the lane form computes it
    /// (a pass's <see cref="Columns"/> are whole vectors wherever vectors are accelerated), the columns after the last
    /// whole vector one at a time through the per-sample <see cref="ActivationKernels.Softmax(ReadOnlySpan{float}, Span{float})"/>.
    /// </summary>
    public static void Softmax(ReadOnlySpan<float> z, Span<float> a, int columns)
    {
        int units = z.Length / RowsPerPass;
        CheckBlock(z.Length, units, columns, nameof(z));
        CheckBlock(a.Length, units, columns, nameof(a));
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        int done = Vector512.IsHardwareAccelerated ? Softmax<Vector512<float>, Lane512>(z, a, units, columns)
            : Vector256.IsHardwareAccelerated ? Softmax<Vector256<float>, Lane256>(z, a, units, columns)
            : Vector128.IsHardwareAccelerated ? Softmax<Vector128<float>, Lane128>(z, a, units, columns)
            : 0;
        if (done == columns) return;
        // The columns left (only where no vector width is accelerated): each gathered and put through the per-sample softmax.
        Span<float> column = units <= 1024 ? stackalloc float[units] : new float[units];
        for (int s = done; s < columns; s++)
        {
            for (int u = 0; u < units; u++) column[u] = z[u * RowsPerPass + s];
            ActivationKernels.Softmax(column, column);
            for (int u = 0; u < units; u++) a[u * RowsPerPass + s] = column[u];
        }
    }

    /// <summary>The whole vectors of samples among the first <paramref name="columns"/>; returns how many columns they hold.</summary>
    private static int Softmax<TVector, TMath>(ReadOnlySpan<float> z, Span<float> a, int units, int columns) where TVector : struct where TMath : ILaneMath<TVector>
    {
        ReadOnlySpan<TVector> zVectors = MemoryMarshal.Cast<float, TVector>(z);
        Span<TVector> aVectors = MemoryMarshal.Cast<float, TVector>(a);
        int stride = RowsPerPass / TMath.Count, groups = columns / TMath.Count;
        for (int group = 0; group < groups; group++)
            ActivationKernels.Softmax<TVector, TMath>(zVectors[group..], aVectors[group..], units, stride);
        return groups * TMath.Count;
    }

    /// <summary>
    /// The summed <see cref="LossKernels.SoftmaxCrossEntropy(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    /// of the first <paramref name="count"/> samples of a pass, from the output layer's blocks; writes its dz into
    /// <paramref name="d"/>. See <see cref="MeanSquaredError"/> for the blocks and the columns.
    /// </summary>
    public static float SoftmaxCrossEntropy(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> target, Span<float> d, int count) =>
        Loss<SoftmaxCrossEntropyLoss>(z, a, target, d, count);

    /// <summary>
    /// The summed <see cref="LossKernels.BinaryCrossEntropy(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    /// of the first <paramref name="count"/> samples of a pass, from the output layer's blocks; writes its dz into
    /// <paramref name="d"/>. See <see cref="MeanSquaredError"/> for the blocks and the columns.
    /// </summary>
    public static float BinaryCrossEntropy(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> target, Span<float> d, int count) =>
        Loss<BinaryCrossEntropyLoss>(z, a, target, d, count);

    /// <summary>
    /// The summed <see cref="LossKernels.MeanSquaredError(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> of
    /// the first <paramref name="count"/> samples of a pass; writes its da into <paramref name="d"/>. The outputs, the
    /// targets and the gradient are blocks [units × <see cref="RowsPerPass"/>], feature-major; each loss runs a vector
    /// of samples at a time as the lane form computes it, so the gradient is written for the pass's whole
    /// <see cref="Columns"/> (from the targets' zero padding; the backward products read only <paramref name="count"/>
    /// of them), and the losses of the columns past <paramref name="count"/> are left out of the sum.
    /// </summary>
    public static float MeanSquaredError(ReadOnlySpan<float> a, ReadOnlySpan<float> target, Span<float> d, int count) =>
        Loss<MeanSquaredErrorLoss>(a, a, target, d, count);

    private static float Loss<TLoss>(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> target, Span<float> d, int count) where TLoss : ILoss
    {
        int units = a.Length / RowsPerPass;
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int columns = Columns(count);
        CheckBlock(a.Length, units, columns, nameof(a));
        CheckBlock(z.Length, units, columns, nameof(z));
        CheckBlock(target.Length, units, columns, nameof(target));
        CheckBlock(d.Length, units, columns, nameof(d));
        (float loss, int done) = Vector512.IsHardwareAccelerated ? Loss<Vector512<float>, Lane512, TLoss>(z, a, target, d, units, count)
            : Vector256.IsHardwareAccelerated ? Loss<Vector256<float>, Lane256, TLoss>(z, a, target, d, units, count)
            : Vector128.IsHardwareAccelerated ? Loss<Vector128<float>, Lane128, TLoss>(z, a, target, d, units, count)
            : (0f, 0);
        if (done >= count) return loss;
        // The samples left (only where no vector width is accelerated): each gathered and put through the per-sample loss.
        Span<float> column = units <= 256 ? stackalloc float[4 * units] : new float[4 * units];
        Span<float> zColumn = column[..units], aColumn = column.Slice(units, units), targetColumn = column.Slice(2 * units, units), dColumn = column[(3 * units)..];
        for (int s = done; s < count; s++)
        {
            for (int u = 0; u < units; u++)
            {
                zColumn[u] = z[u * RowsPerPass + s];
                aColumn[u] = a[u * RowsPerPass + s];
                targetColumn[u] = target[u * RowsPerPass + s];
            }
            loss += TLoss.Sample(zColumn, aColumn, targetColumn, dColumn);
            for (int u = 0; u < units; u++) d[u * RowsPerPass + s] = dColumn[u];
        }
        return loss;
    }

    /// <summary>The whole vectors of samples that hold the first <paramref name="count"/>; the losses summed, and the columns they hold.</summary>
    private static (float Loss, int Done) Loss<TVector, TMath, TLoss>(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> target, Span<float> d,
        int units, int count) where TVector : struct where TMath : ILaneMath<TVector> where TLoss : ILoss
    {
        ReadOnlySpan<TVector> zVectors = MemoryMarshal.Cast<float, TVector>(z), aVectors = MemoryMarshal.Cast<float, TVector>(a);
        ReadOnlySpan<TVector> targetVectors = MemoryMarshal.Cast<float, TVector>(target);
        Span<TVector> dVectors = MemoryMarshal.Cast<float, TVector>(d);
        int stride = RowsPerPass / TMath.Count, groups = (count + TMath.Count - 1) / TMath.Count;
        float loss = 0f;
        for (int group = 0; group < groups; group++)
        {
            TVector losses = TLoss.Lanes<TVector, TMath>(zVectors[group..], aVectors[group..], targetVectors[group..], dVectors[group..], units, stride);
            int lanes = Math.Min(TMath.Count, count - group * TMath.Count);
            if (lanes == TMath.Count)
                loss += TMath.Sum(losses);
            else
                foreach (float value in MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<TVector, float>(ref losses), lanes)) loss += value;
        }
        return (loss, groups * TMath.Count);
    }

    /// <summary>A loss in its lane form and its per-sample form, as a type argument.</summary>
    private interface ILoss
    {
        static abstract TVector Lanes<TVector, TMath>(ReadOnlySpan<TVector> z, ReadOnlySpan<TVector> a, ReadOnlySpan<TVector> target, Span<TVector> d, int units, int stride)
            where TVector : struct where TMath : ILaneMath<TVector>;

        static abstract float Sample(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> target, Span<float> d);
    }

    private readonly struct SoftmaxCrossEntropyLoss : ILoss
    {
        public static TVector Lanes<TVector, TMath>(ReadOnlySpan<TVector> z, ReadOnlySpan<TVector> a, ReadOnlySpan<TVector> target, Span<TVector> d, int units, int stride)
            where TVector : struct where TMath : ILaneMath<TVector> => LossKernels.SoftmaxCrossEntropy<TVector, TMath>(z, a, target, d, units, stride);

        public static float Sample(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> target, Span<float> d) => LossKernels.SoftmaxCrossEntropy(z, a, target, d);
    }

    private readonly struct BinaryCrossEntropyLoss : ILoss
    {
        public static TVector Lanes<TVector, TMath>(ReadOnlySpan<TVector> z, ReadOnlySpan<TVector> a, ReadOnlySpan<TVector> target, Span<TVector> d, int units, int stride)
            where TVector : struct where TMath : ILaneMath<TVector> => LossKernels.BinaryCrossEntropy<TVector, TMath>(z, a, target, d, units, stride);

        public static float Sample(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> target, Span<float> d) => LossKernels.BinaryCrossEntropy(z, a, target, d);
    }

    /// <summary>Reads only a (z is a, unused): its activation's backward step follows.</summary>
    private readonly struct MeanSquaredErrorLoss : ILoss
    {
        public static TVector Lanes<TVector, TMath>(ReadOnlySpan<TVector> z, ReadOnlySpan<TVector> a, ReadOnlySpan<TVector> target, Span<TVector> d, int units, int stride)
            where TVector : struct where TMath : ILaneMath<TVector> => LossKernels.MeanSquaredError<TVector, TMath>(a, target, d, units, stride);

        public static float Sample(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> target, Span<float> d) => LossKernels.MeanSquaredError(a, target, d);
    }

    /// <summary>
    /// dW[o, i] += Σ_s dz[o, s]·x[s, i] and db[o] += Σ_s dz[o, s] over the first <paramref name="rows"/> samples:
    /// dz [units × <see cref="RowsPerPass"/>] feature-major, x [rows × fanIn] sample-major (the layer's input rows).
    /// </summary>
    public static void AccumulateGradients(ReadOnlySpan<float> dz, ReadOnlySpan<float> x, Span<float> dWeights, Span<float> dBias, int rows)
    {
        int units = dBias.Length, fanIn = dWeights.Length / Math.Max(units, 1);
        CheckBlock(dz.Length, units, rows, nameof(dz));
        if (dWeights.Length != units * fanIn || x.Length < rows * fanIn)
            throw new ArgumentException($"dW holds {dWeights.Length} values for {units} units; x holds {x.Length} values for {rows} rows.", nameof(dWeights));
        Multiply(units, fanIn, rows, in MemoryMarshal.GetReference(dz), RowsPerPass, 1, in MemoryMarshal.GetReference(x), fanIn,
            ref MemoryMarshal.GetReference(dWeights), fanIn, accumulate: true, in Unsafe.NullRef<float>());
        for (int o = 0; o < units; o++)
            dBias[o] += Sum(dz.Slice(o * RowsPerPass, rows));
    }

    /// <summary>
    /// dx[i, s] = Σ_o W[o, i]·dz[o, s] for the first <paramref name="columns"/> samples (overwrites dx): dz
    /// [units × <see cref="RowsPerPass"/>] and dx [fanIn × <see cref="RowsPerPass"/>] feature-major.
    /// </summary>
    public static void Backpropagate(ReadOnlySpan<float> weights, ReadOnlySpan<float> dz, Span<float> dx, int columns)
    {
        int fanIn = dx.Length / RowsPerPass, units = weights.Length / Math.Max(fanIn, 1);
        CheckBlock(dz.Length, units, columns, nameof(dz));
        if (weights.Length != units * fanIn)
            throw new ArgumentException($"{weights.Length} weights for {fanIn} inputs.", nameof(weights));
        Multiply(fanIn, columns, units, in MemoryMarshal.GetReference(weights), 1, fanIn, in MemoryMarshal.GetReference(dz), RowsPerPass,
            ref MemoryMarshal.GetReference(dx), RowsPerPass, accumulate: false, in Unsafe.NullRef<float>());
    }

    /// <summary>
    /// destination[c·destinationStride + r] = source[r·sourceStride + c] for r &lt; <paramref name="rows"/>, c &lt;
    /// <paramref name="width"/>; then destination[c·destinationStride + r] = 0 for r in [rows, paddedRows): between
    /// sample-major rows and feature-major blocks, either way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose(ReadOnlySpan<float> source, int rows, int width, int sourceStride, Span<float> destination, int destinationStride, int paddedRows)
    {
        if (rows > 0 && source.Length < (rows - 1) * sourceStride + width)
            throw new ArgumentException($"{source.Length} values cannot hold {rows} rows of {width} at stride {sourceStride}.", nameof(source));
        if (width > 0 && destination.Length < (width - 1) * destinationStride + paddedRows)
            throw new ArgumentException($"{destination.Length} values cannot hold {width} rows of {paddedRows} at stride {destinationStride}.", nameof(destination));
        // Blocks of 8 × 8: with AVX eight loads, 24 shuffles and eight stores each; the edges element by element.
        const int Block = 8;
        ref float from = ref MemoryMarshal.GetReference(source);
        ref float to = ref MemoryMarshal.GetReference(destination);
        int wholeRows = Avx.IsSupported ? rows - rows % Block : 0, wholeColumns = Avx.IsSupported ? width - width % Block : 0;
        // Source rows outside, 16 at a time: each group reads its rows front to back, streams the hardware prefetcher
        // follows, and its two blocks a step write 16 floats of each destination row, a whole 64-byte line. With the
        // columns outside, every step touched a line of each of a pass's 64 rows, and rows that came from memory (a
        // large batch's inputs) waited for their lines one block at a time: 784-128-64-10 `ForwardBatch` of 1,024 and
        // 4,096 rows 4-10 % faster this way, training at batch 64 2-5 %, 64 and 256 rows the same (RESULTS.md).
        for (int r0 = 0; r0 < wholeRows; r0 += 2 * Block)
        {
            bool second = r0 + Block < wholeRows;
            for (int c0 = 0; c0 < wholeColumns; c0 += Block)
            {
                ref float block = ref Unsafe.Add(ref from, r0 * sourceStride + c0);
                ref float written = ref Unsafe.Add(ref to, c0 * destinationStride + r0);
                Transpose8x8(ref block, sourceStride, ref written, destinationStride);
                if (second)
                    Transpose8x8(ref Unsafe.Add(ref block, Block * sourceStride), sourceStride, ref Unsafe.Add(ref written, Block), destinationStride);
            }
        }
        for (int r = 0; r < rows; r++)
            for (int c = r < wholeRows ? wholeColumns : 0; c < width; c++)
                Unsafe.Add(ref to, c * destinationStride + r) = Unsafe.Add(ref from, r * sourceStride + c);
        if (paddedRows > rows)
            for (int c = 0; c < width; c++)
                destination.Slice(c * destinationStride + rows, paddedRows - rows).Clear();
    }

    /// <summary>destination row i = source column i of an 8 × 8 block (AVX: unpack, shuffle, then swap 128-bit halves).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(ref float source, nint sourceStride, ref float destination, nint destinationStride) =>
        Transpose8x8(Vector256.LoadUnsafe(ref source), Vector256.LoadUnsafe(ref source, (nuint)sourceStride),
            Vector256.LoadUnsafe(ref source, (nuint)(2 * sourceStride)), Vector256.LoadUnsafe(ref source, (nuint)(3 * sourceStride)),
            Vector256.LoadUnsafe(ref source, (nuint)(4 * sourceStride)), Vector256.LoadUnsafe(ref source, (nuint)(5 * sourceStride)),
            Vector256.LoadUnsafe(ref source, (nuint)(6 * sourceStride)), Vector256.LoadUnsafe(ref source, (nuint)(7 * sourceStride)),
            ref destination, destinationStride, 8);

    /// <summary>destination row i (<paramref name="destinationStride"/> apart), for i &lt; <paramref name="count"/>, = element i of rows r0..r7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7, ref float destination, nint destinationStride, int count)
    {
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE), s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        if (count > 0) Avx.Permute2x128(s0, s4, 0x20).StoreUnsafe(ref destination);
        if (count > 1) Avx.Permute2x128(s1, s5, 0x20).StoreUnsafe(ref destination, (nuint)destinationStride);
        if (count > 2) Avx.Permute2x128(s2, s6, 0x20).StoreUnsafe(ref destination, (nuint)(2 * destinationStride));
        if (count > 3) Avx.Permute2x128(s3, s7, 0x20).StoreUnsafe(ref destination, (nuint)(3 * destinationStride));
        if (count > 4) Avx.Permute2x128(s0, s4, 0x31).StoreUnsafe(ref destination, (nuint)(4 * destinationStride));
        if (count > 5) Avx.Permute2x128(s1, s5, 0x31).StoreUnsafe(ref destination, (nuint)(5 * destinationStride));
        if (count > 6) Avx.Permute2x128(s2, s6, 0x31).StoreUnsafe(ref destination, (nuint)(6 * destinationStride));
        if (count > 7) Avx.Permute2x128(s3, s7, 0x31).StoreUnsafe(ref destination, (nuint)(7 * destinationStride));
    }

    private static float Sum(ReadOnlySpan<float> values)
    {
        if (Vector512.IsHardwareAccelerated) return Sum<Vector512<float>, Lane512>(values);
        if (Vector256.IsHardwareAccelerated) return Sum<Vector256<float>, Lane256>(values);
        return Sum<Vector128<float>, Lane128>(values);
    }

    private static float Sum<TVector, TMath>(ReadOnlySpan<float> values) where TVector : struct where TMath : ILaneMath<TVector>
    {
        ref float start = ref MemoryMarshal.GetReference(values);
        TVector partial = default;
        int i = 0;
        for (; i <= values.Length - TMath.Count; i += TMath.Count)
            partial = TMath.Add(partial, As<TVector>(ref Unsafe.Add(ref start, i)));
        float sum = TMath.Sum(partial);
        for (; i < values.Length; i++) sum += values[i];
        return sum;
    }

    /// <summary>
    /// C[m, n] (+)= Σ_k A[m, k]·B[k, n] at the widest accelerated width; A at any strides, B and C row-major. Row i's
    /// sums start from <paramref name="start"/>[i] where that is not a null reference (a layer's bias), else from C
    /// (<paramref name="accumulate"/>) or zero.
    /// </summary>
    private static void Multiply(int m, int n, int k, ref readonly float a, nint aRow, nint aColumn, ref readonly float b, nint bRow,
        ref float c, nint cRow, bool accumulate, ref readonly float start)
    {
        if (Vector512.IsHardwareAccelerated)
            Multiply<Vector512<float>, Lane512>(m, n, k, in a, aRow, aColumn, in b, bRow, ref c, cRow, accumulate, in start);
        else if (Vector256.IsHardwareAccelerated)
            Multiply<Vector256<float>, Lane256>(m, n, k, in a, aRow, aColumn, in b, bRow, ref c, cRow, accumulate, in start);
        else
            Multiply<Vector128<float>, Lane128>(m, n, k, in a, aRow, aColumn, in b, bRow, ref c, cRow, accumulate, in start);
    }

    /// <summary>
    /// C[m, n] (+)= Σ_k A[m, k]·B[k, n]: panels of 4 vectors of columns (AVX-512 only; 3 with AVX2), then 2, then 1,
    /// then one vector of each narrower width, then single columns. In a panel, tiles of 4 rows, then the last m mod 4
    /// rows one at a time. Column panels outside, row tiles inside, so a panel of B stays in cache while every row of A
    /// passes over it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply<TVector, TMath>(int m, int n, int k, ref readonly float a, nint aRow, nint aColumn, ref readonly float b, nint bRow,
        ref float c, nint cRow, bool accumulate, ref readonly float start) where TVector : struct where TMath : ILaneMath<TVector>
    {
        int column = 0;
        // 4 × 4 vectors (16 accumulators) where there are 32 vector registers (AVX-512): twice the FMAs per loop step
        // for the same loop overhead. With AVX2's 16 registers 4 × 3 (12 accumulators, 3 vectors of B and a broadcast):
        // a core that issues more 256-bit FMAs a cycle than 4 × 2's 8 chains can keep in flight needs them (Zen 5 with
        // AVX-512 off: layer 1 of 784-128-64-10 at 87 → 109 GFLOP/s). 4 × 2 for the columns left, and for NEON.
        if (typeof(TVector) == typeof(Vector512<float>))
            Panels<TVector, TMath, FourVectors>(ref column, m, n, k, in a, aRow, aColumn, in b, bRow, ref c, cRow, accumulate, in start);
        if (typeof(TVector) == typeof(Vector256<float>))
            Panels<TVector, TMath, ThreeVectors>(ref column, m, n, k, in a, aRow, aColumn, in b, bRow, ref c, cRow, accumulate, in start);
        Panels<TVector, TMath, TwoVectors>(ref column, m, n, k, in a, aRow, aColumn, in b, bRow, ref c, cRow, accumulate, in start);
        Panels<TVector, TMath, OneVector>(ref column, m, n, k, in a, aRow, aColumn, in b, bRow, ref c, cRow, accumulate, in start);
        // The columns short of a whole vector (all of dW for a fan-in of 8 at 16 lanes: the 8-64-64-2-4 net trained 1.7×
        // slower with AVX-512 than with AVX2 before) in the narrower widths' panels, then one at a time. Each value is
        // the same chain of FMAs over k at every width, so the results do not depend on which width computes a column.
        if (typeof(TVector) == typeof(Vector512<float>))
            Panels<Vector256<float>, Lane256, OneVector>(ref column, m, n, k, in a, aRow, aColumn, in b, bRow, ref c, cRow, accumulate, in start);
        if (typeof(TVector) != typeof(Vector128<float>))
            Panels<Vector128<float>, Lane128, OneVector>(ref column, m, n, k, in a, aRow, aColumn, in b, bRow, ref c, cRow, accumulate, in start);
        for (; column < n; column++)
            SingleColumn(column, m, k, in a, aRow, aColumn, in b, bRow, ref c, cRow, accumulate, in start);
    }

    /// <summary>
    /// Column <paramref name="column"/> of C one value at a time, four rows' chains side by side (one row's k dependent
    /// FMAs alone would each wait for the last), then the rows left.
    /// </summary>
    private static void SingleColumn(int column, int m, int k, ref readonly float a, nint aRow, nint aColumn, ref readonly float b, nint bRow,
        ref float c, nint cRow, bool accumulate, ref readonly float start)
    {
        bool fromStart = !Unsafe.IsNullRef(in start);
        ref float bColumn = ref Unsafe.Add(ref Unsafe.AsRef(in b), column);
        int row = 0;
        for (; row <= m - TileRows; row += TileRows)
        {
            ref float c0 = ref Unsafe.Add(ref c, row * cRow + column);
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
            if (fromStart) (s0, s1, s2, s3) = (Row(in start, row), Row(in start, row + 1), Row(in start, row + 2), Row(in start, row + 3));
            else if (accumulate) (s0, s1, s2, s3) = (c0, Unsafe.Add(ref c0, cRow), Unsafe.Add(ref c0, 2 * cRow), Unsafe.Add(ref c0, 3 * cRow));
            ref float aStep = ref Unsafe.Add(ref Unsafe.AsRef(in a), row * aRow);
            for (int step = 0; step < k; step++, aStep = ref Unsafe.Add(ref aStep, aColumn))
            {
                float bk = Unsafe.Add(ref bColumn, step * bRow);
                s0 = MathF.FusedMultiplyAdd(aStep, bk, s0);
                s1 = MathF.FusedMultiplyAdd(Unsafe.Add(ref aStep, aRow), bk, s1);
                s2 = MathF.FusedMultiplyAdd(Unsafe.Add(ref aStep, 2 * aRow), bk, s2);
                s3 = MathF.FusedMultiplyAdd(Unsafe.Add(ref aStep, 3 * aRow), bk, s3);
            }
            (c0, Unsafe.Add(ref c0, cRow), Unsafe.Add(ref c0, 2 * cRow), Unsafe.Add(ref c0, 3 * cRow)) = (s0, s1, s2, s3);
        }
        for (; row < m; row++)
        {
            float sum = fromStart ? Row(in start, row) : accumulate ? Unsafe.Add(ref c, row * cRow + column) : 0f;
            for (int step = 0; step < k; step++)
                sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref Unsafe.AsRef(in a), row * aRow + step * aColumn), Unsafe.Add(ref bColumn, step * bRow), sum);
            Unsafe.Add(ref c, row * cRow + column) = sum;
        }
    }

    /// <summary>The whole panels of <typeparamref name="TWidth"/> vectors of columns from <paramref name="column"/> on, which it moves past them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Panels<TVector, TMath, TWidth>(ref int column, int m, int n, int k, ref readonly float a, nint aRow, nint aColumn,
        ref readonly float b, nint bRow, ref float c, nint cRow, bool accumulate, ref readonly float start)
        where TVector : struct where TMath : ILaneMath<TVector> where TWidth : struct, ITileWidth
    {
        int width = TWidth.Vectors * TMath.Count;
        for (; column <= n - width; column += width)
        {
            int row = 0;
            for (; row <= m - TileRows; row += TileRows)
                Tile<TVector, TMath, TWidth>(k, in Unsafe.Add(ref Unsafe.AsRef(in a), row * aRow), aRow, aColumn,
                    in Unsafe.Add(ref Unsafe.AsRef(in b), column), bRow, ref Unsafe.Add(ref c, row * cRow + column), cRow, accumulate, in StartOf(in start, row));
            for (; row < m; row++)
                TileRow<TVector, TMath, TWidth>(k, in Unsafe.Add(ref Unsafe.AsRef(in a), row * aRow), aColumn,
                    in Unsafe.Add(ref Unsafe.AsRef(in b), column), bRow, ref Unsafe.Add(ref c, row * cRow + column), accumulate, in StartOf(in start, row));
        }
    }

    /// <summary>
    /// The register tile of 4 rows × <typeparamref name="TWidth"/> vectors (1 to 4): 4 to 16 independent FMA chains,
    /// a load of each vector of B and a broadcast of each of the 4 values of A a step. The accumulators are named locals
    /// (the JIT keeps only those in registers); <typeparamref name="TWidth"/> is a constant to the JIT, which drops the
    /// accumulators and FMAs of the columns a narrower tile does not have.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TVector, TMath, TWidth>(int k, ref readonly float a, nint aRow, nint aColumn, ref readonly float b, nint bRow,
        ref float c, nint cRow, bool accumulate, ref readonly float start) where TVector : struct where TMath : ILaneMath<TVector> where TWidth : struct, ITileWidth
    {
        int lanes = TMath.Count;
        bool two = TWidth.Vectors >= 2, three = TWidth.Vectors >= 3, four = TWidth.Vectors == 4;
        ref TVector c0 = ref As<TVector>(ref c);
        ref TVector c1 = ref As<TVector>(ref Unsafe.Add(ref c, cRow));
        ref TVector c2 = ref As<TVector>(ref Unsafe.Add(ref c, 2 * cRow));
        ref TVector c3 = ref As<TVector>(ref Unsafe.Add(ref c, 3 * cRow));
        TVector s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        TVector s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        if (!Unsafe.IsNullRef(in start))
        {
            (s00, s10, s20, s30) = (TMath.Create(start), TMath.Create(Row(in start, 1)), TMath.Create(Row(in start, 2)), TMath.Create(Row(in start, 3)));
            if (two) (s01, s11, s21, s31) = (s00, s10, s20, s30);
            if (three) (s02, s12, s22, s32) = (s00, s10, s20, s30);
            if (four) (s03, s13, s23, s33) = (s00, s10, s20, s30);
        }
        else if (accumulate)
        {
            (s00, s10, s20, s30) = (c0, c1, c2, c3);
            if (two) (s01, s11, s21, s31) = (Unsafe.Add(ref c0, 1), Unsafe.Add(ref c1, 1), Unsafe.Add(ref c2, 1), Unsafe.Add(ref c3, 1));
            if (three) (s02, s12, s22, s32) = (Unsafe.Add(ref c0, 2), Unsafe.Add(ref c1, 2), Unsafe.Add(ref c2, 2), Unsafe.Add(ref c3, 2));
            if (four) (s03, s13, s23, s33) = (Unsafe.Add(ref c0, 3), Unsafe.Add(ref c1, 3), Unsafe.Add(ref c2, 3), Unsafe.Add(ref c3, 3));
        }
        ref float aStep = ref Unsafe.AsRef(in a);
        ref float bStep = ref Unsafe.AsRef(in b);
        for (int step = 0; step < k; step++, aStep = ref Unsafe.Add(ref aStep, aColumn), bStep = ref Unsafe.Add(ref bStep, bRow))
        {
            TVector b0 = As<TVector>(ref bStep);
            TVector b1 = two ? As<TVector>(ref Unsafe.Add(ref bStep, lanes)) : default;
            TVector b2 = three ? As<TVector>(ref Unsafe.Add(ref bStep, 2 * lanes)) : default;
            TVector b3 = four ? As<TVector>(ref Unsafe.Add(ref bStep, 3 * lanes)) : default;
            TVector a0 = TMath.Create(aStep);
            s00 = TMath.FusedMultiplyAdd(a0, b0, s00);
            if (two) s01 = TMath.FusedMultiplyAdd(a0, b1, s01);
            if (three) s02 = TMath.FusedMultiplyAdd(a0, b2, s02);
            if (four) s03 = TMath.FusedMultiplyAdd(a0, b3, s03);
            TVector a1 = TMath.Create(Unsafe.Add(ref aStep, aRow));
            s10 = TMath.FusedMultiplyAdd(a1, b0, s10);
            if (two) s11 = TMath.FusedMultiplyAdd(a1, b1, s11);
            if (three) s12 = TMath.FusedMultiplyAdd(a1, b2, s12);
            if (four) s13 = TMath.FusedMultiplyAdd(a1, b3, s13);
            TVector a2 = TMath.Create(Unsafe.Add(ref aStep, 2 * aRow));
            s20 = TMath.FusedMultiplyAdd(a2, b0, s20);
            if (two) s21 = TMath.FusedMultiplyAdd(a2, b1, s21);
            if (three) s22 = TMath.FusedMultiplyAdd(a2, b2, s22);
            if (four) s23 = TMath.FusedMultiplyAdd(a2, b3, s23);
            TVector a3 = TMath.Create(Unsafe.Add(ref aStep, 3 * aRow));
            s30 = TMath.FusedMultiplyAdd(a3, b0, s30);
            if (two) s31 = TMath.FusedMultiplyAdd(a3, b1, s31);
            if (three) s32 = TMath.FusedMultiplyAdd(a3, b2, s32);
            if (four) s33 = TMath.FusedMultiplyAdd(a3, b3, s33);
        }
        (c0, c1, c2, c3) = (s00, s10, s20, s30);
        if (two) (Unsafe.Add(ref c0, 1), Unsafe.Add(ref c1, 1), Unsafe.Add(ref c2, 1), Unsafe.Add(ref c3, 1)) = (s01, s11, s21, s31);
        if (three) (Unsafe.Add(ref c0, 2), Unsafe.Add(ref c1, 2), Unsafe.Add(ref c2, 2), Unsafe.Add(ref c3, 2)) = (s02, s12, s22, s32);
        if (four) (Unsafe.Add(ref c0, 3), Unsafe.Add(ref c1, 3), Unsafe.Add(ref c2, 3), Unsafe.Add(ref c3, 3)) = (s03, s13, s23, s33);
    }

    /// <summary>
    /// One row of the result by <typeparamref name="TWidth"/> vectors of columns (the rows after the last whole tile):
    /// one FMA chain per vector, all advancing in the same step, so the row is not bound by one chain's latency.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileRow<TVector, TMath, TWidth>(int k, ref readonly float a, nint aColumn, ref readonly float b, nint bRow,
        ref float c, bool accumulate, ref readonly float start) where TVector : struct where TMath : ILaneMath<TVector> where TWidth : struct, ITileWidth
    {
        int lanes = TMath.Count;
        bool two = TWidth.Vectors >= 2, three = TWidth.Vectors >= 3, four = TWidth.Vectors == 4;
        ref TVector c0 = ref As<TVector>(ref c);
        TVector s0 = default, s1 = default, s2 = default, s3 = default;
        if (!Unsafe.IsNullRef(in start))
            s0 = s1 = s2 = s3 = TMath.Create(start);
        else if (accumulate)
        {
            s0 = c0;
            if (two) s1 = Unsafe.Add(ref c0, 1);
            if (three) s2 = Unsafe.Add(ref c0, 2);
            if (four) s3 = Unsafe.Add(ref c0, 3);
        }
        ref float aStep = ref Unsafe.AsRef(in a);
        ref float bStep = ref Unsafe.AsRef(in b);
        for (int step = 0; step < k; step++, aStep = ref Unsafe.Add(ref aStep, aColumn), bStep = ref Unsafe.Add(ref bStep, bRow))
        {
            TVector a0 = TMath.Create(aStep);
            s0 = TMath.FusedMultiplyAdd(a0, As<TVector>(ref bStep), s0);
            if (two) s1 = TMath.FusedMultiplyAdd(a0, As<TVector>(ref Unsafe.Add(ref bStep, lanes)), s1);
            if (three) s2 = TMath.FusedMultiplyAdd(a0, As<TVector>(ref Unsafe.Add(ref bStep, 2 * lanes)), s2);
            if (four) s3 = TMath.FusedMultiplyAdd(a0, As<TVector>(ref Unsafe.Add(ref bStep, 3 * lanes)), s3);
        }
        c0 = s0;
        if (two) Unsafe.Add(ref c0, 1) = s1;
        if (three) Unsafe.Add(ref c0, 2) = s2;
        if (four) Unsafe.Add(ref c0, 3) = s3;
    }

    /// <summary>Row <paramref name="row"/>'s starting value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Row(ref readonly float start, int row) => Unsafe.Add(ref Unsafe.AsRef(in start), row);

    /// <summary>The starting values from row <paramref name="row"/> on; a null reference stays one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref readonly float StartOf(ref readonly float start, int row) =>
        ref Unsafe.IsNullRef(in start) ? ref start : ref Unsafe.Add(ref Unsafe.AsRef(in start), row);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref TVector As<TVector>(ref float value) where TVector : struct => ref Unsafe.As<float, TVector>(ref value);

    /// <summary>Vectors of columns in a register tile, as a type argument: a constant to the JIT.</summary>
    private interface ITileWidth
    {
        static abstract int Vectors { get; }
    }

    private readonly struct OneVector : ITileWidth
    {
        public static int Vectors => 1;
    }

    private readonly struct TwoVectors : ITileWidth
    {
        public static int Vectors => 2;
    }

    private readonly struct ThreeVectors : ITileWidth
    {
        public static int Vectors => 3;
    }

    private readonly struct FourVectors : ITileWidth
    {
        public static int Vectors => 4;
    }

    // The check inlines into every kernel, the throw does not (its message would keep the check out of line).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckBlock(int length, int features, int columns, string name)
    {
        if (length != features * RowsPerPass || columns > RowsPerPass) ThrowBlockDisagrees(length, features, columns, name);
    }

    [DoesNotReturn]
    private static void ThrowBlockDisagrees(int length, int features, int columns, string name) =>
        throw new ArgumentException($"A block of {features} features × {RowsPerPass} samples holds {features * RowsPerPass} values, not {length} (columns {columns}).", name);
}
