using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HiddenSpace.Kernels;

/// <summary>
/// Loop forms of a dense layer for one sample, used by generated code for layers above the unroll limit
/// (<see cref="NetworkAttribute.DefaultUnrollLimit"/>). Weights are [units × fanIn] row-major, so every
/// operation walks contiguous rows with vectors of the widest accelerated width (see <see cref="ILaneMath{TVector}"/>).
/// </summary>
public static class DenseKernels
{
    /// <summary>z[o] = b[o] + W[o,:]·x.</summary>
    public static void Forward(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> x, Span<float> z)
    {
        CheckShape(weights.Length, bias.Length, x.Length, z.Length);
        int o = 0;
        // Four rows at a time: each vector of x is loaded once for four dot products, in four independent chains.
        for (; o <= z.Length - 4; o += 4)
            Dot4(weights.Slice(o * x.Length, 4 * x.Length), x, bias.Slice(o, 4), z.Slice(o, 4));
        for (; o < z.Length; o++)
            z[o] = bias[o] + Dot(weights.Slice(o * x.Length, x.Length), x);
    }

    /// <summary>dW[o,:] += dz[o]·x and db[o] += dz[o].</summary>
    public static void AccumulateGradients(ReadOnlySpan<float> dz, ReadOnlySpan<float> x, Span<float> dWeights, Span<float> dBias)
    {
        CheckShape(dWeights.Length, dBias.Length, x.Length, dz.Length);
        for (int o = 0; o < dz.Length; o++)
        {
            AddScaled(dz[o], x, dWeights.Slice(o * x.Length, x.Length));
            dBias[o] += dz[o];
        }
    }

    /// <summary>dx = Wᵀ·dz (overwrites dx).</summary>
    public static void Backpropagate(ReadOnlySpan<float> weights, ReadOnlySpan<float> dz, Span<float> dx)
    {
        if (weights.Length != dz.Length * dx.Length)
            throw new ArgumentException($"Weights hold {weights.Length} values, not {dz.Length} × {dx.Length}.", nameof(weights));
        dx.Clear();
        for (int o = 0; o < dz.Length; o++)
            AddScaled(dz[o], weights.Slice(o * dx.Length, dx.Length), dx);
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (Vector512.IsHardwareAccelerated) return Dot<Vector512<float>, Lane512>(a, b);
        if (Vector256.IsHardwareAccelerated) return Dot<Vector256<float>, Lane256>(a, b);
        return Dot<Vector128<float>, Lane128>(a, b);
    }

    private static float Dot<TVector, TMath>(ReadOnlySpan<float> a, ReadOnlySpan<float> b) where TVector : struct where TMath : ILaneMath<TVector>
    {
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        int lanes = TMath.Count, i = 0;
        TVector sum0 = default, sum1 = default;
        for (; i <= a.Length - 2 * lanes; i += 2 * lanes)
        {
            sum0 = TMath.FusedMultiplyAdd(VectorMemory.Load<TVector>(ref pa, i), VectorMemory.Load<TVector>(ref pb, i), sum0);
            sum1 = TMath.FusedMultiplyAdd(VectorMemory.Load<TVector>(ref pa, i + lanes), VectorMemory.Load<TVector>(ref pb, i + lanes), sum1);
        }
        for (; i <= a.Length - lanes; i += lanes)
            sum0 = TMath.FusedMultiplyAdd(VectorMemory.Load<TVector>(ref pa, i), VectorMemory.Load<TVector>(ref pb, i), sum0);
        float sum = TMath.Sum(TMath.Add(sum0, sum1));
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static void Dot4(ReadOnlySpan<float> rows, ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> z)
    {
        if (Vector512.IsHardwareAccelerated) Dot4<Vector512<float>, Lane512>(rows, x, bias, z);
        else if (Vector256.IsHardwareAccelerated) Dot4<Vector256<float>, Lane256>(rows, x, bias, z);
        else Dot4<Vector128<float>, Lane128>(rows, x, bias, z);
    }

    /// <summary>z[r] = bias[r] + rows[r,:]·x for the 4 rows of <paramref name="rows"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4<TVector, TMath>(ReadOnlySpan<float> rows, ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> z)
        where TVector : struct where TMath : ILaneMath<TVector>
    {
        int n = x.Length, lanes = TMath.Count, i = 0;
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float r0 = ref MemoryMarshal.GetReference(rows);
        ref float r1 = ref Unsafe.Add(ref r0, n), r2 = ref Unsafe.Add(ref r0, 2 * n), r3 = ref Unsafe.Add(ref r0, 3 * n);
        TVector s0 = default, s1 = default, s2 = default, s3 = default;
        for (; i <= n - lanes; i += lanes)
        {
            TVector v = VectorMemory.Load<TVector>(ref px, i);
            s0 = TMath.FusedMultiplyAdd(VectorMemory.Load<TVector>(ref r0, i), v, s0);
            s1 = TMath.FusedMultiplyAdd(VectorMemory.Load<TVector>(ref r1, i), v, s1);
            s2 = TMath.FusedMultiplyAdd(VectorMemory.Load<TVector>(ref r2, i), v, s2);
            s3 = TMath.FusedMultiplyAdd(VectorMemory.Load<TVector>(ref r3, i), v, s3);
        }
        float d0 = TMath.Sum(s0), d1 = TMath.Sum(s1), d2 = TMath.Sum(s2), d3 = TMath.Sum(s3);
        for (; i < n; i++)
        {
            float v = x[i];
            d0 += Unsafe.Add(ref r0, i) * v;
            d1 += Unsafe.Add(ref r1, i) * v;
            d2 += Unsafe.Add(ref r2, i) * v;
            d3 += Unsafe.Add(ref r3, i) * v;
        }
        z[0] = bias[0] + d0;
        z[1] = bias[1] + d1;
        z[2] = bias[2] + d2;
        z[3] = bias[3] + d3;
    }

    /// <summary>destination[i] += scale·source[i] at the widest accelerated width (scale 1 gives the bits of a plain sum).</summary>
    internal static void AddScaled(float scale, ReadOnlySpan<float> source, Span<float> destination)
    {
        if (Vector512.IsHardwareAccelerated) AddScaled<Vector512<float>, Lane512>(scale, source, destination);
        else if (Vector256.IsHardwareAccelerated) AddScaled<Vector256<float>, Lane256>(scale, source, destination);
        else AddScaled<Vector128<float>, Lane128>(scale, source, destination);
    }

    private static void AddScaled<TVector, TMath>(float scale, ReadOnlySpan<float> source, Span<float> destination) where TVector : struct where TMath : ILaneMath<TVector>
    {
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        TVector factor = TMath.Create(scale);
        int lanes = TMath.Count, i = 0;
        for (; i <= source.Length - lanes; i += lanes)
        {
            ref TVector target = ref Unsafe.As<float, TVector>(ref Unsafe.Add(ref dst, i));
            target = TMath.FusedMultiplyAdd(factor, VectorMemory.Load<TVector>(ref src, i), target);
        }
        for (; i < source.Length; i++) destination[i] += scale * source[i];
    }

    // The check inlines into every kernel, the throw does not (its message would keep the check out of line).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckShape(int weights, int bias, int fanIn, int units)
    {
        if (bias != units || weights != units * fanIn) ThrowShapeDisagrees(weights, bias, fanIn, units);
    }

    [DoesNotReturn]
    private static void ThrowShapeDisagrees(int weights, int bias, int fanIn, int units) =>
        throw new ArgumentException($"Dense layer spans do not agree: {weights} weights, {bias} biases, {fanIn} inputs, {units} units.");
}
