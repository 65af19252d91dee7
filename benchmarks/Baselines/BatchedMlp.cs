using System;
using System.Linq;
using System.Numerics.Tensors;

namespace HiddenSpace.Baselines;

/// <summary>
/// The batched hand-written baseline: what a skilled engineer writes in an afternoon with
/// <see cref="TensorPrimitives"/> (vectorised at the widest width the machine has) when a mini-batch is a matrix.
/// Activations are row-major [batch × units]. Each layer walks its weight rows in the outer loop and the batch in
/// the inner one, so a weight row stays in L1 while every sample uses it: z[s, o] = b[o] + Dot(W[o, :], x[s, :]),
/// dW[o, :] += Σ_s dz[s, o]·x[s, :] and dx[s, :] += dz[s, o]·W[o, :] (MultiplyAdd). Activations and their derivatives
/// run over a layer's whole block, tanh, sigmoid, ReLU and softmax (row by row) as TensorPrimitives computes them;
/// the losses are <see cref="ScalarMath"/>'s, as in the other baselines; the update is the runtime's vectorised Adam.
/// </summary>
public sealed class BatchedMlp
{
    private readonly float[] _parameters;
    private readonly float[] _gradients;
    private readonly float[][] _z, _a, _d; // per layer [maxBatch × units]
    private readonly float[] _slope; // f'(z) of a layer's block in the backward pass
    private readonly Optimizer _adam;

