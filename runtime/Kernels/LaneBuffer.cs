using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HiddenSpace.Kernels;

/// <summary>
/// A fixed-length run of lane vectors whose first element sits on a 64-byte (cache-line) boundary, for the
/// generated lane form's scratch and per-lane gradients. Room is made for <see cref="Length"/> vectors of the widest
/// width (<see cref="Vector512{T}"/>), and the buffer is viewed at the width the batch path runs at. A plain array
/// starts 16 bytes into its object, so with AVX2 every other vector would straddle two cache lines, and a load or
/// store that splits a line costs more than one that does not.
/// The memory is a pinned array on the pinned object heap, so the alignment holds for the buffer's life.
/// </summary>
public sealed class LaneBuffer
{
    private const int Alignment = 64;
    private readonly float[] _memory;
    private readonly int _offset;

    /// <summary>A buffer of <paramref name="length"/> zeroed vectors.</summary>
    public LaneBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Length = length;
        _memory = GC.AllocateArray<float>(length * Vector512<float>.Count + Alignment / sizeof(float), pinned: true);
        long address = Marshal.UnsafeAddrOfPinnedArrayElement(_memory, 0).ToInt64();
        _offset = (int)((Alignment - address % Alignment) % Alignment / sizeof(float));
    }

    /// <summary>Number of vectors.</summary>
    public int Length { get; }

    /// <summary>The first vector, on a 64-byte boundary.</summary>
    public ref TVector Start<TVector>() where TVector : struct =>
        ref Unsafe.As<float, TVector>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_memory), _offset));

    /// <summary>The whole buffer as floats: <see cref="Length"/> × 16 of them.</summary>
    public Span<float> Floats => MemoryMarshal.CreateSpan(ref Start<float>(), Length * Vector512<float>.Count);

    /// <summary>All <see cref="Length"/> vectors, as <typeparamref name="TVector"/>.</summary>
    public Span<TVector> AsSpan<TVector>() where TVector : struct => MemoryMarshal.CreateSpan(ref Start<TVector>(), Length);
}
