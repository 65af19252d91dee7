using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics;

namespace HiddenSpace.Kernels;

/// <summary>
/// Vectorised activation functions and their backward steps, called once per layer by generated code
/// (and by nothing per neuron). Every element goes through the same <see cref="Vector{T}"/> code (8 lanes
/// with AVX2, 16 with AVX-512 when DOTNET_PreferredVectorBitWidth=512), a short tail one broadcast element
/// at a time, so a value's result does not depend on its position.
/// Forward kernels read pre-activations z and write activations a (they may alias). Backward kernels turn
/// the gradient with respect to a, held in <c>d</c>, into the gradient with respect to z, in place.
/// </summary>
public static class ActivationKernels
{
    private static int Lanes => Vector<float>.Count;

    // tanh as a rational function (the Eigen/XLA float approximation): x·P(x²)/Q(x²) on [-c, c], ±1 beyond.
    // Measured |relative error| ≤ 1e-6 against double tanh over the whole float range (see tests).
    private const float TanhClamp = 7.90531110763549805f;
    private const float TanhA1 = 4.89352455891786e-03f, TanhA3 = 6.37261928875436e-04f, TanhA5 = 1.48572235717979e-05f;
    private const float TanhA7 = 5.12229709037114e-08f, TanhA9 = -8.60467152213735e-11f, TanhA11 = 2.00018790482477e-13f;
    private const float TanhA13 = -2.76076847742355e-16f;
    private const float TanhB0 = 4.89352518554385e-03f, TanhB2 = 2.26843463243900e-03f, TanhB4 = 1.18534705686654e-04f;
    private const float TanhB6 = 1.19825839466702e-06f;

    // Clamps use MinNative/MaxNative (one vminps/vmaxps; Vector.Min/Max's IEEE 754:2019 semantics cost ~10
    // instructions each on x86) with the bound first: x86 returns the second operand when either is NaN, so a
    // NaN input still comes out NaN.
    private const float LeakySlope = 0.01f;
    private const float GeluScale = 0.7978845608028654f; // √(2/π)
    private const float GeluCubic = 0.044715f;

    /// <summary>The 16-lane tanh approximation used by generated code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Tanh(Vector<float> x)
    {
        Vector<float> c = new Vector<float>(TanhClamp);
        x = Vector.MinNative(c, Vector.MaxNative(-c, x));
        Vector<float> x2 = x * x;
        Vector<float> p = Vector.FusedMultiplyAdd(x2, new Vector<float>(TanhA13), new Vector<float>(TanhA11));
        p = Vector.FusedMultiplyAdd(x2, p, new Vector<float>(TanhA9));
        p = Vector.FusedMultiplyAdd(x2, p, new Vector<float>(TanhA7));
        p = Vector.FusedMultiplyAdd(x2, p, new Vector<float>(TanhA5));
        p = Vector.FusedMultiplyAdd(x2, p, new Vector<float>(TanhA3));
        p = Vector.FusedMultiplyAdd(x2, p, new Vector<float>(TanhA1));
        p *= x;
        Vector<float> q = Vector.FusedMultiplyAdd(x2, new Vector<float>(TanhB6), new Vector<float>(TanhB4));
        q = Vector.FusedMultiplyAdd(x2, q, new Vector<float>(TanhB2));
        q = Vector.FusedMultiplyAdd(x2, q, new Vector<float>(TanhB0));
        return p / q;
    }

    /// <summary>1 / (1 + e^-x), all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sigmoid(Vector<float> x) =>
        Vector<float>.One / (Vector<float>.One + Vector.Exp(-x));

    /// <summary>ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|), all lanes, without overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Softplus(Vector<float> x) =>
        Vector.MaxNative(Vector<float>.Zero, x) + Vector.Log(Vector<float>.One + Vector.Exp(-Vector.Abs(x)));

    /// <summary>max(x, 0), all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ReLU(Vector<float> x) => Vector.MaxNative(Vector<float>.Zero, x);

