using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HiddenSpace.Kernels;

/// <summary>
/// A fixed-length run of <see cref="Vector{T}"/> values whose first element sits on a 64-byte (cache-line)
/// boundary, for the generated lane form's scratch and per-lane gradients. A plain
/// <c>Vector&lt;float&gt;[]</c> starts 16 bytes into its object, so with AVX2 every other vector would straddle
/// two cache lines, and a load or store that splits a line costs more than one that does not.
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
        _memory = GC.AllocateArray<float>(length * Vector<float>.Count + Alignment / sizeof(float), pinned: true);
        long address = Marshal.UnsafeAddrOfPinnedArrayElement(_memory, 0).ToInt64();
        _offset = (int)((Alignment - address % Alignment) % Alignment / sizeof(float));
    }

    /// <summary>Number of vectors.</summary>
    public int Length { get; }

    /// <summary>The first vector, on a 64-byte boundary.</summary>
    public ref Vector<float> Start => ref Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_memory), _offset));

    /// <summary>All <see cref="Length"/> vectors.</summary>
    public Span<Vector<float>> Span => MemoryMarshal.CreateSpan(ref Start, Length);
}
