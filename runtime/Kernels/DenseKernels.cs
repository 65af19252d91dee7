using System;
using System.Runtime.InteropServices;
using System.Numerics;

namespace HiddenSpace.Kernels;

/// <summary>
/// Loop forms of a dense layer, used by generated code for layers above the unroll limit
/// (<see cref="NetworkAttribute.DefaultUnrollLimit"/>). Weights are [units × fanIn] row-major, so every
/// operation walks contiguous rows with 16-lane vectors.
/// </summary>
public static class DenseKernels
{
    private static int Lanes => Vector<float>.Count;

    /// <summary>z[o] = b[o] + W[o,:]·x.</summary>
    public static void Forward(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> x, Span<float> z)
    {
        CheckShape(weights.Length, bias.Length, x.Length, z.Length);
        for (int o = 0; o < z.Length; o++)
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
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        Vector<float> sum0 = Vector<float>.Zero, sum1 = Vector<float>.Zero;
        int i = 0;
        for (; i <= a.Length - 2 * Lanes; i += 2 * Lanes)
        {
            sum0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref pa, (nuint)i), Vector.LoadUnsafe(ref pb, (nuint)i), sum0);
            sum1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref pa, (nuint)(i + Lanes)), Vector.LoadUnsafe(ref pb, (nuint)(i + Lanes)), sum1);
        }
        for (; i <= a.Length - Lanes; i += Lanes)
            sum0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref pa, (nuint)i), Vector.LoadUnsafe(ref pb, (nuint)i), sum0);
        float sum = Vector.Sum(sum0 + sum1);
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static void AddScaled(float scale, ReadOnlySpan<float> source, Span<float> destination)
    {
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        Vector<float> factor = new Vector<float>(scale);
        int i = 0;
        for (; i <= source.Length - Lanes; i += Lanes)
            Vector.FusedMultiplyAdd(factor, Vector.LoadUnsafe(ref src, (nuint)i), Vector.LoadUnsafe(ref dst, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
        for (; i < source.Length; i++) destination[i] += scale * source[i];
    }

    private static void CheckShape(int weights, int bias, int fanIn, int units)
    {
        if (bias != units || weights != units * fanIn)
            throw new ArgumentException($"Dense layer spans do not agree: {weights} weights, {bias} biases, {fanIn} inputs, {units} units.");
    }
}
