using System;

namespace HiddenSpace;

/// <summary>A point of the plane; its coordinates are floats widened to double.</summary>
internal readonly record struct PlanarPoint(double X, double Y);

/// <summary>
/// The signed cross and dot products of planar points whose coordinates are floats, with an exact sign.
/// Each product expands into a sum of products of two coordinates; a product of two floats (24-bit
/// significands) is exact in double (53 bits), and the sum is then taken exactly as a floating-point
/// expansion (Shewchuk, "Adaptive Precision Floating-Point Arithmetic and Fast Robust Geometric
/// Predicates", 1997: Two-Sum and Grow-Expansion with zero elimination). Float exponents span 2^−149 to
/// 2^128, so no product overflows or leaves the normal range of double. Naive subtraction first would
/// round the differences and can misjudge a point that lies on, or just off, a line.
/// </summary>
internal static class PlanarPredicates
{
    /// <summary>
    /// (b − a) × (c − a): positive when c lies to the left of the directed line a → b, negative to its right,
    /// zero when the three points are collinear. The sign is exact; the value is the exact result rounded
    /// to within a few units in the last place.
    /// </summary>
    public static ExactValue Cross(PlanarPoint a, PlanarPoint b, PlanarPoint c)
    {
        // (bx − ax)(cy − ay) − (by − ay)(cx − ax); the ax·ay terms cancel.
        Span<double> terms = stackalloc double[6];
        terms[0] = b.X * c.Y;
        terms[1] = -(b.X * a.Y);
        terms[2] = -(a.X * c.Y);
        terms[3] = -(b.Y * c.X);
        terms[4] = b.Y * a.X;
        terms[5] = a.Y * c.X;
        return ExactSum(terms);
    }

    /// <summary>
    /// The sign of <see cref="Cross"/>, from the plain double computation when its error bound (Shewchuk's
    /// orient2d bound, (3 + 16ε)ε times the sum of the two products' magnitudes) shows the sign is certain,
    /// else from the exact expansion: the same answer as <c>Cross(a, b, c).Sign</c>, about ten times faster
    /// on points that are not nearly collinear.
    /// </summary>
    public static int CrossSign(PlanarPoint a, PlanarPoint b, PlanarPoint c)
    {
        double left = (b.X - a.X) * (c.Y - a.Y);
        double right = (b.Y - a.Y) * (c.X - a.X);
        double determinant = left - right;
        double bound = CrossErrorBound * (Math.Abs(left) + Math.Abs(right));
        if (determinant > bound) return 1;
        if (-determinant > bound) return -1;
        return Cross(a, b, c).Sign;
    }

    /// <summary>(3 + 16ε)·ε with ε = 2⁻⁵³, Shewchuk's ccwerrboundA.</summary>
    private const double CrossErrorBound = (3.0 + 16.0 * Epsilon) * Epsilon;

    private const double Epsilon = 1.1102230246251565e-16;

    /// <summary>(b − a) · (c − a), with an exact sign (see <see cref="Cross"/>).</summary>
    public static ExactValue Dot(PlanarPoint a, PlanarPoint b, PlanarPoint c)
    {
        Span<double> terms = stackalloc double[8];
        terms[0] = b.X * c.X;
        terms[1] = -(b.X * a.X);
        terms[2] = -(a.X * c.X);
        terms[3] = a.X * a.X;
        terms[4] = b.Y * c.Y;
        terms[5] = -(b.Y * a.Y);
        terms[6] = -(a.Y * c.Y);
        terms[7] = a.Y * a.Y;
        return ExactSum(terms);
    }

    /// <summary>
    /// The exact sum of <paramref name="terms"/> (overwritten): grows a nonoverlapping expansion ordered by
    /// increasing magnitude, dropping zero components, so the last component carries the sign.
    /// </summary>
    private static ExactValue ExactSum(Span<double> terms)
    {
        int length = 0;
        foreach (double term in terms)
        {
            double carry = term;
            int kept = 0;
            for (int i = 0; i < length; i++)
            {
                double component = terms[i];
                double sum = carry + component;
                double error = TwoSumError(carry, component, sum);
                carry = sum;
                if (error != 0) terms[kept++] = error;
            }
            if (carry != 0) terms[kept++] = carry;
            length = kept;
        }
        if (length == 0) return default;
        double value = 0;
        for (int i = 0; i < length; i++) value += terms[i];
        return new ExactValue(Math.Sign(terms[length - 1]), value);
    }

    /// <summary>The rounding error of <paramref name="sum"/> = a + b, exactly (Knuth's Two-Sum).</summary>
    private static double TwoSumError(double a, double b, double sum)
    {
        double bVirtual = sum - a;
        double aVirtual = sum - bVirtual;
        return (a - aVirtual) + (b - bVirtual);
    }
}

/// <summary>The exact sign of a sum and its value rounded to double (the value alone could round to the wrong sign near zero).</summary>
internal readonly record struct ExactValue(int Sign, double Value);
