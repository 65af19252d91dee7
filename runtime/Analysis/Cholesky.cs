using System;

namespace HiddenSpace;

/// <summary>
/// Solves the small symmetric positive (semi-)definite systems of the analysis by Cholesky, in double: the Newton
/// steps of <see cref="LinearProbe"/> and the normal equations of <see cref="LinearFit"/>. Matrices are n × n,
/// row-major; only their lower triangle is read.
/// </summary>
internal static class Cholesky
{
    /// <summary>
    /// Solves (A + <paramref name="ridge"/>·I)·x = b. A pivot that rounding leaves below <paramref name="ridge"/>
    /// (an exactly dependent column) is raised to it, so the factorisation never fails for a positive ridge.
    /// </summary>
    public static double[] SolveWithRidge(double[] a, double[] b, int n, double ridge)
    {
        var lower = new double[n * n]; // [n × n], L with L·Lᵀ = A + ridge·I
        Factor(a, lower, n, ridge, pivotFloor: ridge);
        var x = new double[n];
        Substitute(lower, b, x, n);
        return x;
    }

    /// <summary>
    /// Solves A·x = b into <paramref name="x"/>; when rounding leaves A not positive definite, a ridge of 1e-12 times
    /// its largest diagonal entry (at least 1e-12), then ten times more each try, is added until it is.
    /// </summary>
    public static void SolveAddingRidgeAsNeeded(double[] a, double[] b, double[] x, int n)
    {
        var lower = new double[n * n]; // [n × n], L with L·Lᵀ = A + ridge·I
        double ridge = 0, largestDiagonal = 0;
        for (int i = 0; i < n; i++) largestDiagonal = Math.Max(largestDiagonal, a[i * n + i]);
        while (!Factor(a, lower, n, ridge, pivotFloor: null))
            ridge = ridge == 0 ? 1e-12 * Math.Max(largestDiagonal, 1) : ridge * 10;
        Substitute(lower, b, x, n);
    }

    /// <summary>
    /// L with L·Lᵀ = A + ridge·I into <paramref name="lower"/>. A pivot below <paramref name="pivotFloor"/> is raised to
    /// it; without a floor, a pivot that is not positive makes the factorisation fail (false).
    /// </summary>
    private static bool Factor(double[] a, double[] lower, int n, double ridge, double? pivotFloor)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i * n + j] + (i == j ? ridge : 0);
                for (int k = 0; k < j; k++) sum -= lower[i * n + k] * lower[j * n + k];
                if (i != j)
                {
                    lower[i * n + j] = sum / lower[j * n + j];
                }
                else if (pivotFloor is double floor)
                {
                    lower[i * n + i] = Math.Sqrt(Math.Max(sum, floor));
                }
                else
                {
                    if (!(sum > 0)) return false;
                    lower[i * n + i] = Math.Sqrt(sum);
                }
            }
        }
        return true;
    }

    /// <summary>x from L·Lᵀ·x = b: forward substitution with L, then back substitution with Lᵀ.</summary>
    private static void Substitute(double[] lower, double[] b, double[] x, int n)
    {
        for (int i = 0; i < n; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++) sum -= lower[i * n + k] * x[k];
            x[i] = sum / lower[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = x[i];
            for (int k = i + 1; k < n; k++) sum -= lower[k * n + i] * x[k];
            x[i] = sum / lower[i * n + i];
        }
    }
}
