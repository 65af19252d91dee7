using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HiddenSpace.Kernels;

/// <summary>
/// A vector of floats read from or written to a float buffer at a float offset, for kernels that are generic over the
/// vector type (unaligned: the JIT emits one vmovups, or the ARM64 equivalent); and, where the machine has them, the
/// same under a mask, for the few values at the end of a buffer that do not fill a vector.
/// </summary>
internal static class VectorMemory
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Load<TVector>(ref float start, int offset) where TVector : struct =>
        Unsafe.As<float, TVector>(ref Unsafe.Add(ref start, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<TVector>(TVector value, ref float start, int offset) where TVector : struct =>
        Unsafe.As<float, TVector>(ref Unsafe.Add(ref start, offset)) = value;

    /// <summary>
    /// Whether vectors of <typeparamref name="TVector"/> load and store under a mask here: 16 floats with AVX-512 (a mask
    /// register), 8 with AVX (vmaskmovps); a constant to the JIT.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool HasMasks<TVector>() where TVector : struct =>
        typeof(TVector) == typeof(Vector512<float>) ? Avx512F.IsSupported : typeof(TVector) == typeof(Vector256<float>) && Avx.IsSupported;

    /// <summary>The mask of the first <paramref name="count"/> lanes, for <see cref="MaskedLoad"/> and <see cref="MaskedStore"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector FirstLanes<TVector>(int count) where TVector : struct =>
        typeof(TVector) == typeof(Vector512<float>)
            ? Unsafe.BitCast<Vector512<float>, TVector>(Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle())
            : Unsafe.BitCast<Vector256<float>, TVector>(Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle());

    /// <summary>The lanes of <paramref name="mask"/> loaded from <paramref name="source"/>, zero in the others (which are not read); only where <see cref="HasMasks"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe TVector MaskedLoad<TVector>(float* source, TVector mask) where TVector : struct =>
        typeof(TVector) == typeof(Vector512<float>)
            ? Unsafe.BitCast<Vector512<float>, TVector>(Avx512F.MaskLoad(source, Unsafe.BitCast<TVector, Vector512<float>>(mask), Vector512<float>.Zero))
            : Unsafe.BitCast<Vector256<float>, TVector>(Avx.MaskLoad(source, Unsafe.BitCast<TVector, Vector256<float>>(mask)));

    /// <summary>The lanes of <paramref name="mask"/> of <paramref name="value"/> stored at <paramref name="destination"/>, the others left as they are; only where <see cref="HasMasks"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void MaskedStore<TVector>(float* destination, TVector mask, TVector value) where TVector : struct
    {
        if (typeof(TVector) == typeof(Vector512<float>))
            Avx512F.MaskStore(destination, Unsafe.BitCast<TVector, Vector512<float>>(mask), Unsafe.BitCast<TVector, Vector512<float>>(value));
        else
            Avx.MaskStore(destination, Unsafe.BitCast<TVector, Vector256<float>>(mask), Unsafe.BitCast<TVector, Vector256<float>>(value));
    }
}
