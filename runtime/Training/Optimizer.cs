using System;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using HiddenSpace.Kernels;

namespace HiddenSpace;

/// <summary>
/// Applies one update to a flat parameter vector from a gradient sum. Its state (velocities, moments) is
/// allocated once, in <see cref="Create"/>; <see cref="Step(Span{float}, ReadOnlySpan{float}, float, float)"/> allocates nothing. Vectorised at the
/// machine's widest accelerated vector (16 floats with AVX-512, 8 with AVX2, 4 on ARM64), the tail as one vector under a
/// mask with AVX-512 or AVX, one element at a time without masks.
/// </summary>
public sealed class Optimizer
{
    private readonly OptimizerSettings _settings;
    private readonly float[] _first;  // momentum velocity or Adam's first moment, [parameters]
    private readonly float[] _second; // Adam's second moment, [parameters]
    private BiasPower _firstPower, _secondPower; // β1ᵗ and β2ᵗ
    // No subnormal in Adam's second moment (see SmallestNormal): a gradient whose (1 − β2)·g² would be one counts as
    // 0 there, and a moment that β2 would take below the smallest normal float is stored as 0.
    private readonly float _gradientFloor, _momentFloor;
    private long _steps;

    private Optimizer(OptimizerSettings settings, int parameterCount)
    {
        _settings = settings;
        _first = settings.Kind == OptimizerKind.Sgd ? [] : new float[parameterCount];
        _second = settings.Kind == OptimizerKind.Adam ? new float[parameterCount] : [];
        (_firstPower, _secondPower) = (new BiasPower(settings.Beta1), new BiasPower(settings.Beta2));
        _gradientFloor = (float)Math.Sqrt(SmallestNormal / (1.0 - settings.Beta2));
        _momentFloor = (float)(SmallestNormal / Math.Max(settings.Beta2, 1e-3));
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
    /// value from before the update into <paramref name="previous"/> (in the update's own pass over the parameters) and
    /// returns whether every updated parameter is finite: a trainer restores <paramref name="previous"/> when a step
    /// diverged without copying the parameters at every step.
    /// </summary>
    // The check is a pass of its own: summed into one vector in the update's pass (x − x, NaN for NaN and ±∞), keeping
    // cost the seed network's step 37–42 ns over a plain one; with the separate pass 13–18 ns (probe, Zen 5).
    public bool Step(Span<float> parameters, ReadOnlySpan<float> gradientSum, float gradientScale, float learningRate, Span<float> previous)
    {
        NetworkArguments.CheckLength(previous.Length, ParameterCount, nameof(previous));
        Update<Keeping>(parameters, gradientSum, gradientScale, learningRate, previous);
        return Finite.All(parameters);
    }

    /// <summary>Whether an update keeps the previous parameters (a constant to the JIT in each instantiation).</summary>
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

    /// <summary>
    /// The smallest normal float, 2⁻¹²⁶. A network that separates its data keeps growing its logits, its gradients
    /// vanish (the seed network after 20,000 epochs: 300 of its 357 gradients under 10⁻¹⁹) and Adam's g² and β2·v
    /// come out subnormal, which this machine computes on a slow path: the update took three times as long and the
    /// epoch ~8 % longer (Zen 5, probe). Adam's second moment therefore never holds or produces one: such terms count
    /// as 0, for two compares and selects a vector (the update of the seed net's 357 parameters ~20 ns slower while no
    /// gradient is small, ~4 % faster epochs once they vanish). What that drops from v is below 2⁻¹²⁶/β2: at the
    /// defaults (ε = 10⁻⁸, β2 = 0.999) √v moves by less than 1.1·10⁻¹⁹, against ε̂ = ε·√(1 − β2ᵗ) ≥ 3·10⁻¹⁰ whose float
    /// spacing is ≥ 1.8·10⁻¹⁷: an update changes only where √v + ε̂ falls on a rounding boundary, and not at all while
    /// v stays that small (√v + ε̂ rounds to ε̂ either way).
    /// </summary>
    private const double SmallestNormal = 1.1754943508222875e-38;

    private void Update<TMode>(Span<float> parameters, ReadOnlySpan<float> gradientSum, float gradientScale, float learningRate, Span<float> previous)
        where TMode : struct, IKeepMode
    {
        NetworkArguments.CheckLength(parameters.Length, ParameterCount, nameof(parameters));
        NetworkArguments.CheckLength(gradientSum.Length, ParameterCount, nameof(gradientSum));
        Rule rule = Begin(gradientScale, learningRate);
        UpdateRange<TMode>(parameters, gradientSum, previous, 0, in rule);
    }

    /// <summary>
    /// Counts one step and fixes its constants, for an update that <see cref="StepRange"/> then applies range by range
    /// (the trainer's workers each take one range of a large network's parameters).
    /// </summary>
    internal Rule Begin(float gradientScale, float learningRate)
    {
        if (!(learningRate > 0f) || !float.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and greater than 0.");
        _steps++;
        return new Rule(_settings, gradientScale, learningRate, _steps, ref _firstPower, ref _secondPower);
    }

    /// <summary>
    /// The keeping update of the parameters from <paramref name="offset"/> on (<paramref name="parameters"/>,
    /// <paramref name="gradientSum"/> and <paramref name="previous"/> are that range of the whole vectors) under a
    /// <paramref name="rule"/> from <see cref="Begin"/>; whether the range's parameters are all finite. Disjoint ranges may
    /// run on different threads. Every parameter gets the operations a whole step gives it, in the same order (the vector
    /// and the scalar forms agree bit for bit), so a step in ranges has the bits of a whole one.
    /// </summary>
    internal bool StepRange(in Rule rule, Span<float> parameters, ReadOnlySpan<float> gradientSum, Span<float> previous, int offset)
    {
        if ((uint)offset > (uint)ParameterCount || parameters.Length > ParameterCount - offset || gradientSum.Length != parameters.Length || previous.Length != parameters.Length)
            throw new ArgumentException($"A range of {parameters.Length} parameters from {offset} with {gradientSum.Length} gradients and {previous.Length} kept values does not fit the optimizer's {ParameterCount} parameters.");
        UpdateRange<Keeping>(parameters, gradientSum, previous, offset, in rule);
        return Finite.All(parameters);
    }

    private void UpdateRange<TMode>(Span<float> parameters, ReadOnlySpan<float> gradientSum, Span<float> previous, int offset, in Rule rule)
        where TMode : struct, IKeepMode
    {
        int vectorEnd =
            Vector512.IsHardwareAccelerated ? UpdateVectors<TMode, Vector512<float>, Lane512>(parameters, gradientSum, previous, offset, in rule)
            : Vector256.IsHardwareAccelerated ? UpdateVectors<TMode, Vector256<float>, Lane256>(parameters, gradientSum, previous, offset, in rule)
            : Vector128.IsHardwareAccelerated ? UpdateVectors<TMode, Vector128<float>, Lane128>(parameters, gradientSum, previous, offset, in rule)
            : 0;
        bool keep = TMode.Keeps;
        Span<float> first = _first.AsSpan(_first.Length == 0 ? 0 : offset), second = _second.AsSpan(_second.Length == 0 ? 0 : offset);
        for (int i = vectorEnd; i < parameters.Length; i++)
        {
            if (keep) previous[i] = parameters[i];
            float gi = Penalized(gradientSum[i] * rule.Scale, parameters[i], rule.L2, rule.L1);
            switch (rule.Kind)
            {
                case OptimizerKind.Sgd:
                    parameters[i] -= rule.Rate * gi;
                    break;
                case OptimizerKind.Momentum:
                    first[i] = rule.Mu * first[i] + gi;
                    parameters[i] -= rule.Rate * first[i];
                    break;
                case OptimizerKind.Adam:
                    first[i] = rule.Beta1 * first[i] + (1f - rule.Beta1) * gi;
                    float magnitude = MathF.Abs(gi), gq = magnitude >= _gradientFloor ? magnitude : 0f;
                    float si = rule.Beta2 * second[i] + (1f - rule.Beta2) * gq * gq;
                    second[i] = si >= _momentFloor ? si : 0f;
                    parameters[i] -= rule.StepSize * first[i] / (MathF.Sqrt(second[i]) + rule.EpsilonHat);
                    break;
            }
        }
    }

    /// <summary>
    /// βᵗ for Adam's bias correction 1 − βᵗ, as a running product in double: step t multiplies step t − 1's power by β
    /// (one multiply; two Math.Pow calls took 22–29 ns a step, a tenth of the seed network's whole step), and a step that
    /// does not follow the last one asked (the first after a checkpoint's step count is restored) multiplies up from
    /// β⁰ = 1, so the power of step t has the same bits however the run got there: a resumed run steps as an
    /// uninterrupted one. From the step on where βᵗ ≤ 2⁻⁶⁰ it is 0: 1 − βᵗ is then 1 in double either way (1 − x
    /// rounds to 1 for every x ≤ 2⁻⁵⁴), and the product stops (β = 0.999: step 41,568; a product of t roundings is
    /// within t·2⁻⁵³ of βᵗ, under 5·10⁻¹² there).
    /// </summary>
    internal struct BiasPower(float beta)
    {
        private readonly double _negligibleFrom = 60 * Math.Log(2) / -Math.Log(beta); // +0 for β = 0: 0ᵗ is 0 for t ≥ 1
        private double _power = 1;
        private long _step;

        public double At(long step)
        {
            if (step >= _negligibleFrom) return 0;
            if (step != _step + 1) (_power, _step) = (1, 0);
            for (; _step < step; _step++) _power *= beta;
            return _power;
        }
    }

    /// <summary>One step's constants, the same for every parameter.</summary>
    internal readonly struct Rule
    {
        public Rule(OptimizerSettings settings, float scale, float rate, long steps, ref BiasPower first, ref BiasPower second)
        {
            (Kind, Scale, Rate, L2, L1, Mu, Beta1, Beta2) =
                (settings.Kind, scale, rate, settings.L2, settings.L1, settings.Momentum, settings.Beta1, settings.Beta2);
            if (Kind != OptimizerKind.Adam) return; // the powers below cost more than a small network's whole update
            // Adam's bias corrections folded into the step size: η·√(1−β2ᵗ)/(1−β1ᵗ), in double for large t.
            double secondCorrection = Math.Sqrt(1 - second.At(steps));
            StepSize = (float)(rate * secondCorrection / (1 - first.At(steps)));
            EpsilonHat = (float)(settings.Epsilon * secondCorrection);
        }

        public OptimizerKind Kind { get; }
        public float Scale { get; }
        public float Rate { get; }
        public float L2 { get; }
        public float L1 { get; }
        public float Mu { get; }
        public float Beta1 { get; }
        public float Beta2 { get; }
        public float StepSize { get; }
        public float EpsilonHat { get; }
    }

    /// <summary>
    /// The update of every whole vector of parameters at the machine's widest vector (16 floats with AVX-512: the
    /// update is bound by its square roots and divisions, which wider vectors halve), and of the last few under a mask
    /// where the machine has masked loads and stores (AVX-512, AVX); the same operations lane by lane as the scalar
    /// tail, so the bits do not depend on the width. Returns where the scalar tail starts.
    /// </summary>
    // The masked tail: the seed network's 357 parameters end in 5 that do not fill a vector of 16 (AVX-512) or 8 (AVX2),
    // which one by one cost ~6 ns each, a quarter of the step (keeping step, probe: 357 parameters 125-133 ns, 352 or
    // 368 94-116 ns, Zen 5).
    // Not [AggressiveOptimization]: with it, a per-sample step of the seed network (accumulate, then this update) took
    // ~100 ns longer than its two parts timed apart (probe, AVX-512 and AVX2 widths alike); tiered, it takes their sum.
    private unsafe int UpdateVectors<TMode, TVector, TMath>(Span<float> parameters, ReadOnlySpan<float> gradientSum,
        Span<float> previous, int offset, in Rule rule)
        where TMode : struct, IKeepMode where TVector : struct where TMath : ILaneMath<TVector>
    {
        // The penalty's factors in registers, not read from the rule on every vector (it is a reference the stores
        // below could alias, so the JIT would not hoist them).
        var penalty = new Penalty<TVector, TMath>(rule.L2, rule.L1);
        // Pinned: the masked loads and stores take addresses.
        fixed (float* w = parameters, kept = previous, first = _first.AsSpan(_first.Length == 0 ? 0 : offset), second = _second.AsSpan(_second.Length == 0 ? 0 : offset))
        fixed (float* g = gradientSum)
        {
            var at = new Buffers(w, g, kept, first, second);
            return rule.Kind switch
            {
                OptimizerKind.Sgd => UpdateVectors<TMode, TVector, TMath, SgdRule<TVector, TMath>>(new(rule, penalty), at, parameters.Length),
                OptimizerKind.Momentum => UpdateVectors<TMode, TVector, TMath, MomentumRule<TVector, TMath>>(new(rule, penalty), at, parameters.Length),
                _ => UpdateVectors<TMode, TVector, TMath, AdamRule<TVector, TMath>>(new(rule, penalty, _gradientFloor, _momentFloor), at, parameters.Length),
            };
        }
    }

    /// <summary>
    /// <paramref name="update"/> on every whole vector of the <paramref name="length"/> parameters at
    /// <paramref name="at"/>, then on the rest under a mask where the machine has one; where the scalar tail starts.
    /// </summary>
    private static unsafe int UpdateVectors<TMode, TVector, TMath, TRule>(TRule update, Buffers at, int length)
        where TMode : struct, IKeepMode where TVector : struct where TMath : ILaneMath<TVector> where TRule : struct, IVectorRule<TVector>
    {
        int lanes = TMath.Count, vectorEnd = length - length % lanes;
        for (int i = 0; i < vectorEnd; i += lanes)
            update.Apply<TMode, WholeVector<TVector>>(at, i, default);
        if (vectorEnd == length || !VectorMemory.HasMasks<TVector>()) return vectorEnd;
        update.Apply<TMode, MaskedVector<TVector>>(at, vectorEnd, new(VectorMemory.FirstLanes<TVector>(length - vectorEnd)));
        return length;
    }

    /// <summary>The addresses of the update's buffers: parameters, gradient sums, kept parameters and the two moments (each null where the update has none).</summary>
    private readonly unsafe struct Buffers(float* w, float* g, float* kept, float* first, float* second)
    {
        public float* W { get; } = w;
        public float* G { get; } = g;
        public float* Kept { get; } = kept;
        public float* First { get; } = first;
        public float* Second { get; } = second;
    }

    /// <summary>How an update reads and writes one vector: all of its lanes, or the lanes of a mask.</summary>
    private unsafe interface IVectorAccess<TVector> where TVector : struct
    {
        TVector Load(float* source);
        void Store(float* destination, TVector value);
    }

    private readonly unsafe struct WholeVector<TVector> : IVectorAccess<TVector> where TVector : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Load(float* source) => Unsafe.Read<TVector>(source);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(float* destination, TVector value) => Unsafe.Write(destination, value);
    }

    private readonly unsafe struct MaskedVector<TVector>(TVector mask) : IVectorAccess<TVector> where TVector : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Load(float* source) => VectorMemory.MaskedLoad(source, mask);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(float* destination, TVector value) => VectorMemory.MaskedStore(destination, mask, value);
    }

