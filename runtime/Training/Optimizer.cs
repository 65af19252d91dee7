using System;
using System.Runtime.InteropServices;
using System.Numerics;
using HiddenSpace.Kernels;

namespace HiddenSpace;

/// <summary>
/// Applies one update to a flat parameter vector from a gradient sum. Its state (velocities, moments) is
/// allocated once, in <see cref="Create"/>; <see cref="Step(Span{float}, ReadOnlySpan{float}, float, float)"/> allocates nothing. Vectorised at the
/// width of <see cref="Vector{T}"/> (8 floats with AVX2, 4 on ARM64), the tail one element at a time.
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
    /// One update with g = <paramref name="gradientScale"/>·<paramref name="gradientSum"/> + L2·w + L1·sign(w)
    /// (pass 1/batch size as the scale to use the mean gradient), at the settings' learning rate.
    /// </summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradientSum, float gradientScale) =>
        Step(parameters, gradientSum, gradientScale, _settings.LearningRate);

    /// <summary>One update as <see cref="Step(Span{float}, ReadOnlySpan{float}, float)"/> at learning rate <paramref name="learningRate"/> (a schedule's value for this step).</summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradientSum, float gradientScale, float learningRate) =>
        Update<Discarding>(parameters, gradientSum, gradientScale, learningRate, []);

    /// <summary>
    /// One update as <see cref="Step(Span{float}, ReadOnlySpan{float}, float, float)"/> that also writes each parameter's
    /// value from before the update into <paramref name="previous"/> and returns whether every updated parameter is
    /// finite, both in the update's own pass over the parameters: a trainer restores <paramref name="previous"/> when a
    /// step diverged without copying and checking the parameters at every step.
    /// </summary>
    public bool Step(Span<float> parameters, ReadOnlySpan<float> gradientSum, float gradientScale, float learningRate, Span<float> previous)
    {
        NetworkArguments.CheckLength(previous.Length, ParameterCount, nameof(previous));
        return Update<Keeping>(parameters, gradientSum, gradientScale, learningRate, previous);
    }

    /// <summary>Whether an update keeps the previous parameters and checks the new ones (a constant to the JIT in each instantiation).</summary>
    private interface IKeepMode
    {
        static abstract bool Keeps { get; }
    }

    private readonly struct Keeping : IKeepMode
    {
        public static bool Keeps => true;
    }

    private readonly struct Discarding : IKeepMode
    {
        public static bool Keeps => false;
    }

    private bool Update<TMode>(Span<float> parameters, ReadOnlySpan<float> gradientSum, float gradientScale, float learningRate, Span<float> previous)
        where TMode : struct, IKeepMode
    {
        NetworkArguments.CheckLength(parameters.Length, ParameterCount, nameof(parameters));
        NetworkArguments.CheckLength(gradientSum.Length, ParameterCount, nameof(gradientSum));
        if (!(learningRate > 0f) || !float.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and greater than 0.");
        _steps++;
        float lr = learningRate, l2 = _settings.L2, l1 = _settings.L1;
        ref float w = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradientSum);
        ref float kept = ref MemoryMarshal.GetReference(previous);
        bool keep = TMode.Keeps;
        // x − x is 0 for every finite x and NaN for NaN and ±∞ (as in Finite.All): one vector of them tested at the end.
        Vector<float> finite = Vector<float>.Zero;
        int vectorEnd = parameters.Length - parameters.Length % Lanes;
        switch (_settings.Kind)
        {
            case OptimizerKind.Sgd:
                for (int i = 0; i < vectorEnd; i += Lanes)
                {
                    Vector<float> wi = Vector.LoadUnsafe(ref w, (nuint)i);
                    if (keep) wi.StoreUnsafe(ref kept, (nuint)i);
                    Vector<float> gi = Penalized(Vector.LoadUnsafe(ref g, (nuint)i) * gradientScale, wi, l2, l1);
                    Vector<float> updated = wi - lr * gi;
                    if (keep) finite += updated - updated;
                    updated.StoreUnsafe(ref w, (nuint)i);
                }
                for (int i = vectorEnd; i < parameters.Length; i++)
                {
                    if (keep) previous[i] = parameters[i];
                    parameters[i] -= lr * Penalized(gradientSum[i] * gradientScale, parameters[i], l2, l1);
                }
                break;

            case OptimizerKind.Momentum:
                float mu = _settings.Momentum;
                ref float v = ref MemoryMarshal.GetArrayDataReference(_first);
                for (int i = 0; i < vectorEnd; i += Lanes)
                {
                    Vector<float> wi = Vector.LoadUnsafe(ref w, (nuint)i);
                    if (keep) wi.StoreUnsafe(ref kept, (nuint)i);
                    Vector<float> gi = Penalized(Vector.LoadUnsafe(ref g, (nuint)i) * gradientScale, wi, l2, l1);
                    Vector<float> vi = mu * Vector.LoadUnsafe(ref v, (nuint)i) + gi;
                    vi.StoreUnsafe(ref v, (nuint)i);
                    Vector<float> updated = wi - lr * vi;
                    if (keep) finite += updated - updated;
                    updated.StoreUnsafe(ref w, (nuint)i);
                }
                for (int i = vectorEnd; i < parameters.Length; i++)
                {
                    if (keep) previous[i] = parameters[i];
                    _first[i] = mu * _first[i] + Penalized(gradientSum[i] * gradientScale, parameters[i], l2, l1);
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
                    if (keep) wi.StoreUnsafe(ref kept, (nuint)i);
                    Vector<float> gi = Penalized(Vector.LoadUnsafe(ref g, (nuint)i) * gradientScale, wi, l2, l1);
                    Vector<float> mi = b1 * Vector.LoadUnsafe(ref m, (nuint)i) + (1f - b1) * gi;
                    Vector<float> si = b2 * Vector.LoadUnsafe(ref s, (nuint)i) + (1f - b2) * gi * gi;
                    mi.StoreUnsafe(ref m, (nuint)i);
                    si.StoreUnsafe(ref s, (nuint)i);
                    Vector<float> updated = wi - stepSize * mi / (Vector.SquareRoot(si) + new Vector<float>(epsHat));
                    if (keep) finite += updated - updated;
                    updated.StoreUnsafe(ref w, (nuint)i);
                }
                for (int i = vectorEnd; i < parameters.Length; i++)
                {
                    if (keep) previous[i] = parameters[i];
                    float gi = Penalized(gradientSum[i] * gradientScale, parameters[i], l2, l1);
                    _first[i] = b1 * _first[i] + (1f - b1) * gi;
                    _second[i] = b2 * _second[i] + (1f - b2) * gi * gi;
                    parameters[i] -= stepSize * _first[i] / (MathF.Sqrt(_second[i]) + epsHat);
                }
                break;
        }
        return !keep || (Vector.EqualsAll(finite, Vector<float>.Zero) && Finite.All(parameters[vectorEnd..]));
    }

    /// <summary>g + L2·w + L1·sign(w), lane by lane; the L1 term is skipped when L1 is 0, so those runs keep their bits.</summary>
    private static Vector<float> Penalized(Vector<float> g, Vector<float> w, float l2, float l1)
    {
        Vector<float> penalized = g + l2 * w;
        if (l1 == 0f) return penalized;
        Vector<float> sign = Vector.ConditionalSelect(Vector.GreaterThan(w, Vector<float>.Zero), Vector<float>.One, Vector<float>.Zero)
            - Vector.ConditionalSelect(Vector.LessThan(w, Vector<float>.Zero), Vector<float>.One, Vector<float>.Zero);
        return penalized + l1 * sign;
    }

    /// <summary>g + L2·w + L1·sign(w) for one parameter.</summary>
    private static float Penalized(float g, float w, float l2, float l1)
    {
        float penalized = g + l2 * w;
        if (l1 == 0f) return penalized;
        return penalized + l1 * (w > 0f ? 1f : w < 0f ? -1f : 0f);
    }
}
