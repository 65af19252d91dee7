using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HiddenSpace.Kernels;

/// <summary>
/// Arithmetic on a lane vector of one width, for code written once for every width: the runtime's kernels are
/// generic over a vector type and one of <see cref="Lane512"/>, <see cref="Lane256"/> and
/// <see cref="Lane128"/>, and run at the widest width the machine accelerates (<see cref="LaneKernels.Lanes"/>): 16
/// floats with AVX-512, 8 with AVX2, 4 on ARM64, with no setting. Each member is one intrinsic in a method of a few
/// bytes of IL, which the JIT inlines into the kernels' small loops. The generated layer methods reach it only through
/// a few kernel calls (activations, their derivatives, losses); their multiply-adds are written with Vector512/256/128
/// directly, once per width, because in a method of a thousand FMAs the JIT stopped inlining calls through this
/// interface part way (DOTNET_JitDisasm).
/// </summary>
/// <typeparam name="TVector">The vector type: Vector512, Vector256 or Vector128 of float.</typeparam>
public interface ILaneMath<TVector> where TVector : struct
{
    /// <summary>Floats in one vector.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes = <paramref name="value"/>.</summary>
    static abstract TVector Create(float value);

    /// <summary>a·b + c with one rounding.</summary>
    static abstract TVector FusedMultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>a + b.</summary>
    static abstract TVector Add(TVector a, TVector b);

    /// <summary>a − b.</summary>
    static abstract TVector Subtract(TVector a, TVector b);

    /// <summary>a · b.</summary>
    static abstract TVector Multiply(TVector a, TVector b);

    /// <summary>a / b.</summary>
    static abstract TVector Divide(TVector a, TVector b);

    /// <summary>|a|.</summary>
    static abstract TVector Abs(TVector a);

    /// <summary>min(a, b) as the machine's instruction computes it (x86 returns b when either is NaN: pass the bound as a so a NaN input stays NaN).</summary>
    static abstract TVector MinNative(TVector a, TVector b);

    /// <summary>max(a, b) as the machine's instruction computes it (see MinNative).</summary>
    static abstract TVector MaxNative(TVector a, TVector b);

    /// <summary>IEEE 754:2019 maximum (NaN propagates whichever side it is on).</summary>
    static abstract TVector Max(TVector a, TVector b);

    /// <summary>Lane by lane: x &gt; 0 ? positive : otherwise.</summary>
    static abstract TVector SelectPositive(TVector x, TVector positive, TVector otherwise);

    /// <summary>Lane by lane: a ≥ bound ? a : 0 (a compare and a mask: no arithmetic on a, which may be subnormal).</summary>
    static abstract TVector ZeroBelow(TVector a, TVector bound);

    /// <summary>√a, correctly rounded (one instruction).</summary>
    static abstract TVector Sqrt(TVector a);

    /// <summary>Each lane rounded to the nearest integer, ties to even.</summary>
    static abstract TVector RoundToInteger(TVector a);

    /// <summary>a·2^n for integral n in [−150, 130] (two exact scalings by normal powers of two, so the result underflows and overflows as e^x does).</summary>
    static abstract TVector ScaleByPowerOfTwo(TVector a, TVector n);

    /// <summary>
    /// a = m·2^k with m in [√½, √2), for a positive normal float: returns m and sets <paramref name="exponent"/> to k
    /// (integer subtraction on the bits, no rounding).
    /// </summary>
    static abstract TVector SplitExponent(TVector a, out TVector exponent);

    /// <summary>e^a (<see cref="LaneExp"/>: the same float operations at every width).</summary>
    static abstract TVector Exp(TVector a);

    /// <summary>ln a for a ≥ 1 (<see cref="LaneLog"/>: the same float operations at every width).</summary>
    static abstract TVector LogAtLeastOne(TVector a);

    /// <summary>The sum of the lanes.</summary>
    static abstract float Sum(TVector a);
}

