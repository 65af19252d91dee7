using System;
using System.Runtime.CompilerServices;

namespace HiddenSpace.Kernels;

// The lane form: each vector holds one neuron's value for a lane of samples (the generated batch path, at any
// width, see ILaneMath). Wide layers apply their activation through these, once per layer and lane group (a call
// whose loop inlines the vector function once, where per-unit calls in the layer method would exhaust the JIT's
// inlining budget); narrow layers and every derivative go per unit through the generic vector functions.
public static partial class ActivationKernels
{
    /// <summary>a[j] = tanh(z[j]) for a lane of samples per element.</summary>
    public static void Tanh<TVector, TMath>(ReadOnlySpan<TVector> z, Span<TVector> a) where TVector : struct where TMath : ILaneMath<TVector> => MapLanes<TanhOp, TVector, TMath>(z, a);

    /// <summary>a[j] = sigmoid(z[j]) for a lane of samples per element.</summary>
    public static void Sigmoid<TVector, TMath>(ReadOnlySpan<TVector> z, Span<TVector> a) where TVector : struct where TMath : ILaneMath<TVector> => MapLanes<SigmoidOp, TVector, TMath>(z, a);

    /// <summary>a[j] = max(z[j], 0) for a lane of samples per element.</summary>
    public static void ReLU<TVector, TMath>(ReadOnlySpan<TVector> z, Span<TVector> a) where TVector : struct where TMath : ILaneMath<TVector> => MapLanes<ReluOp, TVector, TMath>(z, a);

    /// <summary>Leaky ReLU for a lane of samples per element.</summary>
    public static void LeakyReLU<TVector, TMath>(ReadOnlySpan<TVector> z, Span<TVector> a) where TVector : struct where TMath : ILaneMath<TVector> => MapLanes<LeakyReluOp, TVector, TMath>(z, a);

    /// <summary>Softplus for a lane of samples per element.</summary>
    public static void Softplus<TVector, TMath>(ReadOnlySpan<TVector> z, Span<TVector> a) where TVector : struct where TMath : ILaneMath<TVector> => MapLanes<SoftplusOp, TVector, TMath>(z, a);

    /// <summary>GELU (tanh form) for a lane of samples per element.</summary>
    public static void GELU<TVector, TMath>(ReadOnlySpan<TVector> z, Span<TVector> a) where TVector : struct where TMath : ILaneMath<TVector> => MapLanes<GeluOp, TVector, TMath>(z, a);

    /// <summary>ELU for a lane of samples per element.</summary>
    public static void ELU<TVector, TMath>(ReadOnlySpan<TVector> z, Span<TVector> a) where TVector : struct where TMath : ILaneMath<TVector> => MapLanes<EluOp, TVector, TMath>(z, a);

    /// <summary>Softmax across the span (the layer's units), separately in each lane.</summary>
    public static void Softmax<TVector, TMath>(ReadOnlySpan<TVector> z, Span<TVector> a) where TVector : struct where TMath : ILaneMath<TVector>
    {
        CheckLengths(z.Length, a.Length);
        Softmax<TVector, TMath>(z, a, z.Length, 1);
    }

    /// <summary>
    /// Softmax across <paramref name="units"/> vectors <paramref name="stride"/> apart (a unit's vector of a
    /// feature-major block, see <see cref="MatrixKernels.Softmax"/>), separately in each lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Softmax<TVector, TMath>(ReadOnlySpan<TVector> z, Span<TVector> a, int units, int stride) where TVector : struct where TMath : ILaneMath<TVector>
    {
        TVector max = TMath.Create(float.NegativeInfinity);
        for (int j = 0; j < units; j++) max = TMath.Max(max, z[j * stride]);
        TVector sum = default;
        for (int j = 0; j < units; j++)
        {
            a[j * stride] = TMath.Exp(TMath.Subtract(z[j * stride], max));
            sum = TMath.Add(sum, a[j * stride]);
        }
        TVector inverse = TMath.Divide(TMath.Create(1f), sum);
        for (int j = 0; j < units; j++) a[j * stride] = TMath.Multiply(a[j * stride], inverse);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MapLanes<TOp, TVector, TMath>(ReadOnlySpan<TVector> source, Span<TVector> destination) where TOp : IVectorOp where TVector : struct where TMath : ILaneMath<TVector>
    {
        CheckLengths(source.Length, destination.Length);
        for (int i = 0; i < source.Length; i++) destination[i] = TOp.Apply<TVector, TMath>(source[i]);
    }
}
