using System;
using System.Numerics;

namespace HiddenSpace.Kernels;

/// <summary>
/// Per-sample losses and their gradients at the output layer, called once per sample by generated code.
/// Each returns the sample's loss and writes the gradient the backward pass starts from.
/// </summary>
public static class LossKernels
{
    /// <summary>
    /// Mean over the K sigmoid outputs of −[t·ln a + (1−t)·ln(1−a)], computed from the logits z as
    /// softplus(z) − t·z so it stays finite for saturated outputs. Writes dz = (a − t)/K: the sigmoid's
    /// derivative is folded in, so no activation backward step follows.
    /// </summary>
    public static float BinaryCrossEntropy(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> target, Span<float> dz)
    {
        CheckLengths(z.Length, a.Length, target.Length, dz.Length);
        float inverseCount = 1f / z.Length;
        float loss = 0f;
        for (int j = 0; j < z.Length; j++)
        {
            float x = z[j];
            loss += MathF.Max(x, 0f) - target[j] * x + MathF.Log(1f + MathF.Exp(-MathF.Abs(x)));
            dz[j] = (a[j] - target[j]) * inverseCount;
        }
        return loss * inverseCount;
    }

    /// <summary>
    /// −Σ t·ln softmax(z) = Σ t·(logsumexp(z) − z), for targets that sum to 1 (one-hot or a distribution).
    /// Writes dz = a − t (the softmax Jacobian folded in).
    /// </summary>
    public static float SoftmaxCrossEntropy(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> target, Span<float> dz)
    {
        CheckLengths(z.Length, a.Length, target.Length, dz.Length);
        float max = float.NegativeInfinity;
        foreach (float value in z) max = MathF.Max(max, value);
        float sum = 0f;
        foreach (float value in z) sum += MathF.Exp(value - max);
        float logSumExp = max + MathF.Log(sum);
        float loss = 0f;
        for (int j = 0; j < z.Length; j++)
        {
            if (target[j] != 0f) loss += target[j] * (logSumExp - z[j]);
            dz[j] = a[j] - target[j];
        }
        return loss;
    }

    /// <summary>
    /// Mean over the K outputs of (a − t)². Writes the gradient with respect to the activations,
    /// da = 2(a − t)/K; the output activation's backward step follows.
    /// </summary>
    public static float MeanSquaredError(ReadOnlySpan<float> a, ReadOnlySpan<float> target, Span<float> da)
    {
        CheckLengths(a.Length, a.Length, target.Length, da.Length);
        float inverseCount = 1f / a.Length;
        float loss = 0f;
        for (int j = 0; j < a.Length; j++)
        {
            float error = a[j] - target[j];
            loss += error * error;
            da[j] = 2f * error * inverseCount;
        }
        return loss * inverseCount;
    }

    // ---- Lane forms: one Vector per output holds Vector<float>.Count samples; each returns the per-sample losses. ----

    /// <summary><see cref="BinaryCrossEntropy(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> for a lane of samples per element.</summary>
    public static Vector<float> BinaryCrossEntropy(ReadOnlySpan<Vector<float>> z, ReadOnlySpan<Vector<float>> a, ReadOnlySpan<Vector<float>> target, Span<Vector<float>> dz)
    {
        CheckLengths(z.Length, a.Length, target.Length, dz.Length);
        float inverseCount = 1f / z.Length;
        Vector<float> loss = Vector<float>.Zero;
        for (int j = 0; j < z.Length; j++)
        {
            Vector<float> x = z[j];
            loss += Vector.MaxNative(Vector<float>.Zero, x) - target[j] * x + Vector.Log(Vector<float>.One + Vector.Exp(-Vector.Abs(x)));
            dz[j] = (a[j] - target[j]) * inverseCount;
        }
        return loss * inverseCount;
    }

    /// <summary><see cref="SoftmaxCrossEntropy(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> for a lane of samples per element.</summary>
    public static Vector<float> SoftmaxCrossEntropy(ReadOnlySpan<Vector<float>> z, ReadOnlySpan<Vector<float>> a, ReadOnlySpan<Vector<float>> target, Span<Vector<float>> dz)
    {
        CheckLengths(z.Length, a.Length, target.Length, dz.Length);
        Vector<float> max = new Vector<float>(float.NegativeInfinity);
        foreach (Vector<float> value in z) max = Vector.Max(max, value);
        Vector<float> sum = Vector<float>.Zero;
        foreach (Vector<float> value in z) sum += Vector.Exp(value - max);
        Vector<float> logSumExp = max + Vector.Log(sum);
        Vector<float> loss = Vector<float>.Zero;
        for (int j = 0; j < z.Length; j++)
        {
            loss += target[j] * (logSumExp - z[j]);
            dz[j] = a[j] - target[j];
        }
        return loss;
    }

    /// <summary><see cref="MeanSquaredError(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> for a lane of samples per element.</summary>
    public static Vector<float> MeanSquaredError(ReadOnlySpan<Vector<float>> a, ReadOnlySpan<Vector<float>> target, Span<Vector<float>> da)
    {
        CheckLengths(a.Length, a.Length, target.Length, da.Length);
        float inverseCount = 1f / a.Length;
        Vector<float> loss = Vector<float>.Zero;
        for (int j = 0; j < a.Length; j++)
        {
            Vector<float> error = a[j] - target[j];
            loss += error * error;
            da[j] = 2f * error * inverseCount;
        }
        return loss * inverseCount;
    }

    private static void CheckLengths(int z, int a, int target, int gradient)
    {
        if (z != a || a != target || target != gradient)
            throw new ArgumentException($"Output spans differ in length: {z}, {a}, {target}, {gradient}.");
    }
}
