using System;

namespace HiddenSpace.Baselines;

/// <summary>
/// What the benchmarks need from a hand-written MLP. Every implementation computes the same math as the
/// generated networks (same parameter layout, losses as in <c>HiddenSpace.Kernels.LossKernels</c>) so
/// parameters can be copied in and results compared; only the code shape differs.
/// </summary>
public interface IBaselineMlp
{
    /// <summary>The architecture.</summary>
    NetworkShape Shape { get; }

    /// <summary>Copies in parameters in the <see cref="NetworkShape"/> layout (per layer W row-major, then b).</summary>
    void LoadParameters(ReadOnlySpan<float> parameters);

    /// <summary>Copies the parameters out in the <see cref="NetworkShape"/> layout.</summary>
    void StoreParameters(Span<float> parameters);

    /// <summary>Copies the accumulated gradients out in the <see cref="NetworkShape"/> layout.</summary>
    void StoreGradients(Span<float> gradients);

    /// <summary>Outputs for one sample.</summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Zeroes the accumulated gradients.</summary>
    void ClearGradients();

    /// <summary>Forward and backward for one sample; adds dLoss/dParameters to the gradients; returns the loss.</summary>
    float AccumulateGradients(ReadOnlySpan<float> input, ReadOnlySpan<float> target);

    /// <summary>η, fixed at construction for both update rules.</summary>
    float LearningRate { get; }

    /// <summary>w ← w − η·scale·g.</summary>
    void SgdStep(float gradientScale);

    /// <summary>One Adam step (β1 0.9, β2 0.999, ε 1e-8, bias-corrected as the runtime's Optimizer) on g = scale·gradients.</summary>
    void AdamStep(float gradientScale);
}
