using System;
using System.Globalization;

namespace HiddenSpace;

/// <summary>
/// The straight line <c>W0·x + W1·y + B = 0</c> in a plot's data coordinates, typically where the output
/// layer of a binary classifier outputs probability 0.5 as a function of the 2-unit layer feeding it.
/// </summary>
public sealed record DecisionLine
{
    /// <summary>Stores the coefficients.</summary>
    /// <exception cref="ArgumentException">A coefficient is not finite, or both weights are zero (no line).</exception>
    public DecisionLine(double w0, double w1, double b)
    {
        CheckFinite(w0, w1, b, w0, nameof(w0));
        CheckFinite(w0, w1, b, w1, nameof(w1));
        CheckFinite(w0, w1, b, b, nameof(b));
        if (w0 == 0 && w1 == 0)
            throw new ArgumentException($"The line {Describe(w0, w1, b)} has two zero weights and is no line.", nameof(w1));
        W0 = w0;
        W1 = w1;
        B = b;
    }

    /// <summary>Weight of the x coordinate.</summary>
    public double W0 { get; }

    /// <summary>Weight of the y coordinate.</summary>
    public double W1 { get; }

    /// <summary>Constant term.</summary>
    public double B { get; }

    /// <summary>
    /// The 0.5 line of a network's output layer over the two activations that feed it (the tap on the
    /// last hidden layer): <c>z = 0</c> for one sigmoid unit, <c>z1 = z0</c> for two softmax units.
    /// </summary>
    /// <param name="shape">The architecture; its output layer must have a fan-in of 2.</param>
    /// <param name="parameters">The network's parameters, laid out as <see cref="NetworkShape"/> documents.</param>
    /// <exception cref="ArgumentException">The output layer is not a binary classifier over two inputs, or the parameter count is wrong.</exception>
    public static DecisionLine FromOutputLayer(NetworkShape shape, ReadOnlySpan<float> parameters)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (parameters.Length != shape.ParameterCount)
            throw new ArgumentException($"{parameters.Length} parameters for a network of {shape.ParameterCount}.", nameof(parameters));
        int outputLayer = shape.Layers.Count - 1;
        LayerShape output = shape.Layers[outputLayer];
        if (shape.FanIn(outputLayer) != 2)
            throw new ArgumentException($"The output layer reads {shape.FanIn(outputLayer)} values; a decision line needs exactly 2.", nameof(shape));
        // W is [units × 2] row-major, so unit u's weights are W[2u], W[2u + 1].
        ReadOnlySpan<float> weights = parameters.Slice(shape.WeightOffset(outputLayer), output.Units * 2);
        ReadOnlySpan<float> biases = parameters.Slice(shape.BiasOffset(outputLayer), output.Units);
        return (output.Units, output.Activation) switch
        {
            (1, Activation.Sigmoid) => new DecisionLine(weights[0], weights[1], biases[0]),
            // softmax p1 = 0.5 exactly where the two logits are equal.
            (2, Activation.Softmax) => new DecisionLine((double)weights[2] - weights[0], (double)weights[3] - weights[1], (double)biases[1] - biases[0]),
            _ => throw new ArgumentException($"The output layer is {output.Units} × {output.Activation}; a 0.5 line exists for 1 × Sigmoid or 2 × Softmax.", nameof(shape)),
        };
    }

    /// <summary>
    /// The part of the line inside <paramref name="bounds"/> as its two end points on the border, or null
    /// when the line misses the rectangle or only touches a corner.
    /// </summary>
    public (double X0, double Y0, double X1, double Y1)? ClipTo(PlotBounds bounds)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        Span<(double X, double Y)> hits = stackalloc (double, double)[4];
        int count = 0;
        // A relative tolerance keeps the intersections at corners that rounding pushes just outside.
        double toleranceX = bounds.SpanX * 1e-12, toleranceY = bounds.SpanY * 1e-12;
        if (W1 != 0)
        {
            foreach (double x in (ReadOnlySpan<double>)[bounds.MinX, bounds.MaxX])
            {
                double y = -(W0 * x + B) / W1;
                if (y >= bounds.MinY - toleranceY && y <= bounds.MaxY + toleranceY)
                    hits[count++] = (x, Math.Clamp(y, bounds.MinY, bounds.MaxY));
            }
        }
        if (W0 != 0)
        {
            foreach (double y in (ReadOnlySpan<double>)[bounds.MinY, bounds.MaxY])
            {
                double x = -(W1 * y + B) / W0;
                if (x >= bounds.MinX - toleranceX && x <= bounds.MaxX + toleranceX)
                    hits[count++] = (Math.Clamp(x, bounds.MinX, bounds.MaxX), y);
            }
        }
        // Through a corner the line hits two edges at the same point; the farthest pair is the segment.
        double longest = 0;
        (double X0, double Y0, double X1, double Y1)? segment = null;
        for (int i = 0; i < count; i++)
        {
            for (int j = i + 1; j < count; j++)
            {
                double dx = (hits[j].X - hits[i].X) / bounds.SpanX, dy = (hits[j].Y - hits[i].Y) / bounds.SpanY;
                double length = dx * dx + dy * dy;
                if (length > longest)
                {
                    longest = length;
                    segment = (hits[i].X, hits[i].Y, hits[j].X, hits[j].Y);
                }
            }
        }
        return longest > 1e-18 ? segment : null;
    }

    private static void CheckFinite(double w0, double w1, double b, double coefficient, string parameterName)
    {
        if (!double.IsFinite(coefficient))
            throw new ArgumentException($"The line {Describe(w0, w1, b)} has a non-finite coefficient.", parameterName);
    }

    private static string Describe(double w0, double w1, double b) =>
        string.Create(CultureInfo.InvariantCulture, $"{w0}·x + {w1}·y + {b} = 0");
}
