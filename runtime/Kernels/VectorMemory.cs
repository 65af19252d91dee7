using System.Runtime.CompilerServices;

namespace HiddenSpace.Kernels;

/// <summary>
/// A vector of floats read from or written to a float buffer at a float offset, for kernels that are generic over the
/// vector type (unaligned: the JIT emits one vmovups, or the ARM64 equivalent).
/// </summary>
internal static class VectorMemory
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Load<TVector>(ref float start, int offset) where TVector : struct =>
        Unsafe.As<float, TVector>(ref Unsafe.Add(ref start, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TVector>(TVector value, ref float start, int offset) where TVector : struct =>
        Unsafe.As<float, TVector>(ref Unsafe.Add(ref start, offset)) = value;
}
