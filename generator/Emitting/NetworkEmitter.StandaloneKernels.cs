namespace HiddenSpace.Gen.Emitting;

/// <summary>The Kernels class a standalone file carries: the runtime's arithmetic written out, one value at a time.</summary>
internal static partial class NetworkEmitter
{
    /// <summary>
    /// HiddenSpace.Gen's runtime kernels (ActivationKernels, DenseKernels, LaneExp and LaneLog) for one
    /// value at a time: the same operations in the same order. Tests check them against the runtime bit for bit.
    /// </summary>
    private const string StandaloneKernels = """
        /// <summary>The arithmetic of HiddenSpace.Gen's kernels, one value at a time, with the same operations in the same order.</summary>
        private static class Kernels
        {
            /// <summary>a·b + c with one rounding, as the FMA instruction computes it.</summary>
            public static float Fma(float a, float b, float c)
            {
        #if NETCOREAPP3_0_OR_GREATER
                return global::System.MathF.FusedMultiplyAdd(a, b, c);
        #else
                // The product of two floats is exact in double. The sum, rounded to double, is made odd when it is
                // inexact (its last bit set, towards the exact sum); rounding that to float then gives the correctly
                // rounded a·b + c (Boldo and Melquiond, "Emulation of FMA and correctly rounded sums", 2008).
                double product = (double)a * b;
                double sum = product + c;
                double back = sum - product;
                double error = (product - (sum - back)) + (c - back);
                if (error != 0 && !double.IsNaN(error))
                {
                    long bits = global::System.BitConverter.DoubleToInt64Bits(sum);
                    if ((bits & 1) == 0) bits = unchecked(bits + ((error > 0) == (sum > 0) ? 1 : -1));
                    sum = global::System.BitConverter.Int64BitsToDouble(bits);
                }
                return (float)sum;
        #endif
            }

            /// <summary>tanh(x) as a rational function of x (clamped to ±8), HiddenSpace.Gen's approximation.</summary>
            public static float Tanh(float x)
            {
                if (-8f > x) x = -8f;
                if (8f < x) x = 8f;
                float x2 = x * x;
                float p = x2 + -1161.9215f;
                p = Fma(x2, p, -436262.72f);
                p = Fma(x2, p, -20539818f);
                p = Fma(x2, p, -161511710f);
                float q = Fma(x2, -31869.408f, -3693958.2f);
                q = Fma(x2, q, -74376856f);
                q = Fma(x2, q, -161511710f);
                return p / q * x;
            }

            /// <summary>1 / (1 + e^-x).</summary>
            public static float Sigmoid(float x) => 1f / (1f + Exp(0f - x));

            /// <summary>ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|).</summary>
            public static float Softplus(float x) => (0f > x ? 0f : x) + Log(1f + Exp(0f - global::System.Math.Abs(x)));

            /// <summary>max(x, 0).</summary>
            public static float ReLU(float x) => 0f > x ? 0f : x;

            /// <summary>x &gt; 0 ? x : 0.01·x.</summary>
            public static float LeakyReLU(float x) => x > 0f ? x : x * 0.01f;

            /// <summary>0.5·x·(1 + tanh(√(2/π)(x + 0.044715 x³))).</summary>
            public static float GELU(float x)
            {
                float cubic = 0.044715f * x * x;
                float inner = 0.7978845608028654f * Fma(cubic, x, x);
                float half = 0.5f * x;
                return half * (1f + Tanh(inner));
            }

            /// <summary>x &gt; 0 ? x : e^x − 1.</summary>
            public static float ELU(float x) => x > 0f ? x : Exp(0f < x ? 0f : x) - 1f;

            /// <summary>Softmax over all of z (max-subtracted), as HiddenSpace.Gen's scalar kernel computes it.</summary>
            public static void Softmax(float[] z, float[] a)
            {
                float max = float.NegativeInfinity;
                foreach (float value in z) max = Max(max, value);
                for (int i = 0; i < z.Length; i++) a[i] = Exp(z[i] - max);
                float sum = 0f;
                foreach (float value in a) sum += value;
                float inverse = 1f / sum;
                for (int i = 0; i < a.Length; i++) a[i] *= inverse;
            }

            /// <summary>z = W·x + b for a layer of loops: per unit the bias, then one fused multiply-add per input in input order.</summary>
            public static void Dense(float[] w, float[] b, float[] x, float[] z)
            {
                for (int o = 0; o < z.Length; o++)
                {
                    float s = b[o];
                    for (int i = 0; i < x.Length; i++) s = Fma(w[o * x.Length + i], x[i], s);
                    z[o] = s;
                }
            }

            /// <summary>
            /// e^x as HiddenSpace.Gen's LaneExp computes it: n = round(x·log₂e), r = x − n·ln 2 (ln 2 in two parts), the
            /// Cephes polynomial for e^r, then 2^n in two exact steps; 0 below −104, +∞ above 89.
            /// </summary>
            public static float Exp(float x)
            {
                if (-104f > x) x = -104f;
                if (89f < x) x = 89f;
                float n = (float)global::System.Math.Round(x * 1.44269504088896341f);
                float r = Fma(n, -0.693359375f, x);
                r = Fma(n, 2.12194440e-4f, r);
                float p = Fma(1.9875691500e-4f, r, 1.3981999507e-3f);
                p = Fma(p, r, 8.3334519073e-3f);
                p = Fma(p, r, 4.1665795894e-2f);
                p = Fma(p, r, 1.6666665459e-1f);
                p = Fma(p, r, 5.0000001201e-1f);
                p = Fma(p, r * r, r + 1f);
                if (float.IsNaN(p)) return p;
                int whole = (int)n, half = whole >> 1;
                return p * Float(unchecked((uint)(half + 127) << 23)) * Float(unchecked((uint)(whole - half + 127) << 23));
            }

            /// <summary>
            /// ln x for x ≥ 1 (+∞ and NaN as they are) as HiddenSpace.Gen's LaneLog computes it: x = m·2^k with m in
            /// [√½, √2) from the bits, the Cephes polynomial for ln m, plus k·ln 2 in two parts.
            /// </summary>
            public static float Log(float x)
            {
                int bits = unchecked((int)Bits(x)), k = unchecked(bits - 0x3F3504F3) >> 23;
                float f = Float(unchecked((uint)(bits - (k << 23)))) - 1f, e = k;
                float f2 = f * f;
                float p = Fma(7.0376836292e-2f, f, -1.1514610310e-1f);
                p = Fma(p, f, 1.1676998740e-1f);
                p = Fma(p, f, -1.2420140846e-1f);
                p = Fma(p, f, 1.4249322787e-1f);
                p = Fma(p, f, -1.6668057665e-1f);
                p = Fma(p, f, 2.0000714765e-1f);
                p = Fma(p, f, -2.4999993993e-1f);
                p = Fma(p, f, 3.3333331174e-1f);
                float y = p * f * f2;
                y = Fma(e, -2.12194440e-4f, y);
                y = Fma(f2, -0.5f, y);
                float log = Fma(e, 0.693359375f, f + y);
                return float.PositiveInfinity - x > 0f ? log : x;
            }

            private static float Max(float a, float b)
            {
        #if NETCOREAPP3_0_OR_GREATER
                return global::System.MathF.Max(a, b);
        #else
                return global::System.Math.Max(a, b);
        #endif
            }

            private static uint Bits(float value)
            {
                FloatBits bits = default;
                bits.Float = value;
                return bits.Bits;
            }

            private static float Float(uint value)
            {
                FloatBits bits = default;
                bits.Bits = value;
                return bits.Float;
            }

            /// <summary>A float's bits without unsafe code or BitConverter.SingleToInt32Bits (not in netstandard2.0).</summary>
            [global::System.Runtime.InteropServices.StructLayout(global::System.Runtime.InteropServices.LayoutKind.Explicit)]
            private struct FloatBits
            {
                [global::System.Runtime.InteropServices.FieldOffset(0)] public float Float;
                [global::System.Runtime.InteropServices.FieldOffset(0)] public uint Bits;
            }
        }
        """;
}