    /// <summary>x &gt; 0 ? x : 0.01·x, all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> LeakyReLU(Vector<float> x) =>
        Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<float>.Zero), x, x * LeakySlope);

    /// <summary>0.5·x·(1 + tanh(√(2/π)(x + 0.044715 x³))), all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> GELU(Vector<float> x)
    {
        Vector<float> inner = GeluScale * Vector.FusedMultiplyAdd(GeluCubic * x * x, x, x);
        return 0.5f * x * (Vector<float>.One + Tanh(inner));
    }

    /// <summary>x &gt; 0 ? x : e^x − 1, all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ELU(Vector<float> x) =>
        Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<float>.Zero), x, Vector.Exp(Vector.MinNative(Vector<float>.Zero, x)) - Vector<float>.One);

    /// <summary>tanh'(z) = 1 − a² from the activation a = tanh(z), all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> TanhDerivative(Vector<float> a) => Vector<float>.One - a * a;

    /// <summary>sigmoid'(z) = a·(1 − a) from the activation a = sigmoid(z), all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> SigmoidDerivative(Vector<float> a) => a * (Vector<float>.One - a);

    /// <summary>ReLU'(z) = z &gt; 0 ? 1 : 0, all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ReLUDerivative(Vector<float> z) =>
        Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<float>.Zero), Vector<float>.One, Vector<float>.Zero);

    /// <summary>LeakyReLU'(z) = z &gt; 0 ? 1 : 0.01, all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> LeakyReLUDerivative(Vector<float> z) =>
        Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<float>.Zero), Vector<float>.One, new Vector<float>(LeakySlope));

    /// <summary>softplus'(z) = sigmoid(z), all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> SoftplusDerivative(Vector<float> z) => Sigmoid(z);

    /// <summary>GELU'(z) of the tanh form, all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> GELUDerivative(Vector<float> z)
    {
        Vector<float> z2 = z * z;
        Vector<float> t = Tanh(GeluScale * Vector.FusedMultiplyAdd(GeluCubic * z2, z, z));
        Vector<float> dInner = GeluScale * Vector.FusedMultiplyAdd(new Vector<float>(3f * GeluCubic), z2, Vector<float>.One);
        return 0.5f * (Vector<float>.One + t) + 0.5f * z * (Vector<float>.One - t * t) * dInner;
    }

    /// <summary>ELU'(z) = z &gt; 0 ? 1 : a + 1 from a = ELU(z), all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ELUDerivative(Vector<float> a, Vector<float> z) =>
        Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<float>.Zero), Vector<float>.One, a + Vector<float>.One);

    // ---- One value: per-unit calls from generated code (narrow layers and every unrolled backward step). Each
    // goes through the Vector function above on a broadcast value, so it returns the bits the layer kernels
    // return for that value; the derivatives that are plain arithmetic are written out. ----

    /// <summary>tanh(x), as <see cref="Tanh(Vector{float})"/> computes it.</summary>
    public static float Tanh(float x) => Tanh(new Vector<float>(x)).ToScalar();

    /// <summary>1 / (1 + e^-x), as <see cref="Sigmoid(Vector{float})"/> computes it.</summary>
    public static float Sigmoid(float x) => Sigmoid(new Vector<float>(x)).ToScalar();

    /// <summary>ln(1 + e^x), as <see cref="Softplus(Vector{float})"/> computes it.</summary>
    public static float Softplus(float x) => Softplus(new Vector<float>(x)).ToScalar();

    /// <summary>max(x, 0).</summary>
    public static float ReLU(float x) => ReLU(new Vector<float>(x)).ToScalar();

    /// <summary>x &gt; 0 ? x : 0.01·x.</summary>
    public static float LeakyReLU(float x) => LeakyReLU(new Vector<float>(x)).ToScalar();

    /// <summary>GELU (tanh form), as <see cref="GELU(Vector{float})"/> computes it.</summary>
    public static float GELU(float x) => GELU(new Vector<float>(x)).ToScalar();

    /// <summary>x &gt; 0 ? x : e^x − 1, as <see cref="ELU(Vector{float})"/> computes it.</summary>
    public static float ELU(float x) => ELU(new Vector<float>(x)).ToScalar();

    /// <summary>1 − a² for a = tanh(z).</summary>
    public static float TanhDerivative(float a) => 1f - a * a;

    /// <summary>a·(1 − a) for a = sigmoid(z).</summary>
    public static float SigmoidDerivative(float a) => a * (1f - a);

    /// <summary>z &gt; 0 ? 1 : 0.</summary>
    public static float ReLUDerivative(float z) => z > 0f ? 1f : 0f;

    /// <summary>z &gt; 0 ? 1 : 0.01.</summary>
    public static float LeakyReLUDerivative(float z) => z > 0f ? 1f : LeakySlope;

    /// <summary>sigmoid(z), as <see cref="Sigmoid(Vector{float})"/> computes it.</summary>
    public static float SoftplusDerivative(float z) => Sigmoid(z);

    /// <summary>GELU'(z), as <see cref="GELUDerivative(Vector{float})"/> computes it.</summary>
    public static float GELUDerivative(float z) => GELUDerivative(new Vector<float>(z)).ToScalar();

    /// <summary>z &gt; 0 ? 1 : a + 1 for a = ELU(z).</summary>
    public static float ELUDerivative(float a, float z) => z > 0f ? 1f : a + 1f;

    /// <summary>a = tanh(z).</summary>
    public static void Tanh(ReadOnlySpan<float> z, Span<float> a) => Map<TanhOp>(z, a);

    /// <summary>a = 1 / (1 + e^-z).</summary>
    public static void Sigmoid(ReadOnlySpan<float> z, Span<float> a) => Map<SigmoidOp>(z, a);

    /// <summary>a = max(z, 0).</summary>
    public static void ReLU(ReadOnlySpan<float> z, Span<float> a) => Map<ReluOp>(z, a);

    /// <summary>a = z &gt; 0 ? z : 0.01·z.</summary>
    public static void LeakyReLU(ReadOnlySpan<float> z, Span<float> a) => Map<LeakyReluOp>(z, a);

    /// <summary>a = ln(1 + e^z).</summary>
    public static void Softplus(ReadOnlySpan<float> z, Span<float> a) => Map<SoftplusOp>(z, a);

    /// <summary>a = 0.5·z·(1 + tanh(√(2/π)(z + 0.044715 z³))).</summary>
    public static void GELU(ReadOnlySpan<float> z, Span<float> a) => Map<GeluOp>(z, a);

    /// <summary>a = z &gt; 0 ? z : e^z − 1.</summary>
    public static void ELU(ReadOnlySpan<float> z, Span<float> a) => Map<EluOp>(z, a);

    /// <summary>a = softmax(z) over the whole span (max-subtracted, so large logits do not overflow).</summary>
    public static void Softmax(ReadOnlySpan<float> z, Span<float> a)
    {
        CheckLengths(z.Length, a.Length);
        float max = float.NegativeInfinity;
        foreach (float value in z) max = MathF.Max(max, value);
        float sum = 0f;
        for (int i = 0; i < z.Length; i++)
        {
            a[i] = MathF.Exp(z[i] - max);
            sum += a[i];
        }
        float inverse = 1f / sum;
        for (int i = 0; i < a.Length; i++) a[i] *= inverse;
    }

    /// <summary>d ← d·(1 − a²) for a = tanh(z).</summary>
    public static void TanhBackward(ReadOnlySpan<float> a, Span<float> d) => Scale<TanhDerivativeOp>(a, d);

    /// <summary>d ← d·a·(1 − a) for a = sigmoid(z).</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> a, Span<float> d) => Scale<SigmoidDerivativeOp>(a, d);

    /// <summary>d ← z &gt; 0 ? d : 0.</summary>
    public static void ReLUBackward(ReadOnlySpan<float> z, Span<float> d) => Scale<ReluDerivativeOp>(z, d);

    /// <summary>d ← z &gt; 0 ? d : 0.01·d.</summary>
    public static void LeakyReLUBackward(ReadOnlySpan<float> z, Span<float> d) => Scale<LeakyReluDerivativeOp>(z, d);

    /// <summary>d ← d·sigmoid(z), the derivative of softplus.</summary>
    public static void SoftplusBackward(ReadOnlySpan<float> z, Span<float> d) => Scale<SigmoidOp>(z, d);

    /// <summary>d ← d·GELU'(z) (tanh form).</summary>
    public static void GELUBackward(ReadOnlySpan<float> z, Span<float> d) => Scale<GeluDerivativeOp>(z, d);

    /// <summary>d ← d·(z &gt; 0 ? 1 : a + 1) for a = ELU(z).</summary>
    public static void ELUBackward(ReadOnlySpan<float> a, ReadOnlySpan<float> z, Span<float> d)
    {
        CheckLengths(a.Length, d.Length);
        CheckLengths(z.Length, d.Length);
        for (int i = 0; i < d.Length; i++)
            d[i] *= ELUDerivative(a[i], z[i]);
    }

    // ---- Lane form: each Vector holds one neuron's value for Vector<float>.Count samples (the generated batch
    // path). Wide layers apply their activation through these, once per layer and lane group (a call whose loop
    // inlines the Vector function once, where per-unit calls in the layer method would exhaust the JIT's inlining
    // budget); narrow layers and every derivative go per unit through the Vector functions above. ----

    /// <summary>a[j] = tanh(z[j]) for a lane of samples per element.</summary>
    public static void Tanh(ReadOnlySpan<Vector<float>> z, Span<Vector<float>> a) => MapLanes<TanhOp>(z, a);

    /// <summary>a[j] = sigmoid(z[j]) for a lane of samples per element.</summary>
    public static void Sigmoid(ReadOnlySpan<Vector<float>> z, Span<Vector<float>> a) => MapLanes<SigmoidOp>(z, a);

    /// <summary>a[j] = max(z[j], 0) for a lane of samples per element.</summary>
    public static void ReLU(ReadOnlySpan<Vector<float>> z, Span<Vector<float>> a) => MapLanes<ReluOp>(z, a);

    /// <summary>Leaky ReLU for a lane of samples per element.</summary>
    public static void LeakyReLU(ReadOnlySpan<Vector<float>> z, Span<Vector<float>> a) => MapLanes<LeakyReluOp>(z, a);

    /// <summary>Softplus for a lane of samples per element.</summary>
    public static void Softplus(ReadOnlySpan<Vector<float>> z, Span<Vector<float>> a) => MapLanes<SoftplusOp>(z, a);

    /// <summary>GELU (tanh form) for a lane of samples per element.</summary>
    public static void GELU(ReadOnlySpan<Vector<float>> z, Span<Vector<float>> a) => MapLanes<GeluOp>(z, a);

    /// <summary>ELU for a lane of samples per element.</summary>
    public static void ELU(ReadOnlySpan<Vector<float>> z, Span<Vector<float>> a) => MapLanes<EluOp>(z, a);

    /// <summary>Softmax across the span (the layer's units), separately in each lane.</summary>
    public static void Softmax(ReadOnlySpan<Vector<float>> z, Span<Vector<float>> a)
    {
        CheckLengths(z.Length, a.Length);
        Vector<float> max = new Vector<float>(float.NegativeInfinity);
        foreach (Vector<float> value in z) max = Vector.Max(max, value);
        Vector<float> sum = Vector<float>.Zero;
        for (int j = 0; j < z.Length; j++)
        {
            a[j] = Vector.Exp(z[j] - max);
            sum += a[j];
        }
        Vector<float> inverse = Vector<float>.One / sum;
        for (int j = 0; j < a.Length; j++) a[j] *= inverse;
    }

    private static void MapLanes<TOp>(ReadOnlySpan<Vector<float>> source, Span<Vector<float>> destination) where TOp : IVectorOp
    {
        CheckLengths(source.Length, destination.Length);
        for (int i = 0; i < source.Length; i++) destination[i] = TOp.Apply(source[i]);
    }

    private interface IVectorOp
    {
        static abstract Vector<float> Apply(Vector<float> x);
    }

    private readonly struct TanhOp : IVectorOp
    {
        public static Vector<float> Apply(Vector<float> x) => Tanh(x);
    }

    private readonly struct SigmoidOp : IVectorOp
    {
        public static Vector<float> Apply(Vector<float> x) => Sigmoid(x);
    }

    private readonly struct ReluOp : IVectorOp
    {
        public static Vector<float> Apply(Vector<float> x) => ReLU(x);
    }

    private readonly struct LeakyReluOp : IVectorOp
    {
        public static Vector<float> Apply(Vector<float> x) => LeakyReLU(x);
    }

    private readonly struct SoftplusOp : IVectorOp
    {
        public static Vector<float> Apply(Vector<float> x) => Softplus(x);
    }

    private readonly struct GeluOp : IVectorOp
    {
        public static Vector<float> Apply(Vector<float> x) => GELU(x);
    }

    private readonly struct EluOp : IVectorOp
    {
        public static Vector<float> Apply(Vector<float> x) => ELU(x);
    }

    private readonly struct TanhDerivativeOp : IVectorOp
    {
        public static Vector<float> Apply(Vector<float> a) => TanhDerivative(a);
    }

    private readonly struct SigmoidDerivativeOp : IVectorOp
    {
        public static Vector<float> Apply(Vector<float> a) => SigmoidDerivative(a);
    }

    private readonly struct ReluDerivativeOp : IVectorOp
    {
        public static Vector<float> Apply(Vector<float> z) => ReLUDerivative(z);
    }

    private readonly struct LeakyReluDerivativeOp : IVectorOp
    {
        public static Vector<float> Apply(Vector<float> z) => LeakyReLUDerivative(z);
    }

    private readonly struct GeluDerivativeOp : IVectorOp
    {
        public static Vector<float> Apply(Vector<float> z) => GELUDerivative(z);
    }

    /// <summary>destination[i] = TOp(source[i]).</summary>
    private static void Map<TOp>(ReadOnlySpan<float> source, Span<float> destination) where TOp : IVectorOp
    {
        CheckLengths(source.Length, destination.Length);
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        for (; i <= source.Length - Lanes; i += Lanes)
            TOp.Apply(Vector.LoadUnsafe(ref src, (nuint)i)).StoreUnsafe(ref dst, (nuint)i);
        // The tail (and a layer narrower than a vector) goes element by element through the same vector
        // code, broadcast: the same bits as the vector path, without copying through a padded buffer.
        for (; i < source.Length; i++)
            destination[i] = TOp.Apply(new Vector<float>(source[i]))[0];
    }

    /// <summary>destination[i] *= TOp(source[i]).</summary>
    private static void Scale<TOp>(ReadOnlySpan<float> source, Span<float> destination) where TOp : IVectorOp
    {
        CheckLengths(source.Length, destination.Length);
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        for (; i <= source.Length - Lanes; i += Lanes)
        {
            Vector<float> factor = TOp.Apply(Vector.LoadUnsafe(ref src, (nuint)i));
            (Vector.LoadUnsafe(ref dst, (nuint)i) * factor).StoreUnsafe(ref dst, (nuint)i);
        }
        for (; i < source.Length; i++)
            destination[i] *= TOp.Apply(new Vector<float>(source[i]))[0];
    }

    private static void CheckLengths(int source, int destination)
    {
        if (source != destination)
            throw new ArgumentException($"Spans differ in length: {source} and {destination}.");
    }
}
