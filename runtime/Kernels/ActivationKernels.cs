using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HiddenSpace.Kernels;

/// <summary>
/// Vectorised activation functions and their derivatives, in the three forms generated code calls: one value (per
/// unit: narrow unrolled layers, and the derivatives in unrolled backward steps), a span (once per layer: wide and
/// looped layers, softmax, the matrix form; <c>ActivationKernels.Spans.cs</c>) and lane vectors (the same for a layer
/// of the batch path; <c>ActivationKernels.Lanes.cs</c>).
/// Every form goes through the same vector code (<see cref="ILaneMath{TVector}"/>, at the widest accelerated width;
/// a span's tail and a single value one broadcast element at a time), so a value's result does not depend on its
/// position, on the form or on the width: each lane computes the same operations.
/// Forward kernels read pre-activations z and write activations a (they may alias). Backward kernels turn
/// the gradient with respect to a, held in <c>d</c>, into the gradient with respect to z, in place.
/// </summary>
public static partial class ActivationKernels
{
    // tanh as a rational function x·(P(x²)/Q(x²)) on [-8, 8], ±8·P(64)/Q(64) beyond (1 − 4.2e-7, where tanh is within
    // 2.3e-7 of 1): P of degree 4 and Q of degree 3 in x², fitted for the least largest relative error (Lawson's
    // iteration, 30,000 points), then both divided by P's leading coefficient, so that P is monic and its first Horner
    // step an addition (x² + p3 runs on the addition pipes, not on the two FMA pipes that bound this kernel: 68 tanh
    // vectors of 16 lanes 116 → 110 ns, Zen 5), and rounded to float and moved by a few ulps each to the least largest
    // error over every 61st float. P and Q share their constant term and the ratio is taken before the product with x,
    // so tanh(x) = x exactly where x² is too small to move either sum, subnormals included ((x·P)/Q missed by an ulp
    // there). Largest relative error 5.1e-7 against double tanh over every float (an exhaustive sweep; the test
    // samples it; 5.0e-7 with constant terms 1 and one more multiply-add). The 13/6 rational before that (Eigen's) was
    // within 2.9e-7 from 1e-30 on and took two more fused multiply-adds than the 4/3 form (135 ns for the 68 vectors).
    // Internal, not private: OnnxExport writes the same function out as ONNX operators.
    internal const float TanhClamp = 8f;
    internal const float TanhP3 = -1161.9215f, TanhP2 = -436262.72f, TanhP1 = -20539818f;
    internal const float TanhQ3 = -31869.408f, TanhQ2 = -3693958.2f, TanhQ1 = -74376856f;
    internal const float TanhConstant = -161511710f; // P's and Q's

    internal const float LeakySlope = 0.01f;
    internal const float GeluScale = 0.7978845608028654f; // √(2/π)
    internal const float GeluCubic = 0.044715f;

    /// <summary>The tanh approximation used by generated code, on every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Tanh<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector>
    {
        // The clamp uses MinNative/MaxNative (one vminps/vmaxps; Vector.Min/Max's IEEE 754:2019 semantics cost ~10
        // instructions each on x86) with the bound first: x86 returns the second operand when either is NaN, so a
        // NaN input still comes out NaN.
        TVector c = TMath.Create(TanhClamp);
        x = TMath.MinNative(c, TMath.MaxNative(TMath.Create(-TanhClamp), x));
        TVector x2 = TMath.Multiply(x, x), constant = TMath.Create(TanhConstant);
        TVector p = TMath.Add(x2, TMath.Create(TanhP3));
        p = TMath.FusedMultiplyAdd(x2, p, TMath.Create(TanhP2));
        p = TMath.FusedMultiplyAdd(x2, p, TMath.Create(TanhP1));
        p = TMath.FusedMultiplyAdd(x2, p, constant);
        TVector q = TMath.FusedMultiplyAdd(x2, TMath.Create(TanhQ3), TMath.Create(TanhQ2));
        q = TMath.FusedMultiplyAdd(x2, q, TMath.Create(TanhQ1));
        q = TMath.FusedMultiplyAdd(x2, q, constant);
        return TMath.Multiply(TMath.Divide(p, q), x);
    }

