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
    /// x − x is 0 for every finite x and NaN for NaN and ±∞, summed over the vectors and tested once at the end; four
    /// sums, each over every fourth vector, so the additions do not wait on one another (the trainer checks the
    /// parameters after every step).
    /// </summary>
    private static int WholeVectors<TVector, TMath>(ReadOnlySpan<float> values) where TVector : struct where TMath : ILaneMath<TVector>
    {
        ref float start = ref MemoryMarshal.GetReference(values);
        TVector sum0 = default, sum1 = default, sum2 = default, sum3 = default;
        int i = 0, lanes = TMath.Count;
        for (; i <= values.Length - 4 * lanes; i += 4 * lanes)
        {
            sum0 = TMath.Add(sum0, Difference<TVector, TMath>(ref start, i));
            sum1 = TMath.Add(sum1, Difference<TVector, TMath>(ref start, i + lanes));
            sum2 = TMath.Add(sum2, Difference<TVector, TMath>(ref start, i + 2 * lanes));
            sum3 = TMath.Add(sum3, Difference<TVector, TMath>(ref start, i + 3 * lanes));
        }
        for (; i <= values.Length - lanes; i += lanes) sum0 = TMath.Add(sum0, Difference<TVector, TMath>(ref start, i));
        return TMath.Sum(TMath.Add(TMath.Add(sum0, sum1), TMath.Add(sum2, sum3))) == 0f ? i : -1;
    }

    /// <summary>v − v for the vector at <paramref name="index"/>: 0 in every finite lane, NaN in the others.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Difference<TVector, TMath>(ref float start, int index) where TVector : struct where TMath : ILaneMath<TVector>
    {
        TVector v = Unsafe.As<float, TVector>(ref Unsafe.Add(ref start, index));
        return TMath.Subtract(v, v);
    }
}
