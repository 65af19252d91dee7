using System;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using HiddenSpace.Kernels;

namespace HiddenSpace.Benchmarks;

/// <summary>
/// Where the generated seed network's SGD step spends its time: the step's stages one by one, and the
/// runtime kernels the generated code calls per layer, at the widths the seed network uses (16, 2, 1).
/// An experiment for RESULTS.md, not a comparison: there is no baseline column.
/// </summary>
[MemoryDiagnoser]
public class SeedStepBreakdownBenchmarks
{
    private readonly float[] _z16 = new float[16], _a16 = new float[16], _d16 = new float[16];
    private readonly float[] _z2 = new float[2], _a2 = new float[2], _d2 = new float[2];
    private readonly float[] _z1 = new float[1], _a1 = new float[1], _d1 = new float[1], _t1 = new float[1];
    private NetworkCase _case = null!;
    private Optimizer _sgd = null!;
    private float[] _output = null!;
    private int _row;

    /// <summary>Builds the seed case and fills the kernel inputs with typical values.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _case = NetworkCase.Create("Seed");
        _sgd = Optimizer.Create(new OptimizerSettings(OptimizerKind.Sgd, NetworkCase.LearningRate), _case.Shape.ParameterCount);
        _output = new float[1];
        var random = new SeededRandom(1);
        foreach (float[] values in new[] { _z16, _d16, _z2, _d2, _z1, _d1 })
            for (int i = 0; i < values.Length; i++) values[i] = (float)random.NextDouble(-2, 2);
        _t1[0] = 1f;
        _a1[0] = 0.3f;
    }

    private int NextRow() => _row = (_row + 1) & (NetworkCase.SampleCount - 1);

    /// <summary>The whole step, as in TrainStepBenchmarks.Generated.</summary>
    [Benchmark]
    public float WholeStep()
    {
        int row = NextRow();
        INetwork network = _case.Generated;
        network.Gradients.Clear();
        float loss = network.AccumulateGradients(_case.Input(row), _case.Target(row));
        _sgd.Step(network.Parameters, network.Gradients, 1f);
        return loss;
    }

    /// <summary>Forward pass only.</summary>
    [Benchmark]
    public float ForwardOnly()
    {
        _case.Generated.Forward(_case.Input(NextRow()), _output);
        return _output[0];
    }

    /// <summary>Forward + loss + backward, without clearing or updating.</summary>
    [Benchmark]
    public float AccumulateOnly()
    {
        int row = NextRow();
        return _case.Generated.AccumulateGradients(_case.Input(row), _case.Target(row));
    }

    /// <summary>Zeroing the 357 gradients and the SGD update, without the network.</summary>
    [Benchmark]
    public float ClearAndSgdStep()
    {
        INetwork network = _case.Generated;
        network.Gradients.Clear();
        _sgd.Step(network.Parameters, network.Gradients, 1f);
        return network.Parameters[0];
    }

    /// <summary>ActivationKernels.Tanh on 16 values: one full vector.</summary>
    [Benchmark]
    public float Tanh16()
    {
        ActivationKernels.Tanh(_z16, _a16);
        return _a16[0];
    }

    /// <summary>ActivationKernels.Tanh on 2 values: the padded-tail path only.</summary>
    [Benchmark]
    public float Tanh2()
    {
        ActivationKernels.Tanh(_z2, _a2);
        return _a2[0];
    }

    /// <summary>ActivationKernels.Sigmoid on 1 value (Vector512.Exp on a padded vector).</summary>
    [Benchmark]
    public float Sigmoid1()
    {
        ActivationKernels.Sigmoid(_z1, _a1);
        return _a1[0];
    }

    /// <summary>ActivationKernels.TanhBackward on 16 values.</summary>
    [Benchmark]
    public float TanhBackward16()
    {
        _d16.AsSpan().Fill(0.5f);
        ActivationKernels.TanhBackward(_a16, _d16);
        return _d16[0];
    }

    /// <summary>ActivationKernels.TanhBackward on 2 values (padded tail).</summary>
    [Benchmark]
    public float TanhBackward2()
    {
        _d2.AsSpan().Fill(0.5f);
        ActivationKernels.TanhBackward(_a2, _d2);
        return _d2[0];
    }

    /// <summary>LossKernels.BinaryCrossEntropy on the single output (MathF.Log, MathF.Exp).</summary>
    [Benchmark]
    public float BinaryCrossEntropy1() => LossKernels.BinaryCrossEntropy(_z1, _a1, _t1, _d1);

    /// <summary>
    /// The same rational tanh as ActivationKernels.Tanh, written with two <see cref="Vector256{T}"/> halves:
    /// what the kernel costs on a machine without AVX-512, where Vector512 runs in software.
    /// </summary>
    [Benchmark]
    public float Tanh16Vector256()
    {
        TanhVector256(Vector256.Create(_z16.AsSpan(0, 8))).CopyTo(_a16.AsSpan(0, 8));
        TanhVector256(Vector256.Create(_z16.AsSpan(8, 8))).CopyTo(_a16.AsSpan(8, 8));
        return _a16[0];
    }

    private static Vector256<float> TanhVector256(Vector256<float> x)
    {
        Vector256<float> c = Vector256.Create(7.90531110763549805f);
        x = Vector256.Min(Vector256.Max(x, -c), c);
        Vector256<float> x2 = x * x;
        Vector256<float> p = Vector256.FusedMultiplyAdd(x2, Vector256.Create(-2.76076847742355e-16f), Vector256.Create(2.00018790482477e-13f));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(-8.60467152213735e-11f));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(5.12229709037114e-08f));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(1.48572235717979e-05f));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(6.37261928875436e-04f));
        p = Vector256.FusedMultiplyAdd(x2, p, Vector256.Create(4.89352455891786e-03f));
        p *= x;
        Vector256<float> q = Vector256.FusedMultiplyAdd(x2, Vector256.Create(1.19825839466702e-06f), Vector256.Create(1.18534705686654e-04f));
        q = Vector256.FusedMultiplyAdd(x2, q, Vector256.Create(2.26843463243900e-03f));
        q = Vector256.FusedMultiplyAdd(x2, q, Vector256.Create(4.89352518554385e-03f));
        return p / q;
    }

    /// <summary>Scalar MathF.Tanh on 16 values, what the baselines pay per 16-unit layer.</summary>
    [Benchmark]
    public float MathFTanh16()
    {
        for (int i = 0; i < _z16.Length; i++) _a16[i] = MathF.Tanh(_z16[i]);
        return _a16[0];
    }
}
