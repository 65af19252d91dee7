using System;

namespace HiddenSpace;

/// <summary>
/// xoshiro256** seeded through SplitMix64: the one source of randomness for weight initialisation,
/// data sets and shuffling. Unlike <see cref="Random"/>, its sequence is fixed by this code, so a seed
/// gives the same numbers on every runtime version and machine.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian = double.NaN;

    /// <summary>A generator whose whole sequence is determined by <paramref name="seed"/>.</summary>
    public SeededRandom(long seed)
    {
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double NextDouble(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "Must be positive.");
        // Lemire's method: the low half of the product is below the rejection threshold only if it is below the
        // bound, so the division that computes the threshold runs only then (rarely), with the same accept/reject
        // decisions, hence the same sequence, as computing it every call.
        ulong bound = (ulong)maxExclusive;
        UInt128 product = (UInt128)NextUInt64() * bound;
        if ((ulong)product < bound)
        {
            ulong threshold = (0UL - bound) % bound;
            while ((ulong)product < threshold)
                product = (UInt128)NextUInt64() * bound;
        }
        return (int)(product >> 64);
    }

    /// <summary>Standard normal (Box–Muller; the second value of each pair is kept for the next call).</summary>
    public double NextGaussian()
    {
        if (!double.IsNaN(_spareGaussian))
        {
            double spare = _spareGaussian;
            _spareGaussian = double.NaN;
            return spare;
        }
        double u1 = 1.0 - NextDouble(); // (0, 1]: log is finite
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = radius * Math.Sin(2.0 * Math.PI * u2);
        return radius * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
