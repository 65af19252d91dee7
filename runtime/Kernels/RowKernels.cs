using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HiddenSpace.Kernels;

/// <summary>
/// Four-float pieces of weight rows for the scalar form of generated layers whose fan-in is a multiple of 4:
/// the weight-gradient update dW[o,:] += dz[o]·x and the input delta dx = Wᵀ·dz move 4 floats per instruction
/// (<see cref="Vector128{T}"/>: SSE/AVX on x64, NEON on ARM64) instead of one. Offsets are in floats; the
/// generator only passes offsets inside the spans it created, so nothing is checked here.
/// </summary>
public static class RowKernels
{
    /// <summary>row[offset .. offset + 4) += scale · x[xOffset .. xOffset + 4), one rounding per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(Vector128<float> scale, ref float x, int xOffset, ref float row, int offset)
    {
        ref float target = ref Unsafe.Add(ref row, offset);
        Vector128.FusedMultiplyAdd(scale, Vector128.LoadUnsafe(ref Unsafe.Add(ref x, xOffset)), Vector128.LoadUnsafe(ref target)).StoreUnsafe(ref target);
    }

    /// <summary>accumulator + scale · row[offset .. offset + 4), one rounding per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> scale, ref float row, int offset, Vector128<float> accumulator) =>
        Vector128.FusedMultiplyAdd(scale, Vector128.LoadUnsafe(ref Unsafe.Add(ref row, offset)), accumulator);

    /// <summary>row[offset .. offset + 4) = value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float row, int offset) => value.StoreUnsafe(ref Unsafe.Add(ref row, offset));
}