    /// <summary>1 / (1 + e^-x), all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Sigmoid<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector>
    {
        TVector one = TMath.Create(1f);
        return TMath.Divide(one, TMath.Add(one, TMath.Exp(TMath.Subtract(default, x))));
    }

    /// <summary>ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|), all lanes, without overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Softplus<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector> =>
        TMath.Add(TMath.MaxNative(default, x),
            TMath.LogAtLeastOne(TMath.Add(TMath.Create(1f), TMath.Exp(TMath.Subtract(default, TMath.Abs(x))))));

    /// <summary>max(x, 0), all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector ReLU<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector> => TMath.MaxNative(default, x);

    /// <summary>x &gt; 0 ? x : 0.01·x, all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector LeakyReLU<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector> =>
        TMath.SelectPositive(x, x, TMath.Multiply(x, TMath.Create(LeakySlope)));

    /// <summary>0.5·x·(1 + tanh(√(2/π)(x + 0.044715 x³))), all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector GELU<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector>
    {
        TVector cubic = TMath.Multiply(TMath.Multiply(TMath.Create(GeluCubic), x), x);
        TVector inner = TMath.Multiply(TMath.Create(GeluScale), TMath.FusedMultiplyAdd(cubic, x, x));
        TVector half = TMath.Multiply(TMath.Create(0.5f), x);
        return TMath.Multiply(half, TMath.Add(TMath.Create(1f), Tanh<TVector, TMath>(inner)));
    }

    /// <summary>x &gt; 0 ? x : e^x − 1, all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector ELU<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector> =>
        TMath.SelectPositive(x, x, TMath.Subtract(TMath.Exp(TMath.MinNative(default, x)), TMath.Create(1f)));

    /// <summary>tanh'(z) = 1 − a² from the activation a = tanh(z), all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector TanhDerivative<TVector, TMath>(TVector a) where TVector : struct where TMath : ILaneMath<TVector> =>
        TMath.Subtract(TMath.Create(1f), TMath.Multiply(a, a));

    /// <summary>sigmoid'(z) = a·(1 − a) from the activation a = sigmoid(z), all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector SigmoidDerivative<TVector, TMath>(TVector a) where TVector : struct where TMath : ILaneMath<TVector> =>
        TMath.Multiply(a, TMath.Subtract(TMath.Create(1f), a));

    /// <summary>ReLU'(z) = z &gt; 0 ? 1 : 0, all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector ReLUDerivative<TVector, TMath>(TVector z) where TVector : struct where TMath : ILaneMath<TVector> =>
        TMath.SelectPositive(z, TMath.Create(1f), default);

    /// <summary>LeakyReLU'(z) = z &gt; 0 ? 1 : 0.01, all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector LeakyReLUDerivative<TVector, TMath>(TVector z) where TVector : struct where TMath : ILaneMath<TVector> =>
        TMath.SelectPositive(z, TMath.Create(1f), TMath.Create(LeakySlope));

    /// <summary>softplus'(z) = sigmoid(z), all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector SoftplusDerivative<TVector, TMath>(TVector z) where TVector : struct where TMath : ILaneMath<TVector> => Sigmoid<TVector, TMath>(z);

    /// <summary>GELU'(z) of the tanh form, all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector GELUDerivative<TVector, TMath>(TVector z) where TVector : struct where TMath : ILaneMath<TVector>
    {
        TVector one = TMath.Create(1f), half = TMath.Create(0.5f);
        TVector z2 = TMath.Multiply(z, z);
        TVector cubic = TMath.Multiply(TMath.Create(GeluCubic), z2);
        TVector t = Tanh<TVector, TMath>(TMath.Multiply(TMath.Create(GeluScale), TMath.FusedMultiplyAdd(cubic, z, z)));
        TVector dInner = TMath.Multiply(TMath.Create(GeluScale), TMath.FusedMultiplyAdd(TMath.Create(3f * GeluCubic), z2, one));
        TVector slope = TMath.Multiply(TMath.Multiply(TMath.Multiply(half, z), TMath.Subtract(one, TMath.Multiply(t, t))), dInner);
        return TMath.Add(TMath.Multiply(half, TMath.Add(one, t)), slope);
    }