    /// <summary>One optimizer's update of the vector of parameters from index i, its constants in registers.</summary>
    private interface IVectorRule<TVector> where TVector : struct
    {
        void Apply<TMode, TAccess>(Buffers at, int i, TAccess access) where TMode : struct, IKeepMode where TAccess : struct, IVectorAccess<TVector>;
    }

    private readonly unsafe struct SgdRule<TVector, TMath>(Rule rule, Penalty<TVector, TMath> penalty) : IVectorRule<TVector>
        where TVector : struct where TMath : ILaneMath<TVector>
    {
        private readonly TVector _scale = TMath.Create(rule.Scale), _rate = TMath.Create(rule.Rate);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TMode, TAccess>(Buffers at, int i, TAccess access) where TMode : struct, IKeepMode where TAccess : struct, IVectorAccess<TVector>
        {
            TVector wi = access.Load(at.W + i);
            if (TMode.Keeps) access.Store(at.Kept + i, wi);
            TVector gi = penalty.Apply(TMath.Multiply(access.Load(at.G + i), _scale), wi);
            access.Store(at.W + i, TMath.Subtract(wi, TMath.Multiply(_rate, gi)));
        }
    }

    private readonly unsafe struct MomentumRule<TVector, TMath>(Rule rule, Penalty<TVector, TMath> penalty) : IVectorRule<TVector>
        where TVector : struct where TMath : ILaneMath<TVector>
    {
        private readonly TVector _scale = TMath.Create(rule.Scale), _rate = TMath.Create(rule.Rate), _mu = TMath.Create(rule.Mu);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TMode, TAccess>(Buffers at, int i, TAccess access) where TMode : struct, IKeepMode where TAccess : struct, IVectorAccess<TVector>
        {
            TVector wi = access.Load(at.W + i);
            if (TMode.Keeps) access.Store(at.Kept + i, wi);
            TVector gi = penalty.Apply(TMath.Multiply(access.Load(at.G + i), _scale), wi);
            TVector vi = TMath.Add(TMath.Multiply(_mu, access.Load(at.First + i)), gi);
            access.Store(at.First + i, vi);
            access.Store(at.W + i, TMath.Subtract(wi, TMath.Multiply(_rate, vi)));
        }
    }

