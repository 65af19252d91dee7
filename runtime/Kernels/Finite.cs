using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace HiddenSpace.Kernels;

/// <summary>Whether a buffer holds only finite floats: the one check the trainer and the analysis share.</summary>
public static class Finite
{
    /// <summary>True when no element of <paramref name="values"/> is NaN or infinite.</summary>
    public static bool All(ReadOnlySpan<float> values)
    {
        // x − x is 0 for every finite x and NaN for NaN and ±∞; one vector of them is tested at the end.
        ref float start = ref MemoryMarshal.GetReference(values);
        Vector<float> accumulated = Vector<float>.Zero;
        int i = 0;
        for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector<float> v = Vector.LoadUnsafe(ref start, (nuint)i);
            accumulated += v - v;
        }
        if (!Vector.EqualsAll(accumulated, Vector<float>.Zero)) return false;
        for (; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return false;
        return true;
    }
}
