using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HiddenSpace.Kernels;

/// <summary>Whether a buffer holds only finite floats: the one check the trainer and the analysis share.</summary>
public static class Finite
{
    /// <summary>True when no element of <paramref name="values"/> is NaN or infinite.</summary>
    public static bool All(ReadOnlySpan<float> values)
    {
        int i = Vector512.IsHardwareAccelerated ? WholeVectors<Vector512<float>, Lane512>(values)
            : Vector256.IsHardwareAccelerated ? WholeVectors<Vector256<float>, Lane256>(values)
            : Vector128.IsHardwareAccelerated ? WholeVectors<Vector128<float>, Lane128>(values)
            : 0;
        if (i < 0) return false;
        for (; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return false;
        return true;
    }

    /// <summary>
    /// Where the whole vectors of <paramref name="values"/> end, or −1 when one of them holds a value that is not finite:
    /// x − x is 0 for every finite x and NaN for NaN and ±∞, summed over the vectors and tested once at the end.
    /// </summary>
    private static int WholeVectors<TVector, TMath>(ReadOnlySpan<float> values) where TVector : struct where TMath : ILaneMath<TVector>
    {
        ref float start = ref MemoryMarshal.GetReference(values);
        TVector accumulated = default;
        int i = 0;
        for (; i <= values.Length - TMath.Count; i += TMath.Count)
        {
            TVector v = Unsafe.As<float, TVector>(ref Unsafe.Add(ref start, i));
            accumulated = TMath.Add(accumulated, TMath.Subtract(v, v));
        }
        return TMath.Sum(accumulated) == 0f ? i : -1;
    }
}