    private readonly unsafe struct AdamRule<TVector, TMath>(Rule rule, Penalty<TVector, TMath> penalty, float gradientFloor, float momentFloor) : IVectorRule<TVector>
        where TVector : struct where TMath : ILaneMath<TVector>
    {
        private readonly TVector _scale = TMath.Create(rule.Scale), _b1 = TMath.Create(rule.Beta1), _b2 = TMath.Create(rule.Beta2);
        private readonly TVector _c1 = TMath.Create(1f - rule.Beta1), _c2 = TMath.Create(1f - rule.Beta2);
        private readonly TVector _stepSize = TMath.Create(rule.StepSize), _epsHat = TMath.Create(rule.EpsilonHat);
        private readonly TVector _gradientFloor = TMath.Create(gradientFloor), _momentFloor = TMath.Create(momentFloor);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TMode, TAccess>(Buffers at, int i, TAccess access) where TMode : struct, IKeepMode where TAccess : struct, IVectorAccess<TVector>
        {
            TVector wi = access.Load(at.W + i);
            if (TMode.Keeps) access.Store(at.Kept + i, wi);
            TVector gi = penalty.Apply(TMath.Multiply(access.Load(at.G + i), _scale), wi);
            TVector mi = TMath.Add(TMath.Multiply(_b1, access.Load(at.First + i)), TMath.Multiply(_c1, gi));
            TVector gq = TMath.ZeroBelow(TMath.Abs(gi), _gradientFloor);
            TVector si = TMath.ZeroBelow(TMath.Add(TMath.Multiply(_b2, access.Load(at.Second + i)), TMath.Multiply(TMath.Multiply(_c2, gq), gq)), _momentFloor);
            access.Store(at.First + i, mi);
            access.Store(at.Second + i, si);
            access.Store(at.W + i, TMath.Subtract(wi, TMath.Divide(TMath.Multiply(_stepSize, mi), TMath.Add(TMath.Sqrt(si), _epsHat))));
        }
    }

    /// <summary>g + L2·w + L1·sign(w), lane by lane; the L1 term is skipped when L1 is 0, so those runs keep their bits.</summary>
    private readonly struct Penalty<TVector, TMath>(float l2, float l1) where TVector : struct where TMath : ILaneMath<TVector>
    {
        private readonly TVector _l2 = TMath.Create(l2), _l1 = TMath.Create(l1);
        private readonly bool _hasL1 = l1 != 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVector Apply(TVector g, TVector w)
        {
            TVector penalized = TMath.Add(g, TMath.Multiply(_l2, w));
            if (!_hasL1) return penalized;
            TVector one = TMath.Create(1f), zero = default;
            TVector sign = TMath.Subtract(TMath.SelectPositive(w, one, zero), TMath.SelectPositive(TMath.Subtract(zero, w), one, zero));
            return TMath.Add(penalized, TMath.Multiply(_l1, sign));
        }
    }

    /// <summary>g + L2·w + L1·sign(w) for one parameter.</summary>
    private static float Penalized(float g, float w, float l2, float l1)
    {
        float penalized = g + l2 * w;
        if (l1 == 0f) return penalized;
        return penalized + l1 * (w > 0f ? 1f : w < 0f ? -1f : 0f);
    }
}
