using System;

namespace HiddenSpace.Baselines;

/// <summary>
/// Scalar dense kernels over <see cref="Span{T}"/> slices of one flat parameter array: each weight row is
/// sliced once and walked with <c>i &lt; row.Length</c>, the shape that lets the JIT drop bounds checks.
/// </summary>
public sealed class SpanMlp : FlatMlp
{
    /// <summary>A zero-initialised network of <paramref name="shape"/>; load parameters before use.</summary>
    public SpanMlp(NetworkShape shape, float learningRate) : base(shape, learningRate) { }

    /// <inheritdoc/>
    protected override void DenseForward(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> x, Span<float> z)
    {
        for (int o = 0; o < z.Length; o++)
        {
            ReadOnlySpan<float> row = weights.Slice(o * x.Length, x.Length);
            float sum = bias[o];
            for (int i = 0; i < row.Length; i++) sum += row[i] * x[i];
            z[o] = sum;
        }
    }

    /// <inheritdoc/>
    protected override void DenseGradients(ReadOnlySpan<float> dz, ReadOnlySpan<float> x, Span<float> dWeights, Span<float> dBias)
    {
        for (int o = 0; o < dz.Length; o++)
        {
            float delta = dz[o];
            dBias[o] += delta;
            Span<float> row = dWeights.Slice(o * x.Length, x.Length);
            for (int i = 0; i < row.Length; i++) row[i] += delta * x[i];
        }
    }

    /// <inheritdoc/>
    protected override void DenseBackpropagate(ReadOnlySpan<float> weights, ReadOnlySpan<float> dz, Span<float> dx)
    {
        dx.Clear();
        for (int o = 0; o < dz.Length; o++)
        {
            float delta = dz[o];
            ReadOnlySpan<float> row = weights.Slice(o * dx.Length, dx.Length);
            for (int i = 0; i < row.Length; i++) dx[i] += row[i] * delta;
        }
    }
}
