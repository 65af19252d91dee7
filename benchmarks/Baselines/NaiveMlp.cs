using System;

namespace HiddenSpace.Baselines;

/// <summary>
/// An MLP written the way C# tutorials write one: per layer a <c>float[][]</c> of weight rows and a bias
/// array, nested <c>for</c> loops, <see cref="MathF.Tanh"/>, and plain scalar SGD and Adam loops over the
/// same jagged arrays. Nothing is allocated after construction.
/// </summary>
public sealed class NaiveMlp : IBaselineMlp
{
    private const float Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-8f;

    private readonly float[][][] _weights;   // [layer][unit][input]
    private readonly float[][] _biases;      // [layer][unit]
    private readonly float[][][] _dWeights;  // same shape as _weights
    private readonly float[][] _dBiases;     // same shape as _biases
    private readonly float[][][] _mWeights, _vWeights; // Adam moments
    private readonly float[][] _mBiases, _vBiases;
    private readonly float[][] _z;           // pre-activations [layer][unit]
    private readonly float[][] _a;           // activations [layer][unit]
    private readonly float[][] _delta;       // dLoss/dz [layer][unit]
    private readonly float[] _input;
    private long _adamSteps;

    /// <summary>A zero-initialised network of <paramref name="shape"/>; load parameters before use.</summary>
    public NaiveMlp(NetworkShape shape, float learningRate)
    {
        ScalarMath.CheckSupported(shape);
        Shape = shape;
        LearningRate = learningRate;
        _weights = Rows(shape);
        _dWeights = Rows(shape);
        _mWeights = Rows(shape);
        _vWeights = Rows(shape);
        _biases = Units(shape);
        _dBiases = Units(shape);
        _mBiases = Units(shape);
        _vBiases = Units(shape);
        _z = Units(shape);
        _a = Units(shape);
        _delta = Units(shape);
        _input = new float[shape.Inputs];
    }

    /// <inheritdoc/>
    public NetworkShape Shape { get; }

    /// <inheritdoc/>
    public float LearningRate { get; }

    /// <inheritdoc/>
    public void LoadParameters(ReadOnlySpan<float> parameters)
    {
        NetworkArguments.CheckLength(parameters.Length, Shape.ParameterCount, nameof(parameters));
        int k = 0;
        for (int l = 0; l < _weights.Length; l++)
        {
            foreach (float[] row in _weights[l])
                for (int i = 0; i < row.Length; i++) row[i] = parameters[k++];
            for (int o = 0; o < _biases[l].Length; o++) _biases[l][o] = parameters[k++];
        }
    }

    /// <inheritdoc/>
    public void StoreParameters(Span<float> parameters) => Flatten(_weights, _biases, parameters);

