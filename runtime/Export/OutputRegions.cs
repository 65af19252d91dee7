using System;
using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>
/// The class regions of a classifier's output layer over the plane of the two values feeding it (a 2-unit
/// bottleneck), exactly: the layer is affine there, so class k wins where its score w_k·h + b_k is at least every
/// other class's, an intersection of half-planes, a convex polygon. Each region is the plot rectangle clipped by
/// those half-planes (Sutherland–Hodgman), so the pictures show straight boundaries instead of a pixel grid.
/// </summary>
/// <remarks>
/// For one sigmoid unit the scores are z for class 1 and 0 for class 0 (p ≥ 0.5 exactly where z ≥ 0); for K softmax
/// units the logits themselves (the softmax keeps their order). Neighbouring regions share their boundary edge.
/// </remarks>
public static class OutputRegions
{
    /// <summary>
    /// Each class's region inside <paramref name="bounds"/> as a flat array of vertices x0, y0, x1, y1, …
    /// counter-clockwise; empty when the class wins nowhere in the rectangle.
    /// </summary>
    /// <param name="weights">The output layer's weights, [units × 2] row-major.</param>
    /// <param name="biases">Its biases, [units].</param>
    /// <param name="activation"><see cref="Activation.Sigmoid"/> for one unit, <see cref="Activation.Softmax"/> for two or more.</param>
    /// <param name="bounds">The rectangle to cover.</param>
    /// <exception cref="ArgumentException">The layer is not a classifier over two inputs, or a parameter is not finite.</exception>
    public static IReadOnlyList<double[]> Of(ReadOnlySpan<float> weights, ReadOnlySpan<float> biases, Activation activation, PlotBounds bounds)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        int units = biases.Length;
        if (weights.Length != 2 * units)
            throw new ArgumentException($"{weights.Length} weights for {units} units over 2 inputs; expected {2 * units}.", nameof(weights));
        if (!((units, activation) is (1, Activation.Sigmoid) || (units >= 2 && activation == Activation.Softmax)))
            throw new ArgumentException($"A {units} × {activation} output layer has no class regions; 1 × Sigmoid or K × Softmax (K ≥ 2) has.", nameof(activation));
        foreach (float value in weights)
            if (!float.IsFinite(value)) throw new ArgumentException("The output weights must be finite.", nameof(weights));
        foreach (float value in biases)
            if (!float.IsFinite(value)) throw new ArgumentException("The output biases must be finite.", nameof(biases));

        // Scores per class: (a, b, c) for a·x + b·y + c.
        var scores = new List<(double A, double B, double C)>();
        if (units == 1)
        {
            scores.Add((0, 0, 0));
            scores.Add((weights[0], weights[1], biases[0]));
        }
        else
        {
            for (int k = 0; k < units; k++) scores.Add((weights[2 * k], weights[2 * k + 1], biases[k]));
        }

        var regions = new double[scores.Count][];
        for (int k = 0; k < scores.Count; k++)
        {
            List<(double X, double Y)> polygon = Rectangle(bounds);
            for (int j = 0; j < scores.Count && polygon.Count > 0; j++)
            {
                if (j == k) continue;
                polygon = Clip(polygon, scores[k].A - scores[j].A, scores[k].B - scores[j].B, scores[k].C - scores[j].C);
            }
            regions[k] = Flatten(polygon);
        }
        return regions;
    }

    /// <summary>
    /// For a linear regression output y = w0·x + w1·y + b over the plane: the band where the prediction falls in each
    /// interval between consecutive <paramref name="edges"/> (below the first edge, between edges, above the last), as
    /// flat vertex arrays counter-clockwise; empty where a band misses the rectangle.
    /// </summary>
    /// <exception cref="ArgumentException">A value is not finite, or the edges do not increase.</exception>
    public static IReadOnlyList<double[]> Bands(ReadOnlySpan<float> weights, float bias, IReadOnlyList<double> edges, PlotBounds bounds)
    {
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(bounds);
        if (weights.Length != 2 || !float.IsFinite(weights[0]) || !float.IsFinite(weights[1]) || !float.IsFinite(bias))
            throw new ArgumentException("A linear output over the plane needs 2 finite weights and a finite bias.", nameof(weights));
        for (int e = 0; e < edges.Count; e++)
            if (!double.IsFinite(edges[e]) || (e > 0 && !(edges[e] > edges[e - 1])))
                throw new ArgumentException("The band edges must be finite and increasing.", nameof(edges));
        var bands = new double[edges.Count + 1][];
        for (int k = 0; k <= edges.Count; k++)
        {
            List<(double X, double Y)> polygon = Rectangle(bounds);
            if (k > 0) polygon = Clip(polygon, weights[0], weights[1], bias - edges[k - 1]);                            // prediction ≥ lower edge
            if (k < edges.Count && polygon.Count > 0) polygon = Clip(polygon, -weights[0], -weights[1], edges[k] - bias); // prediction ≤ upper edge
            bands[k] = Flatten(polygon);
        }
        return bands;
    }

    private static List<(double X, double Y)> Rectangle(PlotBounds bounds) =>
        [(bounds.MinX, bounds.MinY), (bounds.MaxX, bounds.MinY), (bounds.MaxX, bounds.MaxY), (bounds.MinX, bounds.MaxY)];

    /// <summary>The polygon as x0, y0, x1, y1, …, with a vertex that clipping wrote twice kept once; empty below 3 vertices.</summary>
    private static double[] Flatten(List<(double X, double Y)> polygon)
    {
        var distinct = new List<(double X, double Y)>(polygon.Count);
        foreach ((double X, double Y) vertex in polygon)
            if (distinct.Count == 0 || distinct[^1] != vertex) distinct.Add(vertex);
        if (distinct.Count > 1 && distinct[^1] == distinct[0]) distinct.RemoveAt(distinct.Count - 1);
        if (distinct.Count < 3) return [];
        var flat = new double[2 * distinct.Count];
        for (int v = 0; v < distinct.Count; v++) (flat[2 * v], flat[2 * v + 1]) = distinct[v];
        return flat;
    }

    /// <summary>The part of a convex polygon where a·x + b·y + c ≥ 0 (Sutherland–Hodgman against one half-plane).</summary>
    private static List<(double X, double Y)> Clip(List<(double X, double Y)> polygon, double a, double b, double c)
    {
        var clipped = new List<(double X, double Y)>(polygon.Count + 1);
        for (int i = 0; i < polygon.Count; i++)
        {
            (double X, double Y) from = polygon[i], to = polygon[(i + 1) % polygon.Count];
            double valueFrom = a * from.X + b * from.Y + c, valueTo = a * to.X + b * to.Y + c;
            if (valueFrom >= 0) clipped.Add(from);
            if ((valueFrom >= 0) != (valueTo >= 0))
            {
                double t = valueFrom / (valueFrom - valueTo);
                clipped.Add((from.X + t * (to.X - from.X), from.Y + t * (to.Y - from.Y)));
            }
        }
        return clipped;
    }
}
