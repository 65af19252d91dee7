using BenchmarkDotNet.Attributes;

namespace HiddenSpace.Benchmarks;

/// <summary>
/// (b) One per-sample SGD step (η = 0.01): zero the gradients, forward + backward for one sample, update.
/// Every implementation does the same three stages; the generated and reference networks and the flat
/// baselines update with the runtime's vectorised Optimizer, the naive baseline with its own scalar loop.
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class TrainStepBenchmarks
{
    private NetworkCase _case = null!;
    private Optimizer _generatedSgd = null!;
    private Optimizer _referenceSgd = null!;
    private int _row;

    /// <summary>Seed 2-16-16-2-1, Mid 8-64-64-2-4, Large 784-128-64-10.</summary>
    [Params("Seed", "Mid", "Large")]
    public string Network { get; set; } = "Seed";

    /// <summary>Builds the networks, data and optimizers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _case = NetworkCase.Create(Network);
        var sgd = new OptimizerSettings(OptimizerKind.Sgd, NetworkCase.LearningRate);
        _generatedSgd = Optimizer.Create(sgd, _case.Shape.ParameterCount);
        _referenceSgd = Optimizer.Create(sgd, _case.Shape.ParameterCount);
    }

    private int NextRow() => _row = (_row + 1) & (NetworkCase.SampleCount - 1);

    /// <summary>Jagged arrays, nested loops.</summary>
    [Benchmark(Baseline = true)]
    public float Naive()
    {
        int row = NextRow();
        _case.Naive.ClearGradients();
        float loss = _case.Naive.AccumulateGradients(_case.Input(row), _case.Target(row));
        _case.Naive.SgdStep(1f);
        return loss;
    }

    /// <summary>Flat array, span loops.</summary>
    [Benchmark]
    public float Span()
    {
        int row = NextRow();
        _case.Span.ClearGradients();
        float loss = _case.Span.AccumulateGradients(_case.Input(row), _case.Target(row));
        _case.Span.SgdStep(1f);
        return loss;
    }

    /// <summary>Flat array, Vector512 kernels.</summary>
    [Benchmark]
    public float Simd()
    {
        int row = NextRow();
        _case.Simd.ClearGradients();
        float loss = _case.Simd.AccumulateGradients(_case.Input(row), _case.Target(row));
        _case.Simd.SgdStep(1f);
        return loss;
    }

    /// <summary>The runtime's ReferenceNetwork (float).</summary>
    [Benchmark]
    public float Reference()
    {
        int row = NextRow();
        ReferenceNetwork network = _case.Reference;
        network.Gradients.Clear();
        float loss = network.AccumulateGradients(_case.Input(row), _case.Target(row));
        _referenceSgd.Step(network.Parameters, network.Gradients, 1f);
        return loss;
    }

    /// <summary>The generated network.</summary>
    [Benchmark]
    public float Generated()
    {
        int row = NextRow();
        INetwork network = _case.Generated;
        network.Gradients.Clear();
        float loss = network.AccumulateGradients(_case.Input(row), _case.Target(row));
        _generatedSgd.Step(network.Parameters, network.Gradients, 1f);
        return loss;
    }
}
