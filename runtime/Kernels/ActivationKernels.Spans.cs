using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HiddenSpace.Kernels;

// The span form: once per layer, for wide and looped layers, softmax and the matrix form. The entry points repeat
// one shape on purpose: each is the name generated code calls, forwarding its function to the one loop, Apply.
public static partial class ActivationKernels
{
    /// <summary>a = tanh(z).</summary>
    public static void Tanh(ReadOnlySpan<float> z, Span<float> a) => Apply<TanhOp>(z, a, scale: false);

    /// <summary>a = 1 / (1 + e^-z).</summary>
    public static void Sigmoid(ReadOnlySpan<float> z, Span<float> a) => Apply<SigmoidOp>(z, a, scale: false);

    /// <summary>a = max(z, 0).</summary>
    public static void ReLU(ReadOnlySpan<float> z, Span<float> a) => Apply<ReluOp>(z, a, scale: false);

    /// <summary>a = z &gt; 0 ? z : 0.01·z.</summary>
    public static void LeakyReLU(ReadOnlySpan<float> z, Span<float> a) => Apply<LeakyReluOp>(z, a, scale: false);

    /// <summary>a = ln(1 + e^z).</summary>
    public static void Softplus(ReadOnlySpan<float> z, Span<float> a) => Apply<SoftplusOp>(z, a, scale: false);

    /// <summary>a = 0.5·z·(1 + tanh(√(2/π)(z + 0.044715 z³))).</summary>
    public static void GELU(ReadOnlySpan<float> z, Span<float> a) => Apply<GeluOp>(z, a, scale: false);

    /// <summary>a = z &gt; 0 ? z : e^z − 1.</summary>
    public static void ELU(ReadOnlySpan<float> z, Span<float> a) => Apply<EluOp>(z, a, scale: false);

    /// <summary>a = softmax(z) over the whole span (max-subtracted, so large logits do not overflow).</summary>
    public static void Softmax(ReadOnlySpan<float> z, Span<float> a)
    {
        CheckLengths(z.Length, a.Length);
        float max = float.NegativeInfinity;
        foreach (float value in z) max = MathF.Max(max, value);
        for (int i = 0; i < z.Length; i++) a[i] = z[i] - max;
        Apply<ExpOp>(a, a, scale: false); // e^(z − max) through the lane code (LaneExp), as the batch path computes it
        float sum = 0f;
        foreach (float value in a) sum += value;
        float inverse = 1f / sum;
        for (int i = 0; i < a.Length; i++) a[i] *= inverse;
    }

    /// <summary>d ← d·(1 − a²) for a = tanh(z).</summary>
    public static void TanhBackward(ReadOnlySpan<float> a, Span<float> d) => Apply<TanhDerivativeOp>(a, d, scale: true);

    /// <summary>d ← d·a·(1 − a) for a = sigmoid(z).</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> a, Span<float> d) => Apply<SigmoidDerivativeOp>(a, d, scale: true);

    /// <summary>d ← z &gt; 0 ? d : 0.</summary>
    public static void ReLUBackward(ReadOnlySpan<float> z, Span<float> d) => Apply<ReluDerivativeOp>(z, d, scale: true);

    /// <summary>d ← z &gt; 0 ? d : 0.01·d.</summary>
    public static void LeakyReLUBackward(ReadOnlySpan<float> z, Span<float> d) => Apply<LeakyReluDerivativeOp>(z, d, scale: true);

    /// <summary>d ← d·sigmoid(z), the derivative of softplus.</summary>
    public static void SoftplusBackward(ReadOnlySpan<float> z, Span<float> d) => Apply<SigmoidOp>(z, d, scale: true);

    /// <summary>d ← d·GELU'(z) (tanh form).</summary>
    public static void GELUBackward(ReadOnlySpan<float> z, Span<float> d) => Apply<GeluDerivativeOp>(z, d, scale: true);

    /// <summary>d ← d·(z &gt; 0 ? 1 : a + 1) for a = ELU(z).</summary>
    public static void ELUBackward(ReadOnlySpan<float> a, ReadOnlySpan<float> z, Span<float> d)
    {
        CheckLengths(a.Length, d.Length);
        CheckLengths(z.Length, d.Length);
        for (int i = 0; i < d.Length; i++)
            d[i] *= ELUDerivative(a[i], z[i]);
    }

    /// <summary>
    /// destination[i] = TOp(source[i]), or destination[i] *= TOp(source[i]) when <paramref name="scale"/> (a backward
    /// step), at the widest accelerated width.
    /// </summary>
    private static void Apply<TOp>(ReadOnlySpan<float> source, Span<float> destination, bool scale) where TOp : IVectorOp
    {
        CheckLengths(source.Length, destination.Length);
        if (Vector512.IsHardwareAccelerated) Apply<TOp, Vector512<float>, Lane512>(source, destination, scale);
        else if (Vector256.IsHardwareAccelerated) Apply<TOp, Vector256<float>, Lane256>(source, destination, scale);
        else Apply<TOp, Vector128<float>, Lane128>(source, destination, scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Apply<TOp, TVector, TMath>(ReadOnlySpan<float> source, Span<float> destination, bool scale) where TOp : IVectorOp where TVector : struct where TMath : ILaneMath<TVector>
    {
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int lanes = TMath.Count, i = 0;
        for (; i <= source.Length - lanes; i += lanes)
        {
            ref TVector target = ref Unsafe.As<float, TVector>(ref Unsafe.Add(ref dst, i));
            TVector value = TOp.Apply<TVector, TMath>(Unsafe.As<float, TVector>(ref Unsafe.Add(ref src, i)));
            target = scale ? TMath.Multiply(target, value) : value;
        }
        // The tail (and a layer narrower than a vector) goes element by element through the same vector
        // code, broadcast: the same bits as the vector path, without copying through a padded buffer.
        for (; i < source.Length; i++)
        {
            float value = TOp.Apply<Vector128<float>, Lane128>(Vector128.Create(source[i])).ToScalar();
            destination[i] = scale ? destination[i] * value : value;
        }
    }

    // The check inlines into every kernel, the throw does not (its message would keep the check out of line).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckLengths(int source, int destination)
    {
        if (source != destination) ThrowLengthsDiffer(source, destination);
    }

    [DoesNotReturn]
    private static void ThrowLengthsDiffer(int source, int destination) =>
        throw new ArgumentException($"Spans differ in length: {source} and {destination}.");
}
