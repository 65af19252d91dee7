using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HiddenSpace.Kernels;

/// <summary>
/// Moving data into and out of the lane layout of the generated batch path, where one
/// <see cref="Vector{T}"/> holds the same value (an input feature, a neuron, a gradient) for
/// <see cref="Lanes"/> samples.
/// </summary>
public static class LaneKernels
{
    /// <summary>Samples per lane vector on this machine: 8 with AVX2, 16 with AVX-512 and DOTNET_PreferredVectorBitWidth=512.</summary>
    public static int Lanes => Vector<float>.Count;

    /// <summary>
    /// Rows the generated lane form takes in one pass: two lane groups. A batch (or a shard of one) that is a
    /// multiple of this runs wholly in the lane form; the rest of a batch goes through the per-sample code.
    /// </summary>
    public static int RowsPerPass => 2 * Vector<float>.Count;

    /// <summary>
    /// Transposes <see cref="Lanes"/> row-major rows of <paramref name="width"/> values into <paramref name="width"/>
    /// lane vectors: lanes[i][r] = rows[r·width + i].
    /// </summary>
    public static void Transpose(ReadOnlySpan<float> rows, int width, Span<Vector<float>> lanes)
    {
        CheckShape(rows.Length, width, lanes.Length);
        Span<float> flat = MemoryMarshal.Cast<Vector<float>, float>(lanes);
        for (int r = 0; r < Lanes; r++)
            for (int i = 0; i < width; i++)
                flat[i * Lanes + r] = rows[r * width + i];
    }

    /// <summary>
    /// The inverse of <see cref="Transpose"/>: writes <paramref name="width"/> lane vectors back as
    /// <see cref="Lanes"/> row-major rows: rows[r·width + i] = lanes[i][r].
    /// </summary>
    public static void Untranspose(ReadOnlySpan<Vector<float>> lanes, int width, Span<float> rows)
    {
        CheckShape(rows.Length, width, lanes.Length);
        ReadOnlySpan<float> flat = MemoryMarshal.Cast<Vector<float>, float>(lanes);
        for (int r = 0; r < Lanes; r++)
            for (int i = 0; i < width; i++)
                rows[r * width + i] = flat[i * Lanes + r];
    }

    /// <summary>
    /// destination[k] += the sum of the lanes of lanes[k], then lanes[k] = 0: one pass that reduces the
    /// per-lane gradients of a mini-batch and readies the buffer for the next. With 8-lane vectors and AVX,
    /// eight vectors at a time go through a horizontal-add tree (6 horizontal adds, 2 permutes and an add for 8 sums instead of ~4
    /// each); the sums are the same in every run, whatever the batch.
    /// </summary>
    public static void ReduceAndClear(Span<Vector<float>> lanes, Span<float> destination)
    {
        if (lanes.Length != destination.Length)
            throw new ArgumentException($"{lanes.Length} lane vectors for {destination.Length} destination values.");
        int k = 0;
        if (Vector<float>.Count == Vector256<float>.Count && Avx.IsSupported)
        {
            ref Vector256<float> source = ref Unsafe.As<Vector<float>, Vector256<float>>(ref MemoryMarshal.GetReference(lanes));
            ref float target = ref MemoryMarshal.GetReference(destination);
            for (; k <= lanes.Length - 8; k += 8)
            {
                ref Vector256<float> v = ref Unsafe.Add(ref source, k);
                // hadd(a, b) = [a0+a1, a2+a3, b0+b1, b2+b3 | a4+a5, a6+a7, b4+b5, b6+b7]; two levels leave each
                // vector's low-half sum in the low 128 bits and its high-half sum in the high 128 bits.
                Vector256<float> q0 = Avx.HorizontalAdd(Avx.HorizontalAdd(v, Unsafe.Add(ref v, 1)), Avx.HorizontalAdd(Unsafe.Add(ref v, 2), Unsafe.Add(ref v, 3)));
                Vector256<float> q1 = Avx.HorizontalAdd(Avx.HorizontalAdd(Unsafe.Add(ref v, 4), Unsafe.Add(ref v, 5)), Avx.HorizontalAdd(Unsafe.Add(ref v, 6), Unsafe.Add(ref v, 7)));
                Vector256<float> sums = Avx.Permute2x128(q0, q1, 0x20) + Avx.Permute2x128(q0, q1, 0x31);
                (Vector256.LoadUnsafe(ref target, (nuint)k) + sums).StoreUnsafe(ref target, (nuint)k);
                for (int j = 0; j < 8; j++) Unsafe.Add(ref v, j) = Vector256<float>.Zero;
            }
        }
        for (; k < lanes.Length; k++)
        {
            destination[k] += Vector.Sum(lanes[k]);
            lanes[k] = Vector<float>.Zero;
        }
    }

    private static void CheckShape(int rowValues, int width, int vectors)
    {
        if (rowValues != Lanes * width || vectors != width)
            throw new ArgumentException($"Expected {Lanes} rows of {width} values and {width} lane vectors, got {rowValues} values and {vectors} vectors.");
    }
}
