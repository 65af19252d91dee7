using System;
using System.Collections.Generic;
using System.Threading;

namespace HiddenSpace;

/// <summary>
/// Coordinates of n rows of width d in an orthonormal basis of the space they span (at most n dimensions), for
/// data wider than it is long. Nothing the analysis asks depends on the directions the rows do not reach: an L2-
/// penalised linear model's weights lie in the span of its training rows (and so score any other row through its
/// projection onto that span), and whether point sets are linearly separable depends only on their positions
/// within their own span. So a probe, a ridge fit or a separability verdict on the coordinates is the one on the
/// rows, up to rounding, at a cost of O(n²·d) for the basis instead of a solver whose cost grows with d² or d³.
/// </summary>
internal static class RowSpan
{
    /// <summary>A direction whose residual is below this fraction of its row's length is taken to be in the span already.</summary>
    private const double DependenceTolerance = 1e-9;

    /// <summary>
    /// The coordinates (n × r, row-major) of the rows of <paramref name="rows"/> (n × <paramref name="width"/>) in an
    /// orthonormal basis (r × width, row-major) of their span, built by modified Gram–Schmidt with one
    /// re-orthogonalisation.
    /// </summary>
    public static (double[] Coordinates, double[] Basis, int Rank) Of(ReadOnlySpan<double> rows, int width, CancellationToken cancellationToken)
    {
        int n = rows.Length / width;
        var basis = new List<double[]>();
        var residual = new double[width];
        for (int i = 0; i < n; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ReadOnlySpan<double> row = rows.Slice(i * width, width);
            row.CopyTo(residual);
            for (int pass = 0; pass < 2; pass++)
                foreach (double[] q in basis)
                {
                    double projection = Dot(residual, q);
                    for (int f = 0; f < width; f++) residual[f] -= projection * q[f];
                }
            double length = Math.Sqrt(Dot(row, row)), left = Math.Sqrt(Dot(residual, residual));
            if (!(left > DependenceTolerance * length)) continue;
            var direction = new double[width];
            for (int f = 0; f < width; f++) direction[f] = residual[f] / left;
            basis.Add(direction);
        }
        int rank = basis.Count;
        var coordinates = new double[n * rank];
        var flatBasis = new double[rank * width];
        for (int k = 0; k < rank; k++) basis[k].CopyTo(flatBasis, k * width);
        for (int i = 0; i < n; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int k = 0; k < rank; k++) coordinates[i * rank + k] = Dot(rows.Slice(i * width, width), basis[k]);
        }
        return (coordinates, flatBasis, rank);
    }

    /// <summary>The vector in the original space with coordinates <paramref name="coordinates"/> (length r) in <paramref name="basis"/>.</summary>
    public static double[] FromCoordinates(ReadOnlySpan<double> coordinates, double[] basis, int width)
    {
        var vector = new double[width];
        for (int k = 0; k < coordinates.Length; k++)
            for (int f = 0; f < width; f++) vector[f] += coordinates[k] * basis[k * width + f];
        return vector;
    }

    /// <summary>Σ a[f]·b[f], in index order.</summary>
    internal static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int f = 0; f < a.Length; f++) sum += a[f] * b[f];
        return sum;
    }
}