    /// <summary>A zero-initialised network of <paramref name="shape"/> for batches of up to <paramref name="maxBatch"/> rows.</summary>
    public BatchedMlp(NetworkShape shape, float learningRate, int maxBatch)
    {
        ScalarMath.CheckSupported(shape);
        Shape = shape;
        MaxBatch = maxBatch;
        int layers = shape.Layers.Count;
        _z = new float[layers][];
        _a = new float[layers][];
        _d = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            _z[l] = new float[maxBatch * shape.Layers[l].Units];
            _a[l] = new float[maxBatch * shape.Layers[l].Units];
            _d[l] = new float[maxBatch * shape.Layers[l].Units];
        }
        _slope = new float[maxBatch * shape.Layers.Max(layer => layer.Units)];
        _parameters = new float[shape.ParameterCount];
        _gradients = new float[shape.ParameterCount];
        _adam = Optimizer.Create(new OptimizerSettings(OptimizerKind.Adam, learningRate), shape.ParameterCount);
    }

    /// <summary>The architecture.</summary>
    public NetworkShape Shape { get; }

    /// <summary>Largest batch the scratch holds.</summary>
    public int MaxBatch { get; }

    /// <summary>Copies in parameters in the <see cref="NetworkShape"/> layout.</summary>
    public void LoadParameters(ReadOnlySpan<float> parameters) => parameters.CopyTo(_parameters);

    /// <summary>The accumulated gradients, in the <see cref="NetworkShape"/> layout.</summary>
    public ReadOnlySpan<float> Gradients => _gradients;

    /// <summary>Zeroes the accumulated gradients.</summary>
    public void ClearGradients() => Array.Clear(_gradients);

    /// <summary>One Adam step on g = scale·gradients.</summary>
    public void AdamStep(float gradientScale) => _adam.Step(_parameters, _gradients, gradientScale);

    /// <summary>Outputs for <c>rows</c> row-major inputs.</summary>
    public void ForwardBatch(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        int rows = Forward(inputs);
        int last = Shape.Layers.Count - 1;
        _a[last].AsSpan(0, rows * Shape.Outputs).CopyTo(outputs);
    }

    /// <summary>Forward and backward over the batch; adds the summed gradients; returns the summed loss.</summary>
    public float AccumulateBatchGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
    {
        int rows = Forward(inputs);
        int last = Shape.Layers.Count - 1, outputs = Shape.Outputs;
        float loss = 0f;
        for (int s = 0; s < rows; s++)
            loss += ScalarMath.LossAndOutputGradient(Shape.Loss, Shape.Layers[last].Activation, Row(_z[last], s, outputs), Row(_a[last], s, outputs),
                targets.Slice(s * outputs, outputs), Row(_d[last], s, outputs));
        for (int l = last; l >= 0; l--)
        {
            int units = Shape.Layers[l].Units, fanIn = Shape.FanIn(l);
            ReadOnlySpan<float> x = l == 0 ? inputs : _a[l - 1];
            ReadOnlySpan<float> w = _parameters.AsSpan(Shape.WeightOffset(l), units * fanIn);
            Span<float> dw = _gradients.AsSpan(Shape.WeightOffset(l), units * fanIn), db = _gradients.AsSpan(Shape.BiasOffset(l), units);
            float[] dz = _d[l];
            for (int o = 0; o < units; o++)
            {
                Span<float> dwRow = dw.Slice(o * fanIn, fanIn);
                for (int s = 0; s < rows; s++)
                {
                    float delta = dz[s * units + o];
                    db[o] += delta;
                    TensorPrimitives.MultiplyAdd(x.Slice(s * fanIn, fanIn), delta, dwRow, dwRow);
                }
            }
            if (l == 0) break;
            float[] dx = _d[l - 1];
            Array.Clear(dx, 0, rows * fanIn);
            for (int o = 0; o < units; o++)
            {
                ReadOnlySpan<float> wRow = w.Slice(o * fanIn, fanIn);
                for (int s = 0; s < rows; s++)
                {
                    Span<float> dxRow = dx.AsSpan(s * fanIn, fanIn);
                    TensorPrimitives.MultiplyAdd(wRow, dz[s * units + o], dxRow, dxRow);
                }
            }
            Backward(Shape.Layers[l - 1].Activation, _z[l - 1].AsSpan(0, rows * fanIn), _a[l - 1].AsSpan(0, rows * fanIn), dx.AsSpan(0, rows * fanIn));
        }
        return loss;
    }

    private int Forward(ReadOnlySpan<float> inputs)
    {
        int rows = inputs.Length / Shape.Inputs;
        if (rows > MaxBatch) throw new ArgumentException($"{rows} rows exceed the {MaxBatch} this baseline was built for.", nameof(inputs));
        ReadOnlySpan<float> x = inputs;
        for (int l = 0; l < Shape.Layers.Count; l++)
        {
            int units = Shape.Layers[l].Units, fanIn = Shape.FanIn(l);
            ReadOnlySpan<float> w = _parameters.AsSpan(Shape.WeightOffset(l), units * fanIn), b = _parameters.AsSpan(Shape.BiasOffset(l), units);
            float[] z = _z[l];
            for (int o = 0; o < units; o++)
            {
                ReadOnlySpan<float> wRow = w.Slice(o * fanIn, fanIn);
                for (int s = 0; s < rows; s++)
                    z[s * units + o] = b[o] + TensorPrimitives.Dot(wRow, x.Slice(s * fanIn, fanIn));
            }
            Activate(Shape.Layers[l].Activation, z.AsSpan(0, rows * units), _a[l].AsSpan(0, rows * units), units);
            x = _a[l];
        }
        return rows;
    }

    /// <summary>a = f(z) over a block of rows of <paramref name="units"/> values: one TensorPrimitives call (softmax one per row).</summary>
    private static void Activate(Activation activation, ReadOnlySpan<float> z, Span<float> a, int units)
    {
        switch (activation)
        {
            case Activation.ReLU:
                TensorPrimitives.Max(z, 0f, a);
                break;
            case Activation.Tanh:
                TensorPrimitives.Tanh(z, a);
                break;
            case Activation.Sigmoid:
                TensorPrimitives.Sigmoid(z, a);
                break;
            case Activation.Softmax:
                for (int row = 0; row < z.Length; row += units)
                    TensorPrimitives.SoftMax(z.Slice(row, units), a.Slice(row, units));
                break;
            default: // Linear and LeakyReLU, element by element over the block
                ScalarMath.Activate(activation, z, a);
                break;
        }
    }

    /// <summary>d ← d·f'(z) over a block: tanh's 1 − a² and sigmoid's a·(1 − a) as TensorPrimitives products, the rest element by element.</summary>
    private void Backward(Activation activation, ReadOnlySpan<float> z, ReadOnlySpan<float> a, Span<float> d)
    {
        Span<float> slope = _slope.AsSpan(0, d.Length);
        switch (activation)
        {
            case Activation.Tanh:
                TensorPrimitives.Multiply(a, a, slope);
                TensorPrimitives.Subtract(1f, slope, slope);
                TensorPrimitives.Multiply(d, slope, d);
                break;
            case Activation.Sigmoid:
                TensorPrimitives.Subtract(1f, a, slope);
                TensorPrimitives.Multiply(a, slope, slope);
                TensorPrimitives.Multiply(d, slope, d);
                break;
            default:
                ScalarMath.Backward(activation, z, a, d);
                break;
        }
    }

    private static Span<float> Row(float[] buffer, int row, int width) => buffer.AsSpan(row * width, width);
}
