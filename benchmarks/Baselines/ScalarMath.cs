using System;

namespace HiddenSpace.Baselines;

/// <summary>
/// Scalar activations, their derivatives and the per-sample losses, shared by the three baselines so that
/// they differ only in how they run the dense layers. The losses follow <c>HiddenSpace.Kernels.LossKernels</c>.
/// </summary>
public static class ScalarMath
{
    private const float LeakySlope = 0.01f;

    /// <summary>Throws <see cref="NotSupportedException"/> for an activation the baselines do not implement.</summary>
    public static void CheckSupported(NetworkShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (LayerShape layer in shape.Layers)
            if (layer.Activation is not (Activation.Linear or Activation.ReLU or Activation.LeakyReLU or Activation.Tanh or Activation.Sigmoid or Activation.Softmax))
                throw new NotSupportedException($"The baselines implement Linear, ReLU, LeakyReLU, Tanh, Sigmoid and Softmax, not {layer.Activation}.");
    }

    /// <summary>a = f(z) element-wise (Softmax over the whole span).</summary>
    public static void Activate(Activation activation, ReadOnlySpan<float> z, Span<float> a)
    {
        switch (activation)
        {
            case Activation.Linear:
                z.CopyTo(a);
                break;
            case Activation.ReLU:
                for (int j = 0; j < z.Length; j++) a[j] = z[j] > 0f ? z[j] : 0f;
                break;
            case Activation.LeakyReLU:
                for (int j = 0; j < z.Length; j++) a[j] = z[j] > 0f ? z[j] : LeakySlope * z[j];
                break;
            case Activation.Tanh:
                for (int j = 0; j < z.Length; j++) a[j] = MathF.Tanh(z[j]);
                break;
            case Activation.Sigmoid:
                for (int j = 0; j < z.Length; j++) a[j] = 1f / (1f + MathF.Exp(-z[j]));
                break;
            case Activation.Softmax:
                float max = float.NegativeInfinity;
                foreach (float value in z) max = MathF.Max(max, value);
                float sum = 0f;
                for (int j = 0; j < z.Length; j++) sum += a[j] = MathF.Exp(z[j] - max);
                float inverse = 1f / sum;
                for (int j = 0; j < z.Length; j++) a[j] *= inverse;
                break;
            default:
                throw new NotSupportedException($"Activation {activation} is not implemented by the baselines.");
        }
    }

    /// <summary>d ← d·f'(z), turning dLoss/da into dLoss/dz (Softmax is folded into its loss instead).</summary>
    public static void Backward(Activation activation, ReadOnlySpan<float> z, ReadOnlySpan<float> a, Span<float> d)
    {
        switch (activation)
        {
            case Activation.Linear:
                break;
            case Activation.ReLU:
                for (int j = 0; j < d.Length; j++) if (!(z[j] > 0f)) d[j] = 0f;
                break;
            case Activation.LeakyReLU:
                for (int j = 0; j < d.Length; j++) if (!(z[j] > 0f)) d[j] *= LeakySlope;
                break;
            case Activation.Tanh:
                for (int j = 0; j < d.Length; j++) d[j] *= 1f - a[j] * a[j];
                break;
            case Activation.Sigmoid:
                for (int j = 0; j < d.Length; j++) d[j] *= a[j] * (1f - a[j]);
                break;
            default:
                throw new NotSupportedException($"Activation {activation} has no element-wise backward step here.");
        }
    }

    /// <summary>
    /// The sample's loss, and dLoss/dz of the output layer in <paramref name="dz"/>: BCE and softmax
    /// cross-entropy fold the output activation in; MSE goes through the activation's backward step.
    /// </summary>
    public static float LossAndOutputGradient(Loss loss, Activation output, ReadOnlySpan<float> z, ReadOnlySpan<float> a,
        ReadOnlySpan<float> target, Span<float> dz)
    {
        switch (loss)
        {
            case Loss.BinaryCrossEntropy:
            {
                float inverseCount = 1f / z.Length, sum = 0f;
                for (int j = 0; j < z.Length; j++)
                {
                    float x = z[j];
                    sum += MathF.Max(x, 0f) - target[j] * x + MathF.Log(1f + MathF.Exp(-MathF.Abs(x)));
                    dz[j] = (a[j] - target[j]) * inverseCount;
                }
                return sum * inverseCount;
            }
            case Loss.SoftmaxCrossEntropy:
            {
                float max = float.NegativeInfinity;
                foreach (float value in z) max = MathF.Max(max, value);
                float sumExp = 0f;
                foreach (float value in z) sumExp += MathF.Exp(value - max);
                float logSumExp = max + MathF.Log(sumExp), sum = 0f;
                for (int j = 0; j < z.Length; j++)
                {
                    if (target[j] != 0f) sum += target[j] * (logSumExp - z[j]);
                    dz[j] = a[j] - target[j];
                }
                return sum;
            }
            default:
            {
                float inverseCount = 1f / a.Length, sum = 0f;
                for (int j = 0; j < a.Length; j++)
                {
                    float error = a[j] - target[j];
                    sum += error * error;
                    dz[j] = 2f * error * inverseCount;
                }
                Backward(output, z, a, dz);
                return sum * inverseCount;
            }
        }
    }
}