// Lane512, Lane256 and Lane128 repeat each other member for member on purpose: each must name its own width's
// intrinsics (Vector512.FusedMultiplyAdd, ...) for the JIT to emit one instruction, and there is no generic Vector<N>.
/// <summary>16 floats a vector (AVX-512).</summary>
public readonly struct Lane512 : ILaneMath<Vector512<float>>
{
    /// <inheritdoc/>
    public static int Count => Vector512<float>.Count;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Create(float value) => Vector512.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FusedMultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Abs(Vector512<float> a) => Vector512.Abs(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MinNative(Vector512<float> a, Vector512<float> b) => Vector512.MinNative(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MaxNative(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SelectPositive(Vector512<float> x, Vector512<float> positive, Vector512<float> otherwise) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), positive, otherwise);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ZeroBelow(Vector512<float> a, Vector512<float> bound) => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(a, bound), a, Vector512<float>.Zero);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> a) => Vector512.Sqrt(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> a) => LaneExp.Of<Vector512<float>, Lane512>(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> RoundToInteger(Vector512<float> a) => Vector512.Round(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ScaleByPowerOfTwo(Vector512<float> a, Vector512<float> n)
    {
        Vector512<int> whole = Vector512.ConvertToInt32(n), half = Vector512.ShiftRightArithmetic(whole, 1), bias = Vector512.Create(127);
        return a * Vector512.ShiftLeft(half + bias, 23).AsSingle() * Vector512.ShiftLeft(whole - half + bias, 23).AsSingle();
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SplitExponent(Vector512<float> a, out Vector512<float> exponent)
    {
        Vector512<int> bits = a.AsInt32(), k = Vector512.ShiftRightArithmetic(bits - Vector512.Create(LaneLog.SqrtHalfBits), 23);
        exponent = Vector512.ConvertToSingle(k);
        return (bits - Vector512.ShiftLeft(k, 23)).AsSingle();
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LogAtLeastOne(Vector512<float> a) => LaneLog.AtLeastOne<Vector512<float>, Lane512>(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> a) => Vector512.Sum(a);
}

/// <summary>8 floats a vector (AVX2).</summary>
public readonly struct Lane256 : ILaneMath<Vector256<float>>
{
    /// <inheritdoc/>
    public static int Count => Vector256<float>.Count;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Create(float value) => Vector256.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FusedMultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> a) => Vector256.Abs(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MinNative(Vector256<float> a, Vector256<float> b) => Vector256.MinNative(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MaxNative(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SelectPositive(Vector256<float> x, Vector256<float> positive, Vector256<float> otherwise) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), positive, otherwise);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ZeroBelow(Vector256<float> a, Vector256<float> bound) => Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(a, bound), a, Vector256<float>.Zero);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> a) => Vector256.Sqrt(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> a) => LaneExp.Of<Vector256<float>, Lane256>(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> RoundToInteger(Vector256<float> a) => Vector256.Round(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ScaleByPowerOfTwo(Vector256<float> a, Vector256<float> n)
    {
        Vector256<int> whole = Vector256.ConvertToInt32(n), half = Vector256.ShiftRightArithmetic(whole, 1), bias = Vector256.Create(127);
        return a * Vector256.ShiftLeft(half + bias, 23).AsSingle() * Vector256.ShiftLeft(whole - half + bias, 23).AsSingle();
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SplitExponent(Vector256<float> a, out Vector256<float> exponent)
    {
        Vector256<int> bits = a.AsInt32(), k = Vector256.ShiftRightArithmetic(bits - Vector256.Create(LaneLog.SqrtHalfBits), 23);
        exponent = Vector256.ConvertToSingle(k);
        return (bits - Vector256.ShiftLeft(k, 23)).AsSingle();
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LogAtLeastOne(Vector256<float> a) => LaneLog.AtLeastOne<Vector256<float>, Lane256>(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> a) => Vector256.Sum(a);
}

/// <summary>4 floats a vector (SSE on x64, NEON on ARM64).</summary>
public readonly struct Lane128 : ILaneMath<Vector128<float>>
{
    /// <inheritdoc/>
    public static int Count => Vector128<float>.Count;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Create(float value) => Vector128.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FusedMultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Abs(Vector128<float> a) => Vector128.Abs(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MinNative(Vector128<float> a, Vector128<float> b) => Vector128.MinNative(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MaxNative(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SelectPositive(Vector128<float> x, Vector128<float> positive, Vector128<float> otherwise) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), positive, otherwise);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ZeroBelow(Vector128<float> a, Vector128<float> bound) => Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(a, bound), a, Vector128<float>.Zero);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sqrt(Vector128<float> a) => Vector128.Sqrt(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> a) => LaneExp.Of<Vector128<float>, Lane128>(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> RoundToInteger(Vector128<float> a) => Vector128.Round(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ScaleByPowerOfTwo(Vector128<float> a, Vector128<float> n)
    {
        Vector128<int> whole = Vector128.ConvertToInt32(n), half = Vector128.ShiftRightArithmetic(whole, 1), bias = Vector128.Create(127);
        return a * Vector128.ShiftLeft(half + bias, 23).AsSingle() * Vector128.ShiftLeft(whole - half + bias, 23).AsSingle();
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SplitExponent(Vector128<float> a, out Vector128<float> exponent)
    {
        Vector128<int> bits = a.AsInt32(), k = Vector128.ShiftRightArithmetic(bits - Vector128.Create(LaneLog.SqrtHalfBits), 23);
        exponent = Vector128.ConvertToSingle(k);
        return (bits - Vector128.ShiftLeft(k, 23)).AsSingle();
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LogAtLeastOne(Vector128<float> a) => LaneLog.AtLeastOne<Vector128<float>, Lane128>(a);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> a) => Vector128.Sum(a);
}

/// <summary>
/// e^x in float arithmetic, the same operations at every width: x = n·ln 2 + r with n = round(x / ln 2) and |r| ≤ ln 2 / 2
/// (ln 2 in two parts, so r is exact to a few ulps), e^r by the Cephes expf polynomial, then the exponent added by
/// <see cref="ILaneMath{TVector}.ScaleByPowerOfTwo"/>. Within 2 ulps of e^x where that is a normal float (tests);
/// below −104 it is 0, above 89 +∞, NaN stays NaN (the clamp puts the bound first). The runtime's own rather than
/// Vector512.Exp: that widens to double (twice the work), and as a generic method of the framework it is not
/// precompiled, so a run's first hundreds of milliseconds call it unoptimised (tier 0); this one is inlined into the
/// kernel that calls it.
/// </summary>
public static class LaneExp
{
    private const float Lowest = -104f, Highest = 89f;
    private const float Log2E = 1.44269504088896341f, Ln2High = 0.693359375f, Ln2Low = -2.12194440e-4f;
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f, P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    /// <summary>e^x on every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Of<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector>
    {
        x = TMath.MinNative(TMath.Create(Highest), TMath.MaxNative(TMath.Create(Lowest), x));
        TVector n = TMath.RoundToInteger(TMath.Multiply(x, TMath.Create(Log2E)));
        TVector r = TMath.FusedMultiplyAdd(n, TMath.Create(-Ln2High), x);
        r = TMath.FusedMultiplyAdd(n, TMath.Create(-Ln2Low), r);
        TVector p = TMath.FusedMultiplyAdd(TMath.Create(P0), r, TMath.Create(P1));
        p = TMath.FusedMultiplyAdd(p, r, TMath.Create(P2));
        p = TMath.FusedMultiplyAdd(p, r, TMath.Create(P3));
        p = TMath.FusedMultiplyAdd(p, r, TMath.Create(P4));
        p = TMath.FusedMultiplyAdd(p, r, TMath.Create(P5));
        p = TMath.FusedMultiplyAdd(p, TMath.Multiply(r, r), TMath.Add(r, TMath.Create(1f)));
        return TMath.ScaleByPowerOfTwo(p, n);
    }
}

/// <summary>
/// ln x for x ≥ 1 in float arithmetic, the same operations at every width: x = m·2^k with m in [√½, √2) (the bits'
/// exponent, <see cref="ILaneMath{TVector}.SplitExponent"/>), ln m = f − f²/2 + f³·P(f) with f = m − 1 exact and P the
/// Cephes logf polynomial, plus k·ln 2 (in two parts). Within 1 ulp of ln x over the floats from 1 (tests); +∞ and NaN
/// stay as they are. Its callers, the cross-entropy losses and softplus, take logs of 1 + e^−|z| and of Σ e^(z − max),
/// never below 1; the domain keeps out zero, negatives and subnormals, which would each need a fix-up. The runtime's own
/// rather than Vector512.Log for <see cref="LaneExp"/>'s reason: the framework's generic method is not precompiled, and a
/// short run called it unoptimised (tier 0) throughout; this one is inlined into the kernel that calls it.
/// </summary>
public static class LaneLog
{
    /// <summary>The bits of √½ (0x3F3504F3): subtracted before the exponent is read, so the mantissa lands in [√½, √2).</summary>
    internal const int SqrtHalfBits = 0x3F3504F3;

    private const float Ln2High = 0.693359375f, Ln2Low = -2.12194440e-4f;
    private const float P0 = 7.0376836292e-2f, P1 = -1.1514610310e-1f, P2 = 1.1676998740e-1f, P3 = -1.2420140846e-1f, P4 = 1.4249322787e-1f,
        P5 = -1.6668057665e-1f, P6 = 2.0000714765e-1f, P7 = -2.4999993993e-1f, P8 = 3.3333331174e-1f;

    /// <summary>ln x on every lane, for x ≥ 1 (and +∞, NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector AtLeastOne<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector>
    {
        TVector f = TMath.Subtract(TMath.SplitExponent(x, out TVector k), TMath.Create(1f));
        TVector f2 = TMath.Multiply(f, f);
        TVector p = TMath.FusedMultiplyAdd(TMath.Create(P0), f, TMath.Create(P1));
        p = TMath.FusedMultiplyAdd(p, f, TMath.Create(P2));
        p = TMath.FusedMultiplyAdd(p, f, TMath.Create(P3));
        p = TMath.FusedMultiplyAdd(p, f, TMath.Create(P4));
        p = TMath.FusedMultiplyAdd(p, f, TMath.Create(P5));
        p = TMath.FusedMultiplyAdd(p, f, TMath.Create(P6));
        p = TMath.FusedMultiplyAdd(p, f, TMath.Create(P7));
        p = TMath.FusedMultiplyAdd(p, f, TMath.Create(P8));
        TVector y = TMath.Multiply(TMath.Multiply(p, f), f2);
        y = TMath.FusedMultiplyAdd(k, TMath.Create(Ln2Low), y);
        y = TMath.FusedMultiplyAdd(f2, TMath.Create(-0.5f), y);
        TVector log = TMath.FusedMultiplyAdd(k, TMath.Create(Ln2High), TMath.Add(f, y));
        // +∞ − x > 0 for every finite x; +∞ and NaN fail it and come back as they are.
        return TMath.SelectPositive(TMath.Subtract(TMath.Create(float.PositiveInfinity), x), log, x);
    }
}
