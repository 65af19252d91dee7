using System;
using BenchmarkDotNet.Attributes;
using HiddenSpace.Baselines;

namespace HiddenSpace.Benchmarks;

/// <summary>
/// One epoch over 4,096 samples in mini-batches (zero gradients → accumulate the batch → one Adam step, η = 0.01),
/// the generated network's batch path against the batched hand-written baseline (<see cref="BatchedMlp"/>,
/// TensorPrimitives). Samples per second = 4,096 / mean. Cases: the seed net at batch 32 and 256, 8-64-64-2-4 at 32 (the
/// matrix form with a fan-in of 8, half a vector at 16 lanes), 13-16-16-2-3 at 32 (the lane form with rows of 13),
/// 30-16-16-2-1 at 32 (the tool's default network on a 30-column table: the lane form, a first layer of 16 + 14
/// inputs at 16 lanes), 784-128-64-10 at 64.
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class BatchTrainingBenchmarks
{
    private NetworkCase _case = null!;
    private BatchedMlp _batched = null!;
    private Optimizer _adam = null!;
    private int _batch;

    /// <summary>Network/batch size.</summary>
    [Params("Seed/32", "Seed/256", "Mid/32", "Tabular/32", "Table30/32", "Large/64")]
    public string Case { get; set; } = "Seed/32";

    /// <summary>Builds the networks (same initial parameters), the data and the optimizer.</summary>
    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Case.Split('/');
        _case = NetworkCase.Create(parts[0]);
        _batch = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        _batched = new BatchedMlp(_case.Shape, NetworkCase.LearningRate, _batch);
        _batched.LoadParameters(_case.Generated.Parameters);
        _adam = Optimizer.Create(new OptimizerSettings(OptimizerKind.Adam, NetworkCase.LearningRate), _case.Shape.ParameterCount);
    }

    /// <summary>TensorPrimitives over the mini-batch, weight rows outside, samples inside.</summary>
    [Benchmark(Baseline = true)]
    public float BatchedBaseline()
    {
        int inputs = _case.Shape.Inputs, outputs = _case.Shape.Outputs;
        float loss = 0f;
        for (int start = 0; start < NetworkCase.SampleCount; start += _batch)
        {
            _batched.ClearGradients();
            loss += _batched.AccumulateBatchGradients(_case.Inputs.AsSpan(start * inputs, _batch * inputs), _case.Targets.AsSpan(start * outputs, _batch * outputs));
            _batched.AdamStep(1f / _batch);
        }
        return loss;
    }

    /// <summary>The generated network's AccumulateBatchGradients (lane form or matrix form).</summary>
    [Benchmark]
    public float Generated()
    {
        INetwork network = _case.Generated;
        int inputs = _case.Shape.Inputs, outputs = _case.Shape.Outputs;
        float loss = 0f;
        for (int start = 0; start < NetworkCase.SampleCount; start += _batch)
        {
            network.Gradients.Clear();
            loss += network.AccumulateBatchGradients(_case.Inputs.AsSpan(start * inputs, _batch * inputs), _case.Targets.AsSpan(start * outputs, _batch * outputs));
            _adam.Step(network.Parameters, network.Gradients, 1f / _batch);
        }
        return loss;
    }
}
