using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HiddenSpace.Kernels;

/// <summary>
/// Moving data into and out of the lane layout of the generated batch path, where one lane vector (see
/// <see cref="ILaneMath{TVector}"/>) holds the same value (an input feature, a neuron, a gradient) for a lane of samples.
/// The kernels a lane-form pass calls (here, and the lane activation and loss kernels) are compiled optimised on their
/// first call, as the generated layer methods are (<c>AggressiveOptimization</c>), not tiered: with tiering, the seed
/// network's epoch at batch 256 took 118–125 µs against 100–102 µs with the kernels compiled once (the medians of 8–10
/// processes a build, alternating, AVX-512; benchmarks/RESULTS.md, "kernels outside tiering"). The tier-1 code that
/// profile-guided optimisation writes for them depends on each process's profile (AccumulateOuterProducts inlined its
/// transposes at tier 1, doubling its code), and the epoch time with it moved between processes.
/// </summary>
public static class LaneKernels
{
    /// <summary>
    /// Samples per lane vector on this machine: the widest accelerated width, 16 with AVX-512, 8 with AVX2, 4 with
    /// SSE or NEON (ARM64), 0 without vector hardware. No setting changes it; the JIT treats it as a constant.
    /// </summary>
    public static int Lanes =>
        Vector512.IsHardwareAccelerated ? Vector512<float>.Count
        : Vector256.IsHardwareAccelerated ? Vector256<float>.Count
        : Vector128.IsHardwareAccelerated ? Vector128<float>.Count
        : 0;

    /// <summary>
    /// Rows the generated lane form takes in one pass: two lane groups. A batch (or a shard of one) that is a
    /// multiple of this runs in whole passes; any other runs a last pass padded with zero rows.
    /// </summary>
    public static int RowsPerPass => Math.Max(2 * Lanes, 1);

    /// <summary>
    /// The rows of a batch of <paramref name="rows"/> the generated lane form takes: all of them once they fill a lane
    /// group (a last, partial pass is padded with zero rows, whose loss and gradients are masked out: see
    /// <see cref="WithoutPadding{TVector}"/>); none for a smaller batch, which the per-sample code runs in less time, or
    /// without vector hardware.
    /// </summary>
    public static int LaneRows(int rows) => Lanes == 0 || rows < Lanes ? 0 : rows;

    /// <summary>
    /// Transposes <c>Count</c> row-major rows of <paramref name="width"/> values into <paramref name="width"/>
    /// lane vectors: lanes[i][r] = rows[r·width + i].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose<TVector>(ReadOnlySpan<float> rows, int width, Span<TVector> lanes) where TVector : struct
    {
        int count = Unsafe.SizeOf<TVector>() / sizeof(float);
        CheckShape(rows.Length, count, width, lanes.Length);
        Span<float> flat = MemoryMarshal.Cast<TVector, float>(lanes);
        if (width == 1)
        {
            rows.CopyTo(flat);
            return;
        }
        if (width == 2)
        {
            TransposePairs(rows, lanes);
            return;
        }
        ref float to = ref MemoryMarshal.GetReference(flat);
        // Wider rows by square blocks of shuffles: the Count rows' next Count values loaded as vectors, transposed in
        // registers, and the block's columns inside the rows' width stored as whole lane vectors (the loop below writes
        // Count × width single floats, and the layer that loads the vectors next waits for them to land).
        if (typeof(TVector) == typeof(Vector512<float>) && Avx512F.IsSupported)
        {
            TransposeRows16(rows, width, ref to);
            return;
        }
        if (typeof(TVector) == typeof(Vector256<float>) && Avx2.IsSupported)
        {
            for (int c = 0; c < width; c += 8)
                MatrixKernels.Transpose8x8(Row8(rows, c), Row8(rows, width + c), Row8(rows, 2 * width + c), Row8(rows, 3 * width + c),
                    Row8(rows, 4 * width + c), Row8(rows, 5 * width + c), Row8(rows, 6 * width + c), Row8(rows, 7 * width + c),
                    ref Unsafe.Add(ref to, c * 8), 8, Math.Min(8, width - c));
            return;
        }
        // Unchecked: CheckShape has matched both lengths to count × width. Each vector is written in order.
        ref float from = ref MemoryMarshal.GetReference(rows);
        for (int i = 0; i < width; i++)
            for (int r = 0; r < count; r++)
                Unsafe.Add(ref to, i * count + r) = Unsafe.Add(ref from, r * width + i);
    }

    /// <summary>
    /// <see cref="Transpose{TVector}(ReadOnlySpan{float}, int, Span{TVector})"/> at 16 lanes, by 16 × 16 blocks. A
    /// method of its own: inside <c>Transpose</c>, whose other widths' paths share its inlining budget, the JIT left
    /// the block's helpers as calls that pass their vectors through the stack.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void TransposeRows16(ReadOnlySpan<float> rows, int width, ref float to)
    {
        for (int c = 0; c < width; c += 16)
            Transpose16x16(rows, c, width, ref Unsafe.Add(ref to, c * 16), 16, Math.Min(16, width - c));
    }

