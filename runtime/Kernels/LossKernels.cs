using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

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

    // ---- Lane forms: one vector per output holds a lane of samples (any width, see ILaneMath); each returns the
    // per-sample losses. The internal overloads read the outputs' vectors `stride` apart (a unit's vector of a
    // feature-major block, see MatrixKernels.SoftmaxCrossEntropy). ----

    /// <summary><see cref="BinaryCrossEntropy(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> for a lane of samples per element.</summary>
    public static TVector BinaryCrossEntropy<TVector, TMath>(ReadOnlySpan<TVector> z, ReadOnlySpan<TVector> a, ReadOnlySpan<TVector> target, Span<TVector> dz)
        where TVector : struct where TMath : ILaneMath<TVector>
    {
        CheckLengths(z.Length, a.Length, target.Length, dz.Length);
        return BinaryCrossEntropy<TVector, TMath>(z, a, target, dz, z.Length, 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static TVector BinaryCrossEntropy<TVector, TMath>(ReadOnlySpan<TVector> z, ReadOnlySpan<TVector> a, ReadOnlySpan<TVector> target, Span<TVector> dz,
        int units, int stride) where TVector : struct where TMath : ILaneMath<TVector>
    {
        TVector inverseCount = TMath.Create(1f / units);
        TVector loss = default;
        for (int j = 0; j < units; j++)
        {
            TVector x = z[j * stride];
            TVector softplus = TMath.LogAtLeastOne(TMath.Add(TMath.Create(1f), TMath.Exp(TMath.Subtract(default, TMath.Abs(x)))));
            loss = TMath.Add(loss, TMath.Add(TMath.Subtract(TMath.MaxNative(default, x), TMath.Multiply(target[j * stride], x)), softplus));
            dz[j * stride] = TMath.Multiply(TMath.Subtract(a[j * stride], target[j * stride]), inverseCount);
        }
        return TMath.Multiply(loss, inverseCount);
    }

    /// <summary><see cref="SoftmaxCrossEntropy(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> for a lane of samples per element.</summary>
    public static TVector SoftmaxCrossEntropy<TVector, TMath>(ReadOnlySpan<TVector> z, ReadOnlySpan<TVector> a, ReadOnlySpan<TVector> target, Span<TVector> dz)
        where TVector : struct where TMath : ILaneMath<TVector>
    {
        CheckLengths(z.Length, a.Length, target.Length, dz.Length);
        return SoftmaxCrossEntropy<TVector, TMath>(z, a, target, dz, z.Length, 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static TVector SoftmaxCrossEntropy<TVector, TMath>(ReadOnlySpan<TVector> z, ReadOnlySpan<TVector> a, ReadOnlySpan<TVector> target, Span<TVector> dz,
        int units, int stride) where TVector : struct where TMath : ILaneMath<TVector>
    {
        TVector max = TMath.Create(float.NegativeInfinity);
        for (int j = 0; j < units; j++) max = TMath.Max(max, z[j * stride]);
        TVector sum = default;
        for (int j = 0; j < units; j++) sum = TMath.Add(sum, TMath.Exp(TMath.Subtract(z[j * stride], max)));
        TVector logSumExp = TMath.Add(max, TMath.LogAtLeastOne(sum));
        TVector loss = default;
        for (int j = 0; j < units; j++)
        {
            loss = TMath.Add(loss, TMath.Multiply(target[j * stride], TMath.Subtract(logSumExp, z[j * stride])));
            dz[j * stride] = TMath.Subtract(a[j * stride], target[j * stride]);
        }
        return loss;
    }

    /// <summary><see cref="MeanSquaredError(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> for a lane of samples per element.</summary>
    public static TVector MeanSquaredError<TVector, TMath>(ReadOnlySpan<TVector> a, ReadOnlySpan<TVector> target, Span<TVector> da) where TVector : struct where TMath : ILaneMath<TVector>
    {
        CheckLengths(a.Length, a.Length, target.Length, da.Length);
        return MeanSquaredError<TVector, TMath>(a, target, da, a.Length, 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static TVector MeanSquaredError<TVector, TMath>(ReadOnlySpan<TVector> a, ReadOnlySpan<TVector> target, Span<TVector> da, int units, int stride)
        where TVector : struct where TMath : ILaneMath<TVector>
    {
        float inverseCount = 1f / units;
        TVector loss = default;
        for (int j = 0; j < units; j++)
        {
            TVector error = TMath.Subtract(a[j * stride], target[j * stride]);
            loss = TMath.Add(loss, TMath.Multiply(error, error));
            da[j * stride] = TMath.Multiply(error, TMath.Create(2f * inverseCount));
        }
        return TMath.Multiply(loss, TMath.Create(inverseCount));
    }

    // The check inlines into every kernel, the throw does not (its message would keep the check out of line).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckLengths(int z, int a, int target, int gradient)
    {
        if (z != a || a != target || target != gradient) ThrowLengthsDiffer(z, a, target, gradient);
    }

    [DoesNotReturn]
    private static void ThrowLengthsDiffer(int z, int a, int target, int gradient) =>
        throw new ArgumentException($"Output spans differ in length: {z}, {a}, {target}, {gradient}.");
}
