using System;
using BenchmarkDotNet.Attributes;
using HiddenSpace.Baselines;

namespace HiddenSpace.Benchmarks;

/// <summary>
/// (c) One epoch over 4,096 samples: 128 mini-batches of 32 consecutive rows (the rows are in random order
/// already), each zero gradients → accumulate 32 samples → one Adam step (η = 0.01) on the mean gradient.
/// The direct loop is the same for every implementation; <see cref="TrainerOverheadBenchmarks"/> compares it with
/// <see cref="Trainer.Train"/>.
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class EpochBenchmarks
{
    private const int BatchSize = 32;
    private NetworkCase _case = null!;
    private Optimizer _generatedAdam = null!;
    private Optimizer _referenceAdam = null!;

    /// <summary>Seed 2-16-16-2-1, Mid 8-64-64-2-4, Large 784-128-64-10.</summary>
    [Params("Seed", "Mid", "Large")]
    public string Network { get; set; } = "Seed";

    /// <summary>Builds the networks, data and optimizers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _case = NetworkCase.Create(Network);
        var adam = new OptimizerSettings(OptimizerKind.Adam, NetworkCase.LearningRate);
        _generatedAdam = Optimizer.Create(adam, _case.Shape.ParameterCount);
        _referenceAdam = Optimizer.Create(adam, _case.Shape.ParameterCount);
    }

    /// <summary>Jagged arrays, nested loops, scalar Adam.</summary>
    [Benchmark(Baseline = true)]
    public float Naive() => BaselineEpoch(_case.Naive);

    /// <summary>Flat array, span loops.</summary>
    [Benchmark]
    public float Span() => BaselineEpoch(_case.Span);

    /// <summary>Flat array, Vector512 kernels.</summary>
    [Benchmark]
    public float Simd() => BaselineEpoch(_case.Simd);

    /// <summary>The runtime's ReferenceNetwork (float), direct loop.</summary>
    [Benchmark]
    public float Reference() => _case.DirectEpoch(_case.Reference, _referenceAdam, BatchSize);

    /// <summary>The generated network, direct loop.</summary>
    [Benchmark]
    public float Generated() => _case.DirectEpoch(_case.Generated, _generatedAdam, BatchSize);

    private float BaselineEpoch(IBaselineMlp network)
    {
        float loss = 0f;
        for (int start = 0; start < NetworkCase.SampleCount; start += BatchSize)
        {
            network.ClearGradients();
            for (int row = start; row < start + BatchSize; row++)
                loss += network.AccumulateGradients(_case.Input(row), _case.Target(row));
            network.AdamStep(1f / BatchSize);
        }
        return loss;
    }
}