    /// <inheritdoc/>
    public void StoreGradients(Span<float> gradients) => Flatten(_dWeights, _dBiases, gradients);

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        NetworkArguments.CheckLength(output.Length, Shape.Outputs, nameof(output));
        RunForward(input);
        _a[^1].CopyTo(output);
    }

    /// <inheritdoc/>
    public void ClearGradients()
    {
        for (int l = 0; l < _dWeights.Length; l++)
        {
            foreach (float[] row in _dWeights[l]) Array.Clear(row);
            Array.Clear(_dBiases[l]);
        }
    }

    /// <inheritdoc/>
    public float AccumulateGradients(ReadOnlySpan<float> input, ReadOnlySpan<float> target)
    {
        NetworkArguments.CheckLength(target.Length, Shape.Outputs, nameof(target));
        RunForward(input);
        int last = _weights.Length - 1;
        float loss = ScalarMath.LossAndOutputGradient(Shape.Loss, Shape.Layers[last].Activation, _z[last], _a[last], target, _delta[last]);
        for (int l = last; l >= 0; l--)
        {
            float[][] w = _weights[l];
            float[][] dw = _dWeights[l];
            float[] db = _dBiases[l];
            float[] delta = _delta[l];
            float[] x = l == 0 ? _input : _a[l - 1];
            for (int o = 0; o < w.Length; o++)
            {
                db[o] += delta[o];
                for (int i = 0; i < x.Length; i++) dw[o][i] += delta[o] * x[i];
            }
            if (l == 0) break;
            float[] previous = _delta[l - 1];
            for (int i = 0; i < previous.Length; i++)
            {
                float sum = 0f;
                for (int o = 0; o < w.Length; o++) sum += w[o][i] * delta[o];
                previous[i] = sum;
            }
            ScalarMath.Backward(Shape.Layers[l - 1].Activation, _z[l - 1], _a[l - 1], previous);
        }
        return loss;
    }

    /// <inheritdoc/>
    public void SgdStep(float gradientScale)
    {
        for (int l = 0; l < _weights.Length; l++)
        {
            for (int o = 0; o < _weights[l].Length; o++)
            {
                for (int i = 0; i < _weights[l][o].Length; i++)
                    _weights[l][o][i] -= LearningRate * gradientScale * _dWeights[l][o][i];
                _biases[l][o] -= LearningRate * gradientScale * _dBiases[l][o];
            }
        }
    }

    /// <inheritdoc/>
    public void AdamStep(float gradientScale)
    {
        _adamSteps++;
        // Bias corrections folded into the step size, as the runtime's Optimizer does.
        float stepSize = (float)(LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, _adamSteps)) / (1 - Math.Pow(Beta1, _adamSteps)));
        float epsilonHat = (float)(Epsilon * Math.Sqrt(1 - Math.Pow(Beta2, _adamSteps)));
        for (int l = 0; l < _weights.Length; l++)
        {
            for (int o = 0; o < _weights[l].Length; o++)
            {
                for (int i = 0; i < _weights[l][o].Length; i++)
                    AdamUpdate(ref _weights[l][o][i], ref _mWeights[l][o][i], ref _vWeights[l][o][i], gradientScale * _dWeights[l][o][i], stepSize, epsilonHat);
                AdamUpdate(ref _biases[l][o], ref _mBiases[l][o], ref _vBiases[l][o], gradientScale * _dBiases[l][o], stepSize, epsilonHat);
            }
        }
    }

    private static void AdamUpdate(ref float w, ref float m, ref float v, float g, float stepSize, float epsilonHat)
    {
        m = Beta1 * m + (1f - Beta1) * g;
        v = Beta2 * v + (1f - Beta2) * g * g;
        w -= stepSize * m / (MathF.Sqrt(v) + epsilonHat);
    }

    private void RunForward(ReadOnlySpan<float> input)
    {
        NetworkArguments.CheckLength(input.Length, Shape.Inputs, nameof(input));
        input.CopyTo(_input);
        float[] x = _input;
        for (int l = 0; l < _weights.Length; l++)
        {
            float[][] w = _weights[l];
            float[] b = _biases[l];
            float[] z = _z[l];
            for (int o = 0; o < w.Length; o++)
            {
                float sum = b[o];
                for (int i = 0; i < x.Length; i++) sum += w[o][i] * x[i];
                z[o] = sum;
            }
            ScalarMath.Activate(Shape.Layers[l].Activation, z, _a[l]);
            x = _a[l];
        }
    }

    private static void Flatten(float[][][] weights, float[][] biases, Span<float> destination)
    {
        int k = 0;
        for (int l = 0; l < weights.Length; l++)
        {
            foreach (float[] row in weights[l])
                foreach (float value in row) destination[k++] = value;
            foreach (float value in biases[l]) destination[k++] = value;
        }
    }

    private static float[][][] Rows(NetworkShape shape)
    {
        var rows = new float[shape.Layers.Count][][];
        for (int l = 0; l < rows.Length; l++)
        {
            rows[l] = new float[shape.Layers[l].Units][];
            for (int o = 0; o < rows[l].Length; o++) rows[l][o] = new float[shape.FanIn(l)];
        }
        return rows;
    }

    private static float[][] Units(NetworkShape shape)
    {
        var units = new float[shape.Layers.Count][];
        for (int l = 0; l < units.Length; l++) units[l] = new float[shape.Layers[l].Units];
        return units;
    }
}