    /// <summary>ELU'(z) = z &gt; 0 ? 1 : a + 1 from a = ELU(z), all lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector ELUDerivative<TVector, TMath>(TVector a, TVector z) where TVector : struct where TMath : ILaneMath<TVector>
    {
        TVector one = TMath.Create(1f);
        return TMath.SelectPositive(z, one, TMath.Add(a, one));
    }

    // ---- One value: per-unit calls from generated code (narrow layers and every unrolled backward step). Each
    // goes through the vector function above on a broadcast Vector128, so it returns the bits the layer kernels
    // return for that value; the derivatives that are plain arithmetic are written out. ----

    /// <summary>tanh(x), as <see cref="Tanh{TVector, TMath}(TVector)"/> computes it.</summary>
    public static float Tanh(float x) => Tanh<Vector128<float>, Lane128>(Vector128.Create(x)).ToScalar();

    /// <summary>1 / (1 + e^-x), as <see cref="Sigmoid{TVector, TMath}(TVector)"/> computes it.</summary>
    public static float Sigmoid(float x) => Sigmoid<Vector128<float>, Lane128>(Vector128.Create(x)).ToScalar();

    /// <summary>ln(1 + e^x), as <see cref="Softplus{TVector, TMath}(TVector)"/> computes it.</summary>
    public static float Softplus(float x) => Softplus<Vector128<float>, Lane128>(Vector128.Create(x)).ToScalar();

    /// <summary>max(x, 0).</summary>
    public static float ReLU(float x) => ReLU<Vector128<float>, Lane128>(Vector128.Create(x)).ToScalar();

    /// <summary>x &gt; 0 ? x : 0.01·x.</summary>
    public static float LeakyReLU(float x) => LeakyReLU<Vector128<float>, Lane128>(Vector128.Create(x)).ToScalar();

    /// <summary>GELU (tanh form), as <see cref="GELU{TVector, TMath}(TVector)"/> computes it.</summary>
    public static float GELU(float x) => GELU<Vector128<float>, Lane128>(Vector128.Create(x)).ToScalar();

    /// <summary>x &gt; 0 ? x : e^x − 1, as <see cref="ELU{TVector, TMath}(TVector)"/> computes it.</summary>
    public static float ELU(float x) => ELU<Vector128<float>, Lane128>(Vector128.Create(x)).ToScalar();

    /// <summary>1 − a² for a = tanh(z).</summary>
    public static float TanhDerivative(float a) => 1f - a * a;

    /// <summary>a·(1 − a) for a = sigmoid(z).</summary>
    public static float SigmoidDerivative(float a) => a * (1f - a);

    /// <summary>z &gt; 0 ? 1 : 0.</summary>
    public static float ReLUDerivative(float z) => z > 0f ? 1f : 0f;

    /// <summary>z &gt; 0 ? 1 : 0.01.</summary>
    public static float LeakyReLUDerivative(float z) => z > 0f ? 1f : LeakySlope;

    /// <summary>sigmoid(z), as <see cref="Sigmoid{TVector, TMath}(TVector)"/> computes it.</summary>
    public static float SoftplusDerivative(float z) => Sigmoid(z);

    /// <summary>GELU'(z), as <see cref="GELUDerivative{TVector, TMath}(TVector)"/> computes it.</summary>
    public static float GELUDerivative(float z) => GELUDerivative<Vector128<float>, Lane128>(Vector128.Create(z)).ToScalar();

    /// <summary>z &gt; 0 ? 1 : a + 1 for a = ELU(z).</summary>
    public static float ELUDerivative(float a, float z) => z > 0f ? 1f : a + 1f;
}
