using System;
using System.Runtime.InteropServices;
using System.Numerics;

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

/// <summary>Optimizer hyper-parameters. g above is the mean gradient of the mini-batch plus L2·w.</summary>
/// <param name="Kind">The update rule.</param>
/// <param name="LearningRate">η, finite and &gt; 0.</param>
/// <param name="Momentum">μ for <see cref="OptimizerKind.Momentum"/>, in [0, 1).</param>
/// <param name="Beta1">Adam's first-moment decay, in [0, 1).</param>
/// <param name="Beta2">Adam's second-moment decay, in [0, 1).</param>
/// <param name="Epsilon">Adam's denominator guard, &gt; 0.</param>
/// <param name="L2">Coefficient of the L2 penalty ½·L2·‖w‖² added to the loss (coupled weight decay), ≥ 0.</param>
public sealed record OptimizerSettings(
    OptimizerKind Kind = OptimizerKind.Adam,
    float LearningRate = 0.01f,
    float Momentum = 0.9f,
    float Beta1 = 0.9f,
    float Beta2 = 0.999f,
    float Epsilon = 1e-8f,
    float L2 = 0f)
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
    }

    private static void CheckUnitInterval(float value, string name)
    {
        if (!(value >= 0f && value < 1f))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");
    }
}

/// <summary>
/// Applies one update to a flat parameter vector from a gradient sum. Its state (velocities, moments) is
/// allocated once, in <see cref="Create"/>; <see cref="Step"/> allocates nothing. Vectorised over 16 lanes.
/// </summary>
public sealed class Optimizer
{
    private static int Lanes => Vector<float>.Count;
    private readonly OptimizerSettings _settings;
    private readonly float[] _first;  // momentum velocity or Adam's first moment, [parameters]
    private readonly float[] _second; // Adam's second moment, [parameters]
    private long _steps;

    private Optimizer(OptimizerSettings settings, int parameterCount)
    {
        _settings = settings;
        _first = settings.Kind == OptimizerKind.Sgd ? [] : new float[parameterCount];
        _second = settings.Kind == OptimizerKind.Adam ? new float[parameterCount] : [];
        ParameterCount = parameterCount;
    }

    /// <summary>An optimizer for <paramref name="parameterCount"/> parameters.</summary>
    public static Optimizer Create(OptimizerSettings settings, int parameterCount)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameterCount);
        return new Optimizer(settings, parameterCount);
    }

    /// <summary>The settings it was created with.</summary>
    public OptimizerSettings Settings => _settings;

    /// <summary>Length of the parameter vector it updates.</summary>
    public int ParameterCount { get; }

    /// <summary>Number of steps taken so far (Adam's bias correction uses it).</summary>
    public long Steps => _steps;

    /// <summary>Momentum velocity or Adam's first moment (empty for plain SGD): optimizer state to save with a checkpoint.</summary>
    public Span<float> FirstMoments => _first;

    /// <summary>Adam's second moment (empty otherwise).</summary>
    public Span<float> SecondMoments => _second;

    /// <summary>Sets the step count when a checkpoint is loaded (the moments are restored through their spans).</summary>
    internal void RestoreSteps(long steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        _steps = steps;
    }

    /// <summary>
    /// One update with g = <paramref name="gradientScale"/>·<paramref name="gradientSum"/> + L2·w
    /// (pass 1/batch size as the scale to use the mean gradient).
    /// </summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradientSum, float gradientScale)
    {
        NetworkArguments.CheckLength(parameters.Length, ParameterCount, nameof(parameters));
        NetworkArguments.CheckLength(gradientSum.Length, ParameterCount, nameof(gradientSum));
        _steps++;
        float lr = _settings.LearningRate, l2 = _settings.L2;
        ref float w = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradientSum);
        int vectorEnd = parameters.Length - parameters.Length % Lanes;
        switch (_settings.Kind)
        {
            case OptimizerKind.Sgd:
                for (int i = 0; i < vectorEnd; i += Lanes)
                {
                    Vector<float> wi = Vector.LoadUnsafe(ref w, (nuint)i);
                    Vector<float> gi = Vector.LoadUnsafe(ref g, (nuint)i) * gradientScale + l2 * wi;
                    (wi - lr * gi).StoreUnsafe(ref w, (nuint)i);
                }
                for (int i = vectorEnd; i < parameters.Length; i++)
                    parameters[i] -= lr * (gradientSum[i] * gradientScale + l2 * parameters[i]);
                break;

            case OptimizerKind.Momentum:
                float mu = _settings.Momentum;
                ref float v = ref MemoryMarshal.GetArrayDataReference(_first);
                for (int i = 0; i < vectorEnd; i += Lanes)
                {
                    Vector<float> wi = Vector.LoadUnsafe(ref w, (nuint)i);
                    Vector<float> gi = Vector.LoadUnsafe(ref g, (nuint)i) * gradientScale + l2 * wi;
                    Vector<float> vi = mu * Vector.LoadUnsafe(ref v, (nuint)i) + gi;
                    vi.StoreUnsafe(ref v, (nuint)i);
                    (wi - lr * vi).StoreUnsafe(ref w, (nuint)i);
                }
                for (int i = vectorEnd; i < parameters.Length; i++)
                {
                    _first[i] = mu * _first[i] + gradientSum[i] * gradientScale + l2 * parameters[i];
                    parameters[i] -= lr * _first[i];
                }
                break;

            case OptimizerKind.Adam:
                float b1 = _settings.Beta1, b2 = _settings.Beta2, eps = _settings.Epsilon;
                // Bias corrections folded into the step size: η·√(1−β2ᵗ)/(1−β1ᵗ), in double for large t.
                float stepSize = (float)(lr * Math.Sqrt(1 - Math.Pow(b2, _steps)) / (1 - Math.Pow(b1, _steps)));
                float epsHat = (float)(eps * Math.Sqrt(1 - Math.Pow(b2, _steps)));
                ref float m = ref MemoryMarshal.GetArrayDataReference(_first);
                ref float s = ref MemoryMarshal.GetArrayDataReference(_second);
                for (int i = 0; i < vectorEnd; i += Lanes)
                {
                    Vector<float> wi = Vector.LoadUnsafe(ref w, (nuint)i);
                    Vector<float> gi = Vector.LoadUnsafe(ref g, (nuint)i) * gradientScale + l2 * wi;
                    Vector<float> mi = b1 * Vector.LoadUnsafe(ref m, (nuint)i) + (1f - b1) * gi;
                    Vector<float> si = b2 * Vector.LoadUnsafe(ref s, (nuint)i) + (1f - b2) * gi * gi;
                    mi.StoreUnsafe(ref m, (nuint)i);
                    si.StoreUnsafe(ref s, (nuint)i);
                    (wi - stepSize * mi / (Vector.SquareRoot(si) + new Vector<float>(epsHat))).StoreUnsafe(ref w, (nuint)i);
                }
                for (int i = vectorEnd; i < parameters.Length; i++)
                {
                    float gi = gradientSum[i] * gradientScale + l2 * parameters[i];
                    _first[i] = b1 * _first[i] + (1f - b1) * gi;
                    _second[i] = b2 * _second[i] + (1f - b2) * gi * gi;
                    parameters[i] -= stepSize * _first[i] / (MathF.Sqrt(_second[i]) + epsHat);
                }
                break;
        }
    }
}
