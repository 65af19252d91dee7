using System;
using BenchmarkDotNet.Attributes;

namespace HiddenSpace.Benchmarks;

/// <summary>
/// What <see cref="Trainer.Train"/> costs over the direct loop (<see cref="NetworkCase.DirectEpoch"/>): both run
/// <see cref="Epochs"/> epochs of 4,096 rows in batches of 32 with Adam (η = 0.01) from the same initial parameters and a
/// fresh optimizer each call, and report the time and allocations per epoch. The trainer also shuffles the rows and
/// gathers each batch, keeps the parameters to restore if a step diverges, counts the right predictions from each
/// batch's outputs and reports each epoch; its buffers are allocated once per call, spread over the epochs.
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class TrainerOverheadBenchmarks
{
    private const int Epochs = 16;
    private const int BatchSize = 32;
    private NetworkCase _case = null!;
    private float[] _initial = null!;
    private OptimizerSettings _adam = null!;
    private TrainingOptions _options = null!;

    /// <summary>Seed 2-16-16-2-1, Mid 8-64-64-2-4, Tabular 13-16-16-2-3 (a table's rows and three classes to gather and count), Large 784-128-64-10.</summary>
    [Params("Seed", "Mid", "Tabular", "Large")]
    public string Network { get; set; } = "Seed";

    /// <summary>Builds the network, its data and the options.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _case = NetworkCase.Create(Network);
        _initial = _case.Generated.Parameters.ToArray();
        _adam = new OptimizerSettings(OptimizerKind.Adam, NetworkCase.LearningRate);
        _options = new TrainingOptions(Epochs, BatchSize, _adam);
    }

    /// <summary>The generated network, direct loop.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Epochs)]
    public float DirectLoop()
    {
        _initial.AsSpan().CopyTo(_case.Generated.Parameters);
        Optimizer adam = Optimizer.Create(_adam, _initial.Length);
        float loss = 0f;
        for (int epoch = 0; epoch < Epochs; epoch++) loss += _case.DirectEpoch(_case.Generated, adam, BatchSize);
        return loss;
    }

    /// <summary>The generated network through Trainer.Train.</summary>
    [Benchmark(OperationsPerInvoke = Epochs)]
    public double ViaTrainer()
    {
        _initial.AsSpan().CopyTo(_case.Generated.Parameters);
        return Trainer.Train(_case.Generated, _case.Data, null, _options).Epochs[^1].TrainLoss;
    }
}
