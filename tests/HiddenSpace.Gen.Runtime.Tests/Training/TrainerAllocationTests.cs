using System;
using System.Linq;
using HiddenSpace.Tests.Generated;
using Xunit;

namespace HiddenSpace.Tests.Training;

/// <summary>Trainer.Train allocates its buffers before the first epoch; the epochs after it allocate nothing.</summary>
public class TrainerAllocationTests
{
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    public void EpochsAfterTheFirstAllocateNothing(bool regression, int workers)
    {
        (Dataset train, Dataset test) = (regression ? Datasets.SineRidge(600, 0.05, seed: 1) : Datasets.Moons(600, 0.1, seed: 1)).StratifiedSplit(0.2, seed: 1);
        INetwork network = regression
            ? new ReferenceNetwork(new NetworkShape(2, Loss.MeanSquaredError, new LayerShape(8, Activation.Tanh), new LayerShape(1, Activation.Linear)), seed: 2)
            : new SeedNet(seed: 2);
        const int Epochs = 12;
        var allocated = new long[Epochs];
        var options = new TrainingOptions(Epochs, BatchSize: 32, Seed: 3)
            { Workers = workers, ParallelBatchThreshold = 32, Schedule = new LearningRateSchedule(ScheduleKind.Cosine, WarmupEpochs: 2) };
        TrainingHistory history = Trainer.Train(network, train, test, options,
            new Reporter(stats => allocated[stats.Epoch - 1] = GC.GetAllocatedBytesForCurrentThread()));
        Assert.Equal(TrainingOutcome.Completed, history.Outcome);
        // From the second epoch on (the first JIT-compiles and tiers up what the later ones run).
        long[] perEpoch = [.. allocated.Skip(2).Zip(allocated.Skip(1), (after, before) => after - before)];
        Assert.All(perEpoch, bytes => Assert.Equal(0, bytes));
    }

    private sealed class Reporter(Action<EpochStats> report) : IProgress<EpochStats>
    {
        public void Report(EpochStats value) => report(value);
    }
}
