using System;

namespace HiddenSpace;

/// <summary>The update rule.</summary>
public enum OptimizerKind
{
    /// <summary>w ← w − η·g.</summary>
    Sgd,
    /// <summary>v ← μ·v + g; w ← w − η·v (PyTorch's SGD with momentum).</summary>
    Momentum,
    /// <summary>Adam with bias correction (Kingma &amp; Ba, 2015).</summary>
    Adam,
}

/// <summary>Optimizer hyper-parameters. g above is the mean gradient of the mini-batch plus L2·w plus L1·sign(w).</summary>
/// <param name="Kind">The update rule.</param>
/// <param name="LearningRate">η, finite and &gt; 0.</param>
/// <param name="Momentum">μ for <see cref="OptimizerKind.Momentum"/>, in [0, 1).</param>
/// <param name="Beta1">Adam's first-moment decay, in [0, 1).</param>
/// <param name="Beta2">Adam's second-moment decay, in [0, 1).</param>
/// <param name="Epsilon">Adam's denominator guard, &gt; 0.</param>
/// <param name="L2">Coefficient of the L2 penalty ½·L2·‖w‖² added to the loss (coupled weight decay), ≥ 0.</param>
/// <param name="L1">Coefficient of the L1 penalty L1·‖w‖₁ added to the loss, ≥ 0; its subgradient L1·sign(w) is 0 at w = 0.</param>
public sealed record OptimizerSettings(
    OptimizerKind Kind = OptimizerKind.Adam,
    float LearningRate = 0.01f,
    float Momentum = 0.9f,
    float Beta1 = 0.9f,
    float Beta2 = 0.999f,
    float Epsilon = 1e-8f,
    float L2 = 0f,
    float L1 = 0f)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Not a defined OptimizerKind.");
        if (!(LearningRate > 0f) || !float.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be finite and greater than 0.");
        CheckUnitInterval(Momentum, nameof(Momentum));
        CheckUnitInterval(Beta1, nameof(Beta1));
        CheckUnitInterval(Beta2, nameof(Beta2));
        if (!(Epsilon > 0f) || !float.IsFinite(Epsilon))
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "Epsilon must be finite and greater than 0.");
        if (!(L2 >= 0f) || !float.IsFinite(L2))
            throw new ArgumentOutOfRangeException(nameof(L2), L2, "L2 must be finite and at least 0.");
        if (!(L1 >= 0f) || !float.IsFinite(L1))
            throw new ArgumentOutOfRangeException(nameof(L1), L1, "L1 must be finite and at least 0.");
    }

    private static void CheckUnitInterval(float value, string name)
    {
        if (!(value >= 0f && value < 1f))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");
    }
}
