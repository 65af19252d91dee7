using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HiddenSpace.Baselines;

/// <summary>
/// Dense kernels with explicit <see cref="Vector512{T}"/> (16 floats) where the hardware accelerates it, then
/// <see cref="Vector256{T}"/> (8 floats; all of the work on machines without AVX-512), then a scalar tail. The row-major layout makes the fan-in the contiguous axis, so
/// the forward pass is one vector dot product per neuron (two accumulators, one horizontal sum), and the
/// backward pass is row-wise multiply-adds across neurons: dW[o,:] += dz[o]·x and dx += dz[o]·W[o,:].
/// Activations stay scalar (<see cref="MathF.Tanh"/>), as in the other baselines.
/// </summary>
public sealed class SimdMlp : FlatMlp
{
    /// <summary>A zero-initialised network of <paramref name="shape"/>; load parameters before use.</summary>
    public SimdMlp(NetworkShape shape, float learningRate) : base(shape, learningRate) { }

    /// <inheritdoc/>
    protected override void DenseForward(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> x, Span<float> z)
    {
        for (int o = 0; o < z.Length; o++)
            z[o] = bias[o] + Dot(weights.Slice(o * x.Length, x.Length), x);
    }

    /// <inheritdoc/>
    protected override void DenseGradients(ReadOnlySpan<float> dz, ReadOnlySpan<float> x, Span<float> dWeights, Span<float> dBias)
    {
        for (int o = 0; o < dz.Length; o++)
        {
            dBias[o] += dz[o];
            AddScaled(dz[o], x, dWeights.Slice(o * x.Length, x.Length));
        }
    }

    /// <inheritdoc/>
    protected override void DenseBackpropagate(ReadOnlySpan<float> weights, ReadOnlySpan<float> dz, Span<float> dx)
    {
        dx.Clear();
        for (int o = 0; o < dz.Length; o++)
            AddScaled(dz[o], weights.Slice(o * dx.Length, dx.Length), dx);
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        int n = Math.Min(a.Length, b.Length), i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            Vector512<float> sum0 = Vector512<float>.Zero, sum1 = Vector512<float>.Zero;
            for (; i <= n - 2 * Vector512<float>.Count; i += 2 * Vector512<float>.Count)
            {
                sum0 += Vector512.LoadUnsafe(ref pa, (nuint)i) * Vector512.LoadUnsafe(ref pb, (nuint)i);
                sum1 += Vector512.LoadUnsafe(ref pa, (nuint)(i + Vector512<float>.Count)) * Vector512.LoadUnsafe(ref pb, (nuint)(i + Vector512<float>.Count));
            }
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                sum0 += Vector512.LoadUnsafe(ref pa, (nuint)i) * Vector512.LoadUnsafe(ref pb, (nuint)i);
            sum = Vector512.Sum(sum0 + sum1);
        }
        if (n - i >= Vector256<float>.Count)
        {
            Vector256<float> sum0 = Vector256<float>.Zero, sum1 = Vector256<float>.Zero;
            for (; i <= n - 2 * Vector256<float>.Count; i += 2 * Vector256<float>.Count)
            {
                sum0 += Vector256.LoadUnsafe(ref pa, (nuint)i) * Vector256.LoadUnsafe(ref pb, (nuint)i);
                sum1 += Vector256.LoadUnsafe(ref pa, (nuint)(i + Vector256<float>.Count)) * Vector256.LoadUnsafe(ref pb, (nuint)(i + Vector256<float>.Count));
            }
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                sum0 += Vector256.LoadUnsafe(ref pa, (nuint)i) * Vector256.LoadUnsafe(ref pb, (nuint)i);
            sum += Vector256.Sum(sum0 + sum1);
        }
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    private static void AddScaled(float scale, ReadOnlySpan<float> source, Span<float> destination)
    {
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int n = Math.Min(source.Length, destination.Length), i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                (Vector512.LoadUnsafe(ref dst, (nuint)i) + scale * Vector512.LoadUnsafe(ref src, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
        for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            (Vector256.LoadUnsafe(ref dst, (nuint)i) + scale * Vector256.LoadUnsafe(ref src, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
        for (; i < n; i++) destination[i] += scale * source[i];
    }
}
