using System;
using Xunit;

namespace HiddenSpace.Tests.Generated;

/// <summary>After warm-up, inference and training steps allocate nothing (one allocation up front per instance).</summary>
public class AllocationTests
{
    [Fact]
    public void SeedNetForwardAndTrainingStepsAllocateNothing() => AssertNoAllocations(new SeedNet(seed: 1), calls: 10_000);

    [Fact]
    public void LoopedDigitsNetForwardAndTrainingStepsAllocateNothing() => AssertNoAllocations(new DigitsNet(seed: 1), calls: 1_000);

    [Fact]
    public void MixedNetForwardAndTrainingStepsAllocateNothing() => AssertNoAllocations(new MixedNet(seed: 1), calls: 10_000);

    private static void AssertNoAllocations<TNetwork>(TNetwork network, int calls) where TNetwork : INetwork
    {
        NetworkShape shape = network.Shape;
        var input = new float[shape.Inputs];
        var output = new float[shape.Outputs];
        var target = new float[shape.Outputs];
        target[0] = 1f;
        var batchInputs = new float[8 * shape.Inputs];
        var batchTargets = new float[8 * shape.Outputs];
        var batchOutputs = new float[8 * shape.Outputs];
        for (int i = 0; i < input.Length; i++) input[i] = 0.01f * (i % 17) - 0.05f;
        Optimizer optimizer = Optimizer.Create(new OptimizerSettings(OptimizerKind.Adam, LearningRate: 1e-4f, L2: 1e-4f), shape.ParameterCount);

        void Step()
        {
            network.Gradients.Clear();
            network.AccumulateGradients(input, target);
            optimizer.Step(network.Parameters, network.Gradients, 1f);
        }

        // Warm-up: JIT, tiering and static initialisation happen here, not in the measured loops.
        for (int i = 0; i < 200; i++)
        {
            network.Forward(input, output);
            Step();
            network.AccumulateBatchGradients(batchInputs, batchTargets);
            network.AccumulateBatchGradients(batchInputs, batchTargets, batchOutputs);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            network.Forward(input, output);
            for (int t = 0; t < shape.Taps.Count; t++) _ = network.TapActivations(t);
        }
        long afterForward = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++) Step();
        long afterTraining = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls / 8; i++)
        {
            network.AccumulateBatchGradients(batchInputs, batchTargets);
            network.AccumulateBatchGradients(batchInputs, batchTargets, batchOutputs);
        }
        long afterBatches = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(0, afterForward - before);
        Assert.Equal(0, afterTraining - afterForward);
        Assert.Equal(0, afterBatches - afterTraining);
        Assert.All(network.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
    }
}
