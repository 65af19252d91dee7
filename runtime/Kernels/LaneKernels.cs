using System;
using System.Numerics;
using System.Runtime.InteropServices;

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
    /// Transposes <see cref="Lanes"/> row-major rows of <paramref name="width"/> values into <paramref name="width"/>
    /// lane vectors: lanes[i][r] = rows[r·width + i].
    /// </summary>
    public static void Transpose(ReadOnlySpan<float> rows, int width, Span<Vector<float>> lanes)
    {
        if (rows.Length != Lanes * width || lanes.Length != width)
            throw new ArgumentException($"Expected {Lanes} rows of {width} values and {width} lane vectors, got {rows.Length} values and {lanes.Length} vectors.");
        Span<float> flat = MemoryMarshal.Cast<Vector<float>, float>(lanes);
        for (int r = 0; r < Lanes; r++)
            for (int i = 0; i < width; i++)
                flat[i * Lanes + r] = rows[r * width + i];
    }

    /// <summary>
    /// destination[k] += the sum of the lanes of lanes[k], then lanes[k] = 0: one pass that reduces the
    /// per-lane gradients of a mini-batch and readies the buffer for the next.
    /// </summary>
    public static void ReduceAndClear(Span<Vector<float>> lanes, Span<float> destination)
    {
        if (lanes.Length != destination.Length)
            throw new ArgumentException($"{lanes.Length} lane vectors for {destination.Length} destination values.");
        for (int k = 0; k < lanes.Length; k++)
        {
            destination[k] += Vector.Sum(lanes[k]);
            lanes[k] = Vector<float>.Zero;
        }
    }
}