    /// <summary>
    /// Rows of two values (the 2-D points of the seed experiments) into two lane vectors in registers: two loads, four
    /// shuffles and two blends, where the general loop moves 2 × Count floats one at a time (4.2× faster for 16 lanes,
    /// and the layer that reads the vectors next no longer waits for 16 single-float stores to land).
    /// </summary>
    // Inlined into Transpose, which calls it for every pass of the seed net (its own call was 0.7 % of its inference).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposePairs<TVector>(ReadOnlySpan<float> rows, Span<TVector> lanes) where TVector : struct
    {
        if (typeof(TVector) == typeof(Vector512<float>))
        {
            Vector512<float> v0 = Vector512.Create(rows), v1 = Vector512.Create(rows[16..]);
            Vector512<int> even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 0, 2, 4, 6, 8, 10, 12, 14), odd = even + Vector512<int>.One;
            Vector512<float> low = Vector512.Create(-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0).AsSingle();
            lanes[0] = Unsafe.BitCast<Vector512<float>, TVector>(Vector512.ConditionalSelect(low, Vector512.Shuffle(v0, even), Vector512.Shuffle(v1, even)));
            lanes[1] = Unsafe.BitCast<Vector512<float>, TVector>(Vector512.ConditionalSelect(low, Vector512.Shuffle(v0, odd), Vector512.Shuffle(v1, odd)));
        }
        else if (typeof(TVector) == typeof(Vector256<float>))
        {
            Vector256<float> v0 = Vector256.Create(rows), v1 = Vector256.Create(rows[8..]);
            Vector256<int> even = Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6), odd = even + Vector256<int>.One;
            Vector256<float> low = Vector256.Create(-1, -1, -1, -1, 0, 0, 0, 0).AsSingle();
            lanes[0] = Unsafe.BitCast<Vector256<float>, TVector>(Vector256.ConditionalSelect(low, Vector256.Shuffle(v0, even), Vector256.Shuffle(v1, even)));
            lanes[1] = Unsafe.BitCast<Vector256<float>, TVector>(Vector256.ConditionalSelect(low, Vector256.Shuffle(v0, odd), Vector256.Shuffle(v1, odd)));
        }
        else
        {
            Vector128<float> v0 = Vector128.Create(rows), v1 = Vector128.Create(rows[4..]);
            Vector128<int> even = Vector128.Create(0, 2, 0, 2), odd = even + Vector128<int>.One;
            Vector128<float> low = Vector128.Create(-1, -1, 0, 0).AsSingle();
            lanes[0] = Unsafe.BitCast<Vector128<float>, TVector>(Vector128.ConditionalSelect(low, Vector128.Shuffle(v0, even), Vector128.Shuffle(v1, even)));
            lanes[1] = Unsafe.BitCast<Vector128<float>, TVector>(Vector128.ConditionalSelect(low, Vector128.Shuffle(v0, odd), Vector128.Shuffle(v1, odd)));
        }
    }

    /// <summary>
    /// <see cref="Transpose{TVector}(ReadOnlySpan{float}, int, Span{TVector})"/> of the <c>Count</c> rows from row
    /// <paramref name="first"/> of <paramref name="rows"/>, where the rows past its end read as zeros (a lane-form pass
    /// over the end of a batch): lanes[i][r] = rows[(first + r)·width + i], or 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose<TVector>(ReadOnlySpan<float> rows, int first, int width, Span<TVector> lanes) where TVector : struct
    {
        int count = Unsafe.SizeOf<TVector>() / sizeof(float), available = Available(rows.Length, first, width, count);
        if (available == count)
        {
            Transpose(rows.Slice(first * width, count * width), width, lanes);
            return;
        }
        CheckShape(count * width, count, width, lanes.Length);
        Span<float> flat = MemoryMarshal.Cast<TVector, float>(lanes);
        flat.Clear();
        for (int i = 0; i < width; i++)
            for (int r = 0; r < available; r++)
                flat[i * count + r] = rows[(first + r) * width + i];
    }

    /// <summary>
    /// <see cref="Untranspose{TVector}(ReadOnlySpan{TVector}, int, Span{float})"/> into the rows from row
    /// <paramref name="first"/> of <paramref name="rows"/>, as many as it holds: the lanes past its end (a pass's padding)
    /// are not written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Untranspose<TVector>(ReadOnlySpan<TVector> lanes, int width, Span<float> rows, int first) where TVector : struct
    {
        int count = Unsafe.SizeOf<TVector>() / sizeof(float), available = Available(rows.Length, first, width, count);
        if (available == count && width == 1)
        {
            // One output (the seed net's every pass) stored here, without the general method's call (this and
            // TransposePairs inlined: the seed net's batched inference 1.3 % faster, probe, Zen 5).
            StoreSingle(lanes[0], rows.Slice(first, count));
            return;
        }
        if (available == count)
        {
            Untranspose(lanes, width, rows.Slice(first * width, count * width));
            return;
        }
        CheckShape(count * width, count, width, lanes.Length);
        ReadOnlySpan<float> flat = MemoryMarshal.Cast<TVector, float>(lanes);
        for (int r = 0; r < available; r++)
            for (int i = 0; i < width; i++)
                rows[(first + r) * width + i] = flat[i * count + r];
    }

    /// <summary>
    /// A lane group's loss with its padding masked out: the lanes from <paramref name="live"/> on (rows past the end of
    /// the batch) get 0 in the returned per-lane losses and in every vector of <paramref name="deltas"/>, the output
    /// layer's loss gradient, so the backward pass adds nothing for them. A whole group (<paramref name="live"/> ≥
    /// <c>Count</c>) is returned as it is.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector WithoutPadding<TVector>(TVector loss, Span<TVector> deltas, int live) where TVector : struct =>
        live >= Unsafe.SizeOf<TVector>() / sizeof(float) ? loss : MaskPadding(loss, deltas, Math.Max(live, 0));

    private static TVector MaskPadding<TVector>(TVector loss, Span<TVector> deltas, int live) where TVector : struct
    {
        int count = Unsafe.SizeOf<TVector>() / sizeof(float);
        MemoryMarshal.CreateSpan(ref Unsafe.As<TVector, float>(ref loss), count)[live..].Clear();
        Span<float> flat = MemoryMarshal.Cast<TVector, float>(deltas);
        for (int v = 0; v < deltas.Length; v++) flat.Slice(v * count + live, count - live).Clear();
        return loss;
    }

    /// <summary>
    /// Rows of <paramref name="width"/> values from row <paramref name="first"/> of <paramref name="values"/>, at most
    /// <paramref name="count"/>; a whole group, every pass but a batch's last, is found without a division.
    /// </summary>
    // Inlined: as a call, ~1 ns a lane group, 1.9 % of the seed net's batched inference (probe, Zen 5).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Available(int values, int first, int width, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        return (long)(first + count) * width <= values ? count : Math.Clamp(values / width - first, 0, count);
    }

    // Transpose's mirror image, written out: a loop each way reads more plainly than one loop with a direction flag.
    /// <summary>
    /// The inverse of <see cref="Transpose{TVector}(ReadOnlySpan{float}, int, Span{TVector})"/>: writes
    /// <paramref name="width"/> lane vectors back as <c>Count</c> row-major rows: rows[r·width + i] = lanes[i][r].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Untranspose<TVector>(ReadOnlySpan<TVector> lanes, int width, Span<float> rows) where TVector : struct
    {
        int count = Unsafe.SizeOf<TVector>() / sizeof(float);
        CheckShape(rows.Length, count, width, lanes.Length);
        ReadOnlySpan<float> flat = MemoryMarshal.Cast<TVector, float>(lanes);
        if (width == 1)
        {
            StoreSingle(lanes[0], rows);
            return;
        }
        if (width == 2)
        {
            UntransposePairs(lanes, rows);
            return;
        }
        if (width < count && UntransposePlan<TVector>.Permutes)
        {
            UntransposeByPermutes(lanes, width, rows);
            return;
        }
        ref float from = ref MemoryMarshal.GetReference(flat);
        ref float to = ref MemoryMarshal.GetReference(rows);
        for (int r = 0; r < count; r++)
            for (int i = 0; i < width; i++)
                Unsafe.Add(ref to, r * width + i) = Unsafe.Add(ref from, i * count + r);
    }

    /// <summary>
    /// One lane vector as the Count rows of one value it holds, into <paramref name="rows"/> (Count values: both callers
    /// check it): one store (a copy call cost more than the store for 16 floats).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSingle<TVector>(TVector lane, Span<float> rows) where TVector : struct =>
        Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref MemoryMarshal.GetReference(rows)), lane);

    /// <summary>
    /// Untranspose of 3 to Count − 1 lane vectors (a few classes' outputs, a narrow tap) by permutes: element e of output
    /// vector k is value p = k·Count + e of the rows, row p / width of lane vector p % width, so each output vector is
    /// the lane vectors permuted by the rows' indices and merged by the lane vectors' (AVX-512: two lane vectors a
    /// permute, of 32 values), where the value-by-value loop moved each float alone (probe, Zen 5, one call: 16 lanes, 3
    /// vectors 29.5 -> 8.4 ns, 10 vectors 87.1 -> 44.5 ns; 8 lanes, 3 vectors 14.0 -> 5.6 ns. A 13-16-16-2-3 network's
    /// ForwardBatch of 4,096 rows 49.2 -> 43.7 µs with AVX-512, its training epoch through Trainer.Train 192.8 -> 187.2 µs).
    /// </summary>
    private static void UntransposeByPermutes<TVector>(ReadOnlySpan<TVector> lanes, int width, Span<float> rows) where TVector : struct
    {
        // The lengths were checked by Untranspose; the plan holds 2 · Count indices for each of the width output vectors.
        int count = Unsafe.SizeOf<TVector>() / sizeof(float), sources = UntransposePlan<TVector>.Sources(width);
        ReadOnlySpan<int> plan = UntransposePlan<TVector>.For(width);
        ref TVector source = ref MemoryMarshal.GetReference(lanes);
        ref int indices = ref MemoryMarshal.GetReference(plan);
        ref float to = ref MemoryMarshal.GetReference(rows);
        for (int k = 0; k < width; k++, indices = ref Unsafe.Add(ref indices, 2 * count))
        {
            if (typeof(TVector) == typeof(Vector512<float>))
            {
                ref Vector512<float> from = ref Unsafe.As<TVector, Vector512<float>>(ref source);
                Vector512<int> merge = Vector512.LoadUnsafe(ref indices), index = Vector512.LoadUnsafe(ref indices, 16);
                Vector512<float> value = Avx512F.PermuteVar16x32x2(from, index, Unsafe.Add(ref from, 1));
                for (int j = 1; j < sources; j++)
                {
                    // An odd width's last pair has one vector: the second table is read by no element.
                    Vector512<float> pair = Avx512F.PermuteVar16x32x2(Unsafe.Add(ref from, 2 * j), index, Unsafe.Add(ref from, Math.Min(2 * j + 1, width - 1)));
                    value = Vector512.ConditionalSelect(Vector512.Equals(merge, Vector512.Create(j)).AsSingle(), pair, value);
                }
                Vector512.StoreUnsafe(value, ref to, (nuint)(k * 16));
            }
            else
            {
                ref Vector256<float> from = ref Unsafe.As<TVector, Vector256<float>>(ref source);
                Vector256<int> merge = Vector256.LoadUnsafe(ref indices), row = Vector256.LoadUnsafe(ref indices, 8);
                Vector256<float> value = Avx2.PermuteVar8x32(from, row);
                for (int i = 1; i < sources; i++)
                    value = Vector256.ConditionalSelect(Vector256.Equals(merge, Vector256.Create(i)).AsSingle(), Avx2.PermuteVar8x32(Unsafe.Add(ref from, i), row), value);
                Vector256.StoreUnsafe(value, ref to, (nuint)(k * 8));
            }
        }
    }

    /// <summary>
    /// <see cref="UntransposeByPermutes"/>'s index vectors for each width from 3 to Count − 1, where the machine permutes
    /// <typeparamref name="TVector"/> by a vector of indices (AVX-512 for 16 lanes, two vectors at a time; AVX2 for 8).
    /// </summary>
    private static class UntransposePlan<TVector> where TVector : struct
    {
        private static readonly int s_count = Unsafe.SizeOf<TVector>() / sizeof(float);
        private static readonly bool s_pairs = typeof(TVector) == typeof(Vector512<float>);

        /// <summary>Whether <see cref="UntransposeByPermutes"/> runs for <typeparamref name="TVector"/> here.</summary>
        public static bool Permutes =>
            typeof(TVector) == typeof(Vector512<float>) ? Avx512F.IsSupported : typeof(TVector) == typeof(Vector256<float>) && Avx2.IsSupported;

        // Width w's plan: for each output vector k, the permute each element comes from (Count values), then the Count
        // indices every permute takes: the element's row, plus Count where it is in the second vector of a pair.
        private static readonly int[][] s_plans = Permutes ? [.. Enumerable.Range(3, s_count - 3).Select(Plan)] : [];

        /// <summary>Permutes an output vector takes: one for each lane vector, or each pair of them.</summary>
        public static int Sources(int width) => s_pairs ? (width + 1) / 2 : width;

        /// <summary>The plan of <paramref name="width"/> lane vectors, 3 ≤ width &lt; Count.</summary>
        public static ReadOnlySpan<int> For(int width) => s_plans[width - 3];

        private static int[] Plan(int width)
        {
            var plan = new int[2 * width * s_count];
            for (int k = 0; k < width; k++)
                for (int e = 0; e < s_count; e++)
                {
                    int p = k * s_count + e, row = p / width, vector = p % width;
                    plan[2 * k * s_count + e] = s_pairs ? vector / 2 : vector;
                    plan[(2 * k + 1) * s_count + e] = s_pairs && vector % 2 == 1 ? row + s_count : row;
                }
            return plan;
        }
    }

    /// <summary>The inverse of <see cref="TransposePairs"/>: two lane vectors back into rows of two values (a 2-unit tap's points), by shuffles.</summary>
    private static void UntransposePairs<TVector>(ReadOnlySpan<TVector> lanes, Span<float> rows) where TVector : struct
    {
        if (typeof(TVector) == typeof(Vector512<float>))
        {
            Vector512<float> x = Unsafe.BitCast<TVector, Vector512<float>>(lanes[0]), y = Unsafe.BitCast<TVector, Vector512<float>>(lanes[1]);
            Vector512<int> low = Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7), high = low + Vector512.Create(8);
            Vector512<float> even = Vector512.Create(-1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0).AsSingle();
            Vector512.ConditionalSelect(even, Vector512.Shuffle(x, low), Vector512.Shuffle(y, low)).CopyTo(rows);
            Vector512.ConditionalSelect(even, Vector512.Shuffle(x, high), Vector512.Shuffle(y, high)).CopyTo(rows[16..]);
        }
        else if (typeof(TVector) == typeof(Vector256<float>))
        {
            Vector256<float> x = Unsafe.BitCast<TVector, Vector256<float>>(lanes[0]), y = Unsafe.BitCast<TVector, Vector256<float>>(lanes[1]);
            Vector256<int> low = Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3), high = low + Vector256.Create(4);
            Vector256<float> even = Vector256.Create(-1, 0, -1, 0, -1, 0, -1, 0).AsSingle();
            Vector256.ConditionalSelect(even, Vector256.Shuffle(x, low), Vector256.Shuffle(y, low)).CopyTo(rows);
            Vector256.ConditionalSelect(even, Vector256.Shuffle(x, high), Vector256.Shuffle(y, high)).CopyTo(rows[8..]);
        }
        else
        {
            Vector128<float> x = Unsafe.BitCast<TVector, Vector128<float>>(lanes[0]), y = Unsafe.BitCast<TVector, Vector128<float>>(lanes[1]);
            Vector128<int> low = Vector128.Create(0, 0, 1, 1), high = low + Vector128.Create(2);
            Vector128<float> even = Vector128.Create(-1, 0, -1, 0).AsSingle();
            Vector128.ConditionalSelect(even, Vector128.Shuffle(x, low), Vector128.Shuffle(y, low)).CopyTo(rows);
            Vector128.ConditionalSelect(even, Vector128.Shuffle(x, high), Vector128.Shuffle(y, high)).CopyTo(rows[4..]);
        }
    }

    /// <summary>
    /// A layer's weight gradients summed over both lane groups of a pass, straight into the network's gradients:
    /// dw[i·fanIn + j] += Σ over the lanes of dz[i] · x[j], for each group's <c>units</c> = dz.Length vectors of dz (the
    /// layer's dz) and <c>fanIn</c> = x.Length vectors of x (its input). Each group's inputs are first written as rows
    /// (one per lane, square blocks by shuffles, each row padded to whole vectors: <see cref="OuterProductRowValues"/>)
    /// into <paramref name="xRows"/>; then each weight row takes, per lane, a broadcast dz times that lane's row (group
    /// A's lanes, then B's): no per-lane gradient copy to reduce later. Four weight rows at a time share each loaded
    /// input row, two vectors of each where the fan-in has them (sixteen rows of one vector with AVX-512, for a core
    /// with two 512-bit FMA pipes); a fan-in that is not whole vectors ends in one vector
    /// per row loaded and stored under a mask (AVX-512; value by value otherwise). Each weight's sum is the same chain
    /// of FMAs whichever way its column goes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateOuterProducts<TVector, TMath>(ReadOnlySpan<TVector> dzA, ReadOnlySpan<TVector> xA,
        ReadOnlySpan<TVector> dzB, ReadOnlySpan<TVector> xB, Span<float> xRows, Span<float> dw)
        where TVector : struct where TMath : ILaneMath<TVector>
    {
        int lanes = TMath.Count, units = dzA.Length, fanIn = xA.Length, stride = RowStride(fanIn, lanes), group = lanes * stride;
        if (fanIn == 0 || dzB.Length != units || xB.Length != fanIn || dw.Length != units * fanIn || xRows.Length < 2 * group)
            ThrowOuterProductShape(units, fanIn, lanes, xRows.Length, dw.Length);
        TransposeSquares(xA, xRows[..group], stride);
        TransposeSquares(xB, xRows.Slice(group, group), stride);
        ref float deltasA = ref Unsafe.As<TVector, float>(ref MemoryMarshal.GetReference(dzA));
        ref float deltasB = ref Unsafe.As<TVector, float>(ref MemoryMarshal.GetReference(dzB));
        ref float rows = ref MemoryMarshal.GetReference(xRows);
        ref float w = ref MemoryMarshal.GetReference(dw);
        int j = 0, whole = fanIn - fanIn % lanes;
        // Two vectors of each weight row at a time where the fan-in has them: each broadcast dz then feeds two FMAs, so
        // a lane's step loads 6 values for 8 FMAs instead of 5 for 4 (the loads, not the FMAs, bound the one-vector
        // block with 256-bit vectors). The same sums in the same order as one vector at a time.
        for (; j <= whole - 2 * lanes; j += 2 * lanes)
        {
            int i = 0;
            for (; i <= units - 4; i += 4)
            {
                ref float w0 = ref Unsafe.Add(ref w, i * fanIn + j);
                TVector s0 = VectorMemory.Load<TVector>(ref w0, 0), s1 = VectorMemory.Load<TVector>(ref w0, fanIn), s2 = VectorMemory.Load<TVector>(ref w0, 2 * fanIn), s3 = VectorMemory.Load<TVector>(ref w0, 3 * fanIn);
                TVector t0 = VectorMemory.Load<TVector>(ref w0, lanes), t1 = VectorMemory.Load<TVector>(ref w0, fanIn + lanes), t2 = VectorMemory.Load<TVector>(ref w0, 2 * fanIn + lanes), t3 = VectorMemory.Load<TVector>(ref w0, 3 * fanIn + lanes);
                AddFourRowPairs<TVector, TMath>(ref Unsafe.Add(ref deltasA, i * lanes), ref Unsafe.Add(ref rows, j), stride, ref s0, ref s1, ref s2, ref s3, ref t0, ref t1, ref t2, ref t3);
                AddFourRowPairs<TVector, TMath>(ref Unsafe.Add(ref deltasB, i * lanes), ref Unsafe.Add(ref rows, group + j), stride, ref s0, ref s1, ref s2, ref s3, ref t0, ref t1, ref t2, ref t3);
                VectorMemory.Store(s0, ref w0, 0);
                VectorMemory.Store(s1, ref w0, fanIn);
                VectorMemory.Store(s2, ref w0, 2 * fanIn);
                VectorMemory.Store(s3, ref w0, 3 * fanIn);
                VectorMemory.Store(t0, ref w0, lanes);
                VectorMemory.Store(t1, ref w0, fanIn + lanes);
                VectorMemory.Store(t2, ref w0, 2 * fanIn + lanes);
                VectorMemory.Store(t3, ref w0, 3 * fanIn + lanes);
            }
            for (; i < units; i++)
                for (int half = 0; half < 2 * lanes; half += lanes)
                    AddRowOfBothGroups<TVector, TMath>(ref Unsafe.Add(ref deltasA, i * lanes), ref Unsafe.Add(ref deltasB, i * lanes), ref rows, group, j + half, stride, ref Unsafe.Add(ref w, i * fanIn + j + half));
        }
        // The one-vector block is its own copy: one block generic over the width, the second vector's accumulators
        // passed by reference and unused here, made the seed epoch ~4 % slower with AVX-512 (probe, 2026-12-03).
        for (; j < whole; j += lanes)
        {
            int i = 0;
            // Sixteen weight rows at a time with AVX-512's 32 registers: a core with two 512-bit FMA pipes needs more
            // than the four chains of a 4-cycle FMA that fill one (the Zen 5, probe, seed epoch: batch 256 94.7-97.2 us
            // against 97.8-101.3 with blocks of 8 rows, batch 32 124.8-128.1 against 127.2-130.3).
            for (; typeof(TVector) == typeof(Vector512<float>) && i <= units - 16; i += 16)
            {
                ref float w0 = ref Unsafe.Add(ref w, i * fanIn + j);
                TVector s0 = VectorMemory.Load<TVector>(ref w0, 0), s1 = VectorMemory.Load<TVector>(ref w0, fanIn), s2 = VectorMemory.Load<TVector>(ref w0, 2 * fanIn), s3 = VectorMemory.Load<TVector>(ref w0, 3 * fanIn);
                TVector s4 = VectorMemory.Load<TVector>(ref w0, 4 * fanIn), s5 = VectorMemory.Load<TVector>(ref w0, 5 * fanIn), s6 = VectorMemory.Load<TVector>(ref w0, 6 * fanIn), s7 = VectorMemory.Load<TVector>(ref w0, 7 * fanIn);
                TVector s8 = VectorMemory.Load<TVector>(ref w0, 8 * fanIn), s9 = VectorMemory.Load<TVector>(ref w0, 9 * fanIn), s10 = VectorMemory.Load<TVector>(ref w0, 10 * fanIn), s11 = VectorMemory.Load<TVector>(ref w0, 11 * fanIn);
                TVector s12 = VectorMemory.Load<TVector>(ref w0, 12 * fanIn), s13 = VectorMemory.Load<TVector>(ref w0, 13 * fanIn), s14 = VectorMemory.Load<TVector>(ref w0, 14 * fanIn), s15 = VectorMemory.Load<TVector>(ref w0, 15 * fanIn);
                AddSixteenRows<TVector, TMath>(ref Unsafe.Add(ref deltasA, i * lanes), ref Unsafe.Add(ref rows, j), stride, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7,
                    ref s8, ref s9, ref s10, ref s11, ref s12, ref s13, ref s14, ref s15);
                AddSixteenRows<TVector, TMath>(ref Unsafe.Add(ref deltasB, i * lanes), ref Unsafe.Add(ref rows, group + j), stride, ref s0, ref s1, ref s2, ref s3, ref s4, ref s5, ref s6, ref s7,
                    ref s8, ref s9, ref s10, ref s11, ref s12, ref s13, ref s14, ref s15);
                VectorMemory.Store(s0, ref w0, 0);
                VectorMemory.Store(s1, ref w0, fanIn);
                VectorMemory.Store(s2, ref w0, 2 * fanIn);
                VectorMemory.Store(s3, ref w0, 3 * fanIn);
                VectorMemory.Store(s4, ref w0, 4 * fanIn);
                VectorMemory.Store(s5, ref w0, 5 * fanIn);
                VectorMemory.Store(s6, ref w0, 6 * fanIn);
                VectorMemory.Store(s7, ref w0, 7 * fanIn);
                VectorMemory.Store(s8, ref w0, 8 * fanIn);
                VectorMemory.Store(s9, ref w0, 9 * fanIn);
                VectorMemory.Store(s10, ref w0, 10 * fanIn);
                VectorMemory.Store(s11, ref w0, 11 * fanIn);
                VectorMemory.Store(s12, ref w0, 12 * fanIn);
                VectorMemory.Store(s13, ref w0, 13 * fanIn);
                VectorMemory.Store(s14, ref w0, 14 * fanIn);
                VectorMemory.Store(s15, ref w0, 15 * fanIn);
            }
            for (; i <= units - 4; i += 4)
            {
                ref float w0 = ref Unsafe.Add(ref w, i * fanIn + j);
                TVector s0 = VectorMemory.Load<TVector>(ref w0, 0), s1 = VectorMemory.Load<TVector>(ref w0, fanIn), s2 = VectorMemory.Load<TVector>(ref w0, 2 * fanIn), s3 = VectorMemory.Load<TVector>(ref w0, 3 * fanIn);
                AddFourRows<TVector, TMath>(ref Unsafe.Add(ref deltasA, i * lanes), ref Unsafe.Add(ref rows, j), stride, ref s0, ref s1, ref s2, ref s3);
                AddFourRows<TVector, TMath>(ref Unsafe.Add(ref deltasB, i * lanes), ref Unsafe.Add(ref rows, group + j), stride, ref s0, ref s1, ref s2, ref s3);
                VectorMemory.Store(s0, ref w0, 0);
                VectorMemory.Store(s1, ref w0, fanIn);
                VectorMemory.Store(s2, ref w0, 2 * fanIn);
                VectorMemory.Store(s3, ref w0, 3 * fanIn);
            }
            for (; i < units; i++)
                AddRowOfBothGroups<TVector, TMath>(ref Unsafe.Add(ref deltasA, i * lanes), ref Unsafe.Add(ref deltasB, i * lanes), ref rows, group, j, stride, ref Unsafe.Add(ref w, i * fanIn + j));
        }
        if (whole < fanIn)
            AddPartialColumns<TVector, TMath>(ref deltasA, ref deltasB, ref rows, group, stride, whole, fanIn, units, ref w);
    }

    /// <summary>
    /// Floats of the rows <see cref="AccumulateOuterProducts"/> writes both groups' inputs into for a fan-in of
    /// <paramref name="fanIn"/> at <paramref name="lanes"/> lanes: each lane's row padded to whole vectors.
    /// </summary>
    public static int OuterProductRowValues(int fanIn, int lanes) => 2 * lanes * RowStride(fanIn, lanes);

    /// <summary>A fan-in rounded up to whole vectors of <paramref name="lanes"/>: how far apart the outer products' input rows are.</summary>
    private static int RowStride(int fanIn, int lanes) => (fanIn + lanes - 1) / lanes * lanes;

    /// <summary>
    /// The last columns of every weight row, from <paramref name="first"/> to <paramref name="fanIn"/> (fewer than a
    /// vector): with AVX-512 the same four-row blocks as whole vectors, each row's vector loaded and stored under a mask
    /// (the padding lanes multiply the rows' padding and are never stored); otherwise value by value, the same FMA chain
    /// for each weight. (The generated code does not ask for partial columns at 8 lanes: there the per-lane copies
    /// measured faster for 13 inputs, with AVX's masked store or without it.)
    /// </summary>
    private static unsafe void AddPartialColumns<TVector, TMath>(ref float deltasA, ref float deltasB, ref float rows, int group, int stride,
        int first, int fanIn, int units, ref float w)
        where TVector : struct where TMath : ILaneMath<TVector>
    {
        int lanes = TMath.Count;
        if (typeof(TVector) != typeof(Vector512<float>) || !Avx512F.IsSupported)
        {
            for (int i = 0; i < units; i++)
                for (int j = first; j < fanIn; j++)
                {
                    ref float sum = ref Unsafe.Add(ref w, i * fanIn + j);
                    for (int lane = 0; lane < lanes; lane++)
                        sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref deltasA, i * lanes + lane), Unsafe.Add(ref rows, lane * stride + j), sum);
                    for (int lane = 0; lane < lanes; lane++)
                        sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref deltasB, i * lanes + lane), Unsafe.Add(ref rows, group + lane * stride + j), sum);
                }
            return;
        }
        TVector mask = VectorMemory.FirstLanes<TVector>(fanIn - first);
        int unit = 0;
        for (; unit <= units - 4; unit += 4)
        {
            // Pinned: the masked loads and stores take addresses.
            fixed (float* w0 = &Unsafe.Add(ref w, unit * fanIn + first))
            {
                TVector s0 = VectorMemory.MaskedLoad(w0, mask), s1 = VectorMemory.MaskedLoad(w0 + fanIn, mask), s2 = VectorMemory.MaskedLoad(w0 + 2 * fanIn, mask), s3 = VectorMemory.MaskedLoad(w0 + 3 * fanIn, mask);
                AddFourRows<TVector, TMath>(ref Unsafe.Add(ref deltasA, unit * lanes), ref Unsafe.Add(ref rows, first), stride, ref s0, ref s1, ref s2, ref s3);
                AddFourRows<TVector, TMath>(ref Unsafe.Add(ref deltasB, unit * lanes), ref Unsafe.Add(ref rows, group + first), stride, ref s0, ref s1, ref s2, ref s3);
                VectorMemory.MaskedStore(w0, mask, s0);
                VectorMemory.MaskedStore(w0 + fanIn, mask, s1);
                VectorMemory.MaskedStore(w0 + 2 * fanIn, mask, s2);
                VectorMemory.MaskedStore(w0 + 3 * fanIn, mask, s3);
            }
        }
        for (; unit < units; unit++)
        {
            fixed (float* w0 = &Unsafe.Add(ref w, unit * fanIn + first))
            {
                TVector s0 = AddRow<TVector, TMath>(ref Unsafe.Add(ref deltasA, unit * lanes), ref Unsafe.Add(ref rows, first), stride, VectorMemory.MaskedLoad(w0, mask));
                VectorMemory.MaskedStore(w0, mask, AddRow<TVector, TMath>(ref Unsafe.Add(ref deltasB, unit * lanes), ref Unsafe.Add(ref rows, group + first), stride, s0));
            }
        }
    }

    /// <summary>One vector of a weight row (at <paramref name="w0"/>, columns from <paramref name="j"/>) plus both groups' lanes' broadcast deltas times their rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRowOfBothGroups<TVector, TMath>(ref float deltasA, ref float deltasB, ref float rows, int group, int j, int stride, ref float w0)
        where TVector : struct where TMath : ILaneMath<TVector>
    {
        TVector s0 = AddRow<TVector, TMath>(ref deltasA, ref Unsafe.Add(ref rows, j), stride, VectorMemory.Load<TVector>(ref w0, 0));
        VectorMemory.Store(AddRow<TVector, TMath>(ref deltasB, ref Unsafe.Add(ref rows, group + j), stride, s0), ref w0, 0);
    }

    /// <summary>s + Σ over the lanes of deltas[lane] · row lane (rows <paramref name="stride"/> apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector AddRow<TVector, TMath>(ref float deltas, ref float rows, int stride, TVector s)
        where TVector : struct where TMath : ILaneMath<TVector>
    {
        for (int lane = 0; lane < TMath.Count; lane++)
            s = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref deltas, lane)), VectorMemory.Load<TVector>(ref rows, lane * stride), s);
        return s;
    }

    /// <summary>s_k += Σ over the lanes of deltas[k·Count + lane] · row lane (rows <paramref name="stride"/> apart), for k = 0..3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddFourRows<TVector, TMath>(ref float deltas, ref float rows, int stride, ref TVector s0, ref TVector s1, ref TVector s2, ref TVector s3)
        where TVector : struct where TMath : ILaneMath<TVector>
    {
        int lanes = TMath.Count;
        for (int lane = 0; lane < lanes; lane++)
        {
            TVector row = VectorMemory.Load<TVector>(ref rows, lane * stride);
            s0 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref deltas, lane)), row, s0);
            s1 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref deltas, lanes + lane)), row, s1);
            s2 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref deltas, 2 * lanes + lane)), row, s2);
            s3 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref deltas, 3 * lanes + lane)), row, s3);
        }
    }

    /// <summary><see cref="AddFourRows"/> for k = 0..15.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddSixteenRows<TVector, TMath>(ref float deltas, ref float rows, int stride,
        ref TVector s0, ref TVector s1, ref TVector s2, ref TVector s3, ref TVector s4, ref TVector s5, ref TVector s6, ref TVector s7,
        ref TVector s8, ref TVector s9, ref TVector s10, ref TVector s11, ref TVector s12, ref TVector s13, ref TVector s14, ref TVector s15)
        where TVector : struct where TMath : ILaneMath<TVector>
    {
        int lanes = TMath.Count;
        for (int lane = 0; lane < lanes; lane++)
        {
            TVector row = VectorMemory.Load<TVector>(ref rows, lane * stride);
            ref float d = ref Unsafe.Add(ref deltas, lane);
            s0 = TMath.FusedMultiplyAdd(TMath.Create(d), row, s0);
            s1 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref d, lanes)), row, s1);
            s2 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref d, 2 * lanes)), row, s2);
            s3 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref d, 3 * lanes)), row, s3);
            s4 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref d, 4 * lanes)), row, s4);
            s5 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref d, 5 * lanes)), row, s5);
            s6 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref d, 6 * lanes)), row, s6);
            s7 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref d, 7 * lanes)), row, s7);
            s8 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref d, 8 * lanes)), row, s8);
            s9 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref d, 9 * lanes)), row, s9);
            s10 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref d, 10 * lanes)), row, s10);
            s11 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref d, 11 * lanes)), row, s11);
            s12 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref d, 12 * lanes)), row, s12);
            s13 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref d, 13 * lanes)), row, s13);
            s14 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref d, 14 * lanes)), row, s14);
            s15 = TMath.FusedMultiplyAdd(TMath.Create(Unsafe.Add(ref d, 15 * lanes)), row, s15);
        }
    }

    /// <summary>
    /// <see cref="AddFourRows"/> for two vectors of each row: s_k += Σ deltas[k·Count + lane] · row lane's first vector,
    /// t_k the same with its second vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddFourRowPairs<TVector, TMath>(ref float deltas, ref float rows, int stride,
        ref TVector s0, ref TVector s1, ref TVector s2, ref TVector s3, ref TVector t0, ref TVector t1, ref TVector t2, ref TVector t3)
        where TVector : struct where TMath : ILaneMath<TVector>
    {
        int lanes = TMath.Count;
        for (int lane = 0; lane < lanes; lane++)
        {
            TVector first = VectorMemory.Load<TVector>(ref rows, lane * stride), second = VectorMemory.Load<TVector>(ref rows, lane * stride + lanes);
            TVector d0 = TMath.Create(Unsafe.Add(ref deltas, lane)), d1 = TMath.Create(Unsafe.Add(ref deltas, lanes + lane));
            s0 = TMath.FusedMultiplyAdd(d0, first, s0);
            t0 = TMath.FusedMultiplyAdd(d0, second, t0);
            s1 = TMath.FusedMultiplyAdd(d1, first, s1);
            t1 = TMath.FusedMultiplyAdd(d1, second, t1);
            TVector d2 = TMath.Create(Unsafe.Add(ref deltas, 2 * lanes + lane)), d3 = TMath.Create(Unsafe.Add(ref deltas, 3 * lanes + lane));
            s2 = TMath.FusedMultiplyAdd(d2, first, s2);
            t2 = TMath.FusedMultiplyAdd(d2, second, t2);
            s3 = TMath.FusedMultiplyAdd(d3, first, s3);
            t3 = TMath.FusedMultiplyAdd(d3, second, t3);
        }
    }

    /// <summary>
    /// Lane s of every vector of <paramref name="lanes"/> into row s of <paramref name="rows"/>, rows
    /// <paramref name="stride"/> apart (the lanes' count rounded up to whole vectors): a square block of Count vectors
    /// at a time by shuffles where the machine has them (AVX-512: 64 for 16 × 16; AVX2: 24 for 8 × 8), value by value
    /// otherwise. A last block short of Count vectors reads other vectors of the span for the missing ones, so the
    /// rows' padding columns hold other values (the outer products never store what they multiply).
    /// </summary>
    private static void TransposeSquares<TVector>(ReadOnlySpan<TVector> lanes, Span<float> rows, int stride) where TVector : struct
    {
        int count = Unsafe.SizeOf<TVector>() / sizeof(float), width = lanes.Length;
        ReadOnlySpan<float> source = MemoryMarshal.Cast<TVector, float>(lanes);
        ref float to = ref MemoryMarshal.GetReference(rows);
        if (typeof(TVector) == typeof(Vector512<float>) && Avx512F.IsSupported)
        {
            for (int j = 0; j < width; j += 16)
                Transpose16x16(source, j * 16, 16, ref Unsafe.Add(ref to, j), stride, 16);
        }
        else if (typeof(TVector) == typeof(Vector256<float>) && Avx2.IsSupported)
        {
            for (int j = 0; j < width; j += 8)
                MatrixKernels.Transpose8x8(Row8(source, j * 8), Row8(source, (j + 1) * 8), Row8(source, (j + 2) * 8), Row8(source, (j + 3) * 8),
                    Row8(source, (j + 4) * 8), Row8(source, (j + 5) * 8), Row8(source, (j + 6) * 8), Row8(source, (j + 7) * 8),
                    ref Unsafe.Add(ref to, j), stride, 8);
        }
        else
        {
            ref float from = ref MemoryMarshal.GetReference(source);
            for (int r = 0; r < count; r++)
                for (int i = 0; i < width; i++)
                    Unsafe.Add(ref to, r * stride + i) = Unsafe.Add(ref from, i * count + r);
        }
    }

    /// <summary>
    /// destination row s (<paramref name="destinationStride"/> apart), for s &lt; <paramref name="count"/>, = element s of
    /// the 16 rows of 16 values from <paramref name="offset"/> of <paramref name="source"/>, <paramref name="sourceStride"/>
    /// apart (see <see cref="Row16"/> for those past its end): pairs interleaved by 32 and 64 bits within 128-bit lanes,
    /// then the 128-bit lanes of four vectors transposed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose16x16(ReadOnlySpan<float> source, int offset, int sourceStride, ref float destination, int destinationStride, int count)
    {
        // b_qe, 128-bit lane k: element 4k + e of rows 4q .. 4q + 3.
        InterleaveFour(source, offset, sourceStride, out Vector512<float> b00, out Vector512<float> b01, out Vector512<float> b02, out Vector512<float> b03);
        InterleaveFour(source, offset + 4 * sourceStride, sourceStride, out Vector512<float> b10, out Vector512<float> b11, out Vector512<float> b12, out Vector512<float> b13);
        InterleaveFour(source, offset + 8 * sourceStride, sourceStride, out Vector512<float> b20, out Vector512<float> b21, out Vector512<float> b22, out Vector512<float> b23);
        InterleaveFour(source, offset + 12 * sourceStride, sourceStride, out Vector512<float> b30, out Vector512<float> b31, out Vector512<float> b32, out Vector512<float> b33);
        StoreLanesTransposed(b00, b10, b20, b30, ref destination, destinationStride, count);
        StoreLanesTransposed(b01, b11, b21, b31, ref Unsafe.Add(ref destination, destinationStride), destinationStride, count - 1);
        StoreLanesTransposed(b02, b12, b22, b32, ref Unsafe.Add(ref destination, 2 * destinationStride), destinationStride, count - 2);
        StoreLanesTransposed(b03, b13, b23, b33, ref Unsafe.Add(ref destination, 3 * destinationStride), destinationStride, count - 3);
    }

    /// <summary>
    /// Four rows of 16 values from <paramref name="offset"/>, <paramref name="stride"/> apart, interleaved by 32 and then
    /// 64 bits: e_k, 128-bit lane k, = element 4k + e of the four rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InterleaveFour(ReadOnlySpan<float> source, int offset, int stride, out Vector512<float> e0, out Vector512<float> e1, out Vector512<float> e2, out Vector512<float> e3)
    {
        Vector512<float> r0 = Row16(source, offset), r1 = Row16(source, offset + stride), r2 = Row16(source, offset + 2 * stride), r3 = Row16(source, offset + 3 * stride);
        Vector512<float> a0 = Avx512F.UnpackLow(r0, r1), a1 = Avx512F.UnpackHigh(r0, r1), a2 = Avx512F.UnpackLow(r2, r3), a3 = Avx512F.UnpackHigh(r2, r3);
        e0 = Avx512F.Shuffle(a0, a2, 0x44);
        e1 = Avx512F.Shuffle(a0, a2, 0xEE);
        e2 = Avx512F.Shuffle(a1, a3, 0x44);
        e3 = Avx512F.Shuffle(a1, a3, 0xEE);
    }

    /// <summary>
    /// Destination rows 0, 4, 8 and 12 (stride apart) below <paramref name="count"/>: 128-bit lane k of each of
    /// <paramref name="b0"/>..<paramref name="b3"/>, for k = 0..3.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreLanesTransposed(Vector512<float> b0, Vector512<float> b1, Vector512<float> b2, Vector512<float> b3, ref float destination, int stride, int count)
    {
        Vector512<float> c0 = Avx512F.Shuffle4x128(b0, b1, 0x44), c1 = Avx512F.Shuffle4x128(b0, b1, 0xEE);
        Vector512<float> c2 = Avx512F.Shuffle4x128(b2, b3, 0x44), c3 = Avx512F.Shuffle4x128(b2, b3, 0xEE);
        if (count > 0) Avx512F.Shuffle4x128(c0, c2, 0x88).StoreUnsafe(ref destination);
        if (count > 4) Avx512F.Shuffle4x128(c0, c2, 0xDD).StoreUnsafe(ref destination, (nuint)(4 * stride));
        if (count > 8) Avx512F.Shuffle4x128(c1, c3, 0x88).StoreUnsafe(ref destination, (nuint)(8 * stride));
        if (count > 12) Avx512F.Shuffle4x128(c1, c3, 0xDD).StoreUnsafe(ref destination, (nuint)(12 * stride));
    }

    /// <summary>
    /// The 16 values from <paramref name="offset"/> of <paramref name="source"/> (at least 16 long); near or past its
    /// end, the last 16 moved down by a permute (its indices wrap), so the lanes past the end hold other values of the
    /// span, which the callers do not store (they are columns past the rows' width).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row16(ReadOnlySpan<float> source, int offset)
    {
        ref float start = ref MemoryMarshal.GetReference(source);
        if (offset + 16 <= source.Length) return Vector512.LoadUnsafe(ref start, (nuint)offset);
        int last = source.Length - 16;
        return Avx512F.PermuteVar16x32(Vector512.LoadUnsafe(ref start, (nuint)last), Vector512<int>.Indices + Vector512.Create(offset - last));
    }

    /// <summary><see cref="Row16"/> for 8 values (<paramref name="source"/> at least 8 long).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Row8(ReadOnlySpan<float> source, int offset)
    {
        ref float start = ref MemoryMarshal.GetReference(source);
        if (offset + 8 <= source.Length) return Vector256.LoadUnsafe(ref start, (nuint)offset);
        int last = source.Length - 8;
        return Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref start, (nuint)last), Vector256<int>.Indices + Vector256.Create(offset - last));
    }

    [DoesNotReturn]
    private static void ThrowOuterProductShape(int units, int fanIn, int lanes, int rowValues, int weights) =>
        throw new ArgumentException(
            $"Outer products of {units} deltas and {fanIn} inputs at {lanes} lanes need at least one input, a second group of the same shape, {OuterProductRowValues(fanIn, lanes)} row values and {units * fanIn} weights; got {rowValues} and {weights}.");

    /// <summary>
    /// destination[k] += the sum of the lanes of lanes[k], then lanes[k] = 0: one pass that reduces the
    /// per-lane gradients of a mini-batch and readies the buffer for the next. With AVX-512, sixteen vectors at a time
    /// go through a tree of block shuffles and adds that leaves their sixteen sums in one vector (<see cref="SumSixteen"/>);
    /// with AVX, eight at a time through a horizontal-add tree (a 16-lane vector's rest first adds its two halves: 6
    /// horizontal adds, 2 permutes and an add for 8 sums instead of ~4 each). The sums are the same in every run,
    /// whatever the batch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReduceAndClear<TVector, TMath>(Span<TVector> lanes, Span<float> destination) where TVector : struct where TMath : ILaneMath<TVector>
    {
        if (lanes.Length != destination.Length)
            throw new ArgumentException($"{lanes.Length} lane vectors for {destination.Length} destination values.");
        int k = 0;
        if (Avx.IsSupported && typeof(TVector) != typeof(Vector128<float>))
        {
            ref TVector source = ref MemoryMarshal.GetReference(lanes);
            ref float target = ref MemoryMarshal.GetReference(destination);
            for (; typeof(TVector) == typeof(Vector512<float>) && k <= lanes.Length - 16; k += 16)
            {
                ref Vector512<float> v = ref Unsafe.As<TVector, Vector512<float>>(ref Unsafe.Add(ref source, k));
                (Vector512.LoadUnsafe(ref target, (nuint)k) + SumSixteen(ref v)).StoreUnsafe(ref target, (nuint)k);
                for (int j = 0; j < 16; j++) Unsafe.Add(ref v, j) = default;
            }
            for (; k <= lanes.Length - 8; k += 8)
            {
                ref TVector v = ref Unsafe.Add(ref source, k);
                // hadd(a, b) = [a0+a1, a2+a3, b0+b1, b2+b3 | a4+a5, a6+a7, b4+b5, b6+b7]; two levels leave each
                // vector's low-half sum in the low 128 bits and its high-half sum in the high 128 bits.
                Vector256<float> q0 = Avx.HorizontalAdd(Avx.HorizontalAdd(Half(ref v, 0), Half(ref v, 1)), Avx.HorizontalAdd(Half(ref v, 2), Half(ref v, 3)));
                Vector256<float> q1 = Avx.HorizontalAdd(Avx.HorizontalAdd(Half(ref v, 4), Half(ref v, 5)), Avx.HorizontalAdd(Half(ref v, 6), Half(ref v, 7)));
                Vector256<float> sums = Avx.Permute2x128(q0, q1, 0x20) + Avx.Permute2x128(q0, q1, 0x31);
                (Vector256.LoadUnsafe(ref target, (nuint)k) + sums).StoreUnsafe(ref target, (nuint)k);
                for (int j = 0; j < 8; j++) Unsafe.Add(ref v, j) = default;
            }
        }
        for (; k < lanes.Length; k++)
        {
            destination[k] += TMath.Sum(lanes[k]);
            lanes[k] = default;
        }
    }

    /// <summary>
    /// The lane sums of v[0 … 15] as one vector, lane k the sum of v[k] (reduce_add of 16 vectors at once, ~46 shuffles
    /// and adds for 16 sums against ~4 each one at a time; probe on the Zen 5, 48 vectors reduced and cleared: 31 against
    /// 43 ns with the eight-vector tree; an earlier session measured such a tree slower on the Zen 4, whose 512-bit
    /// shuffles run as two halves: benchmarks/RESULTS.md). Each level halves what each vector holds and doubles the
    /// vectors it holds: 256-bit halves of two vectors, then 128-bit blocks of four, then pairs and single lanes within
    /// blocks (vshufps); the last level leaves v[4m + j]'s sum in lane 4j + m, which one permute puts in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> SumSixteen(ref Vector512<float> v)
    {
        Vector512<float> b0 = Quarter(ref v, 0), b1 = Quarter(ref v, 4), b2 = Quarter(ref v, 8), b3 = Quarter(ref v, 12);
        // Block j of b0 … b3 holds 4 partial sums of v[j], v[4 + j], v[8 + j], v[12 + j]: pairs, then single lanes.
        Vector512<float> c0 = Avx512F.Shuffle(b0, b1, 0b01_00_01_00) + Avx512F.Shuffle(b0, b1, 0b11_10_11_10);
        Vector512<float> c1 = Avx512F.Shuffle(b2, b3, 0b01_00_01_00) + Avx512F.Shuffle(b2, b3, 0b11_10_11_10);
        Vector512<float> sums = Avx512F.Shuffle(c0, c1, 0b10_00_10_00) + Avx512F.Shuffle(c0, c1, 0b11_01_11_01);
        return Avx512F.PermuteVar16x32(sums, Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15));

        // v[first … first + 3]'s four partial sums each, as the four 128-bit blocks of one vector.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static Vector512<float> Quarter(ref Vector512<float> v, int first) =>
            Blocks(Halves(Unsafe.Add(ref v, first), Unsafe.Add(ref v, first + 1)), Halves(Unsafe.Add(ref v, first + 2), Unsafe.Add(ref v, first + 3)));

        // [a's 256-bit halves added | b's]: blocks a0 + a2, a1 + a3, b0 + b2, b1 + b3.
        static Vector512<float> Halves(Vector512<float> a, Vector512<float> b) =>
            Avx512F.Shuffle4x128(a, b, 0b01_00_01_00) + Avx512F.Shuffle4x128(a, b, 0b11_10_11_10);

        // Of two Halves results: blocks a0 + a1, a2 + a3, b0 + b1, b2 + b3 (each one vector's four partial sums).
        static Vector512<float> Blocks(Vector512<float> a, Vector512<float> b) =>
            Avx512F.Shuffle4x128(a, b, 0b10_00_10_00) + Avx512F.Shuffle4x128(a, b, 0b11_01_11_01);
    }

    /// <summary>Vector j from <paramref name="v"/> as 8 floats: a 16-lane vector's two halves added.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Half<TVector>(ref TVector v, int j) where TVector : struct
    {
        TVector vector = Unsafe.Add(ref v, j);
        if (typeof(TVector) == typeof(Vector512<float>))
        {
            Vector512<float> wide = Unsafe.BitCast<TVector, Vector512<float>>(vector);
            return wide.GetLower() + wide.GetUpper();
        }
        return Unsafe.BitCast<TVector, Vector256<float>>(vector);
    }

    // The check inlines into every kernel, the throw does not (its message would keep the check out of line).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckShape(int rowValues, int count, int width, int vectors)
    {
        if (rowValues != count * width || vectors != width) ThrowShapeDisagrees(rowValues, count, width, vectors);
    }

    [DoesNotReturn]
    private static void ThrowShapeDisagrees(int rowValues, int count, int width, int vectors) =>
        throw new ArgumentException($"Expected {count} rows of {width} values and {width} lane vectors, got {rowValues} values and {vectors} vectors.");
}
