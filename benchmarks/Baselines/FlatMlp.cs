using System;

namespace HiddenSpace.Baselines;

/// <summary>
/// The bookkeeping shared by the flat-array baselines: one parameter array and one gradient array in the
/// <see cref="NetworkShape"/> layout, activation scratch allocated once, and the runtime's vectorised
/// <see cref="Optimizer"/> for the updates (the same one generated networks use). Subclasses supply only the
/// three dense-layer kernels, so <see cref="SpanMlp"/> and <see cref="SimdMlp"/> differ in nothing else.
/// </summary>
public abstract class FlatMlp : IBaselineMlp
{
    private readonly float[] _parameters;
    private readonly float[] _gradients;
    private readonly float[] _input;   // [inputs]
    private readonly float[] _z;       // pre-activations, [Σ units], layer l at _unitOffsets[l]
    private readonly float[] _a;       // activations, same layout
    private readonly float[] _d;       // dLoss/da then dLoss/dz, same layout
    private readonly int[] _units, _fanIns, _weightOffsets, _biasOffsets, _unitOffsets;
    private readonly Activation[] _activations;
    private readonly Optimizer _sgd;
    private readonly Optimizer _adam;

    /// <summary>A zero-initialised network of <paramref name="shape"/>; load parameters before use.</summary>
    protected FlatMlp(NetworkShape shape, float learningRate)
    {
        ScalarMath.CheckSupported(shape);
        Shape = shape;
        LearningRate = learningRate;
        int layers = shape.Layers.Count;
        _units = new int[layers];
        _fanIns = new int[layers];
        _weightOffsets = new int[layers];
        _biasOffsets = new int[layers];
        _unitOffsets = new int[layers];
        _activations = new Activation[layers];
        int totalUnits = 0;
        for (int l = 0; l < layers; l++)
        {
            _units[l] = shape.Layers[l].Units;
            _fanIns[l] = shape.FanIn(l);
            _weightOffsets[l] = shape.WeightOffset(l);
            _biasOffsets[l] = shape.BiasOffset(l);
            _activations[l] = shape.Layers[l].Activation;
            _unitOffsets[l] = totalUnits;
            totalUnits += _units[l];
        }
        _parameters = new float[shape.ParameterCount];
        _gradients = new float[shape.ParameterCount];
        _input = new float[shape.Inputs];
        _z = new float[totalUnits];
        _a = new float[totalUnits];
        _d = new float[totalUnits];
        _sgd = Optimizer.Create(new OptimizerSettings(OptimizerKind.Sgd, learningRate), shape.ParameterCount);
        _adam = Optimizer.Create(new OptimizerSettings(OptimizerKind.Adam, learningRate), shape.ParameterCount);
    }

    /// <inheritdoc/>
    public NetworkShape Shape { get; }

    /// <inheritdoc/>
    public float LearningRate { get; }

    /// <inheritdoc/>
    public void LoadParameters(ReadOnlySpan<float> parameters)
    {
        NetworkArguments.CheckLength(parameters.Length, _parameters.Length, nameof(parameters));
        parameters.CopyTo(_parameters);
    }

    /// <inheritdoc/>
    public void StoreParameters(Span<float> parameters) => _parameters.CopyTo(parameters);

    /// <inheritdoc/>
    public void StoreGradients(Span<float> gradients) => _gradients.CopyTo(gradients);

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        NetworkArguments.CheckLength(output.Length, Shape.Outputs, nameof(output));
        RunForward(input);
        Layer(_a, _units.Length - 1).CopyTo(output);
    }

    /// <inheritdoc/>
    public void ClearGradients() => Array.Clear(_gradients);

    /// <inheritdoc/>
    public float AccumulateGradients(ReadOnlySpan<float> input, ReadOnlySpan<float> target)
    {
        NetworkArguments.CheckLength(target.Length, Shape.Outputs, nameof(target));
        RunForward(input);
        int last = _units.Length - 1;
        float loss = ScalarMath.LossAndOutputGradient(Shape.Loss, _activations[last], Layer(_z, last), Layer(_a, last), target, Layer(_d, last));
        for (int l = last; l >= 0; l--)
        {
            ReadOnlySpan<float> x = l == 0 ? _input : Layer(_a, l - 1);
            Span<float> dz = Layer(_d, l);
            DenseGradients(dz, x, _gradients.AsSpan(_weightOffsets[l], _units[l] * _fanIns[l]), _gradients.AsSpan(_biasOffsets[l], _units[l]));
            if (l == 0) break;
            Span<float> dx = Layer(_d, l - 1);
            DenseBackpropagate(_parameters.AsSpan(_weightOffsets[l], _units[l] * _fanIns[l]), dz, dx);
            ScalarMath.Backward(_activations[l - 1], Layer(_z, l - 1), Layer(_a, l - 1), dx);
        }
        return loss;
    }

    /// <inheritdoc/>
    public void SgdStep(float gradientScale) => _sgd.Step(_parameters, _gradients, gradientScale);

    /// <inheritdoc/>
    public void AdamStep(float gradientScale) => _adam.Step(_parameters, _gradients, gradientScale);

    /// <summary>z[o] = b[o] + W[o,:]·x, W [z.Length × x.Length] row-major.</summary>
    protected abstract void DenseForward(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> x, Span<float> z);

    /// <summary>dW[o,:] += dz[o]·x and db[o] += dz[o].</summary>
    protected abstract void DenseGradients(ReadOnlySpan<float> dz, ReadOnlySpan<float> x, Span<float> dWeights, Span<float> dBias);

    /// <summary>dx = Wᵀ·dz (overwrites dx).</summary>
    protected abstract void DenseBackpropagate(ReadOnlySpan<float> weights, ReadOnlySpan<float> dz, Span<float> dx);

    private void RunForward(ReadOnlySpan<float> input)
    {
        NetworkArguments.CheckLength(input.Length, _input.Length, nameof(input));
        input.CopyTo(_input);
        ReadOnlySpan<float> x = _input;
        for (int l = 0; l < _units.Length; l++)
        {
            Span<float> z = Layer(_z, l), a = Layer(_a, l);
            DenseForward(_parameters.AsSpan(_weightOffsets[l], _units[l] * _fanIns[l]), _parameters.AsSpan(_biasOffsets[l], _units[l]), x, z);
            ScalarMath.Activate(_activations[l], z, a);
            x = a;
        }
    }

    private Span<float> Layer(float[] scratch, int layer) => scratch.AsSpan(_unitOffsets[layer], _units[layer]);
}
