using System;
using System.Linq;
using System.Threading;
using HiddenSpace.Tests.Generated;
using Xunit;

namespace HiddenSpace.Tests.Training;

public class TrainerTests
{
    private static (Dataset Train, Dataset Test) Moons(int count = 400) => Datasets.Moons(count, 0.1, seed: 3).StratifiedSplit(0.25, seed: 3);

    [Fact]
    public void SameSeedGivesBitIdenticalWeightsAndHistory()
    {
        (Dataset train, Dataset test) = Moons();
        var options = new TrainingOptions(Epochs: 5, BatchSize: 16, Seed: 9);
        var first = new SeedNet(seed: 2);
        var second = new SeedNet(seed: 2);
        TrainingHistory a = Trainer.Train(first, train, test, options);
        TrainingHistory b = Trainer.Train(second, train, test, options);
        Assert.Equal(first.Parameters.ToArray(), second.Parameters.ToArray());
        Assert.Equal(a.Epochs, b.Epochs);
    }

    [Fact]
    public void GeneratedAndReferenceNetworksTrainAlike()
    {
        (Dataset train, Dataset test) = Moons();
        var options = new TrainingOptions(Epochs: 3, BatchSize: 8, new OptimizerSettings(OptimizerKind.Momentum, LearningRate: 0.05f));
        var generated = new SeedNet(seed: 4);
        var reference = new ReferenceNetwork(SeedNet.Architecture, seed: 4);
        Trainer.Train(generated, train, test, options);
        Trainer.Train(reference, train, test, options);
        float scale = reference.Parameters.ToArray().Max(MathF.Abs);
        float largest = generated.Parameters.ToArray().Zip(reference.Parameters.ToArray(), (g, r) => MathF.Abs(g - r)).Max();
        Assert.True(largest <= 1e-4f * scale, $"largest difference {largest} (scale {scale})");
    }

    [Fact]
    public void DataParallelTrainingIsDeterministicAndAgreesWithOneWorker()
    {
        (Dataset train, _) = Datasets.Moons(5000, 0.1, seed: 5).StratifiedSplit(0.2, seed: 5);
        float[] Train(int workers)
        {
            var network = new SeedNet(seed: 3);
            var options = new TrainingOptions(Epochs: 3, BatchSize: 1024, Seed: 1) { Workers = workers };
            Assert.Equal(TrainingOutcome.Completed, Trainer.Train(network, train, null, options).Outcome);
            return network.Parameters.ToArray();
        }
        float[] twoWorkers = Train(2), again = Train(2), oneWorker = Train(1);
        Assert.Equal(twoWorkers, again); // fixed shard order: bit-identical
        float scale = oneWorker.Max(MathF.Abs);
        float largest = twoWorkers.Zip(oneWorker, (a, b) => MathF.Abs(a - b)).Max();
        Assert.True(largest <= 1e-3f * scale, $"two workers vs one: largest difference {largest} (scale {scale})");
        Assert.NotEqual(new SeedNet(seed: 3).Parameters.ToArray(), twoWorkers);
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Momentum)]
    public void ResumingFromSavedWeightsAndOptimizerStateMatchesAnUninterruptedRun(OptimizerKind kind)
    {
        (Dataset train, Dataset test) = Moons();
        var settings = new OptimizerSettings(kind, LearningRate: 0.02f);
        var uninterrupted = new SeedNet(seed: 6);
        Trainer.Train(uninterrupted, train, test, new TrainingOptions(Epochs: 6, BatchSize: 16, settings, Seed: 2));

        var first = new SeedNet(seed: 6);
        Optimizer firstOptimizer = Optimizer.Create(settings, SeedNet.ParameterCount);
        Trainer.Train(first, train, test, new TrainingOptions(Epochs: 3, BatchSize: 16, settings, Seed: 2), optimizer: firstOptimizer);
        using var saved = new System.IO.MemoryStream();
        WeightsFile.Save(saved, first, firstOptimizer);

        saved.Position = 0;
        var resumed = new SeedNet(seed: 99);
        Optimizer resumedOptimizer = Optimizer.Create(settings, SeedNet.ParameterCount);
        WeightsFile.Load(saved, resumed, resumedOptimizer);
        TrainingHistory rest = Trainer.Train(resumed, train, test, new TrainingOptions(Epochs: 6, BatchSize: 16, settings, Seed: 2) { StartEpoch = 4 },
            optimizer: resumedOptimizer);

        Assert.Equal([4, 5, 6], rest.Epochs.Select(e => e.Epoch));
        Assert.Equal(uninterrupted.Parameters.ToArray(), resumed.Parameters.ToArray());
    }

    [Fact]
    public void WorkersShareParametersButNotGradients()
    {
        var network = new SeedNet(seed: 1);
        INetwork worker = network.CreateWorker();
        network.Parameters[0] = 42f;
        Assert.Equal(42f, worker.Parameters[0]);
        worker.Gradients.Clear();
        network.Gradients.Clear();
        worker.AccumulateGradients([0.5f, 0.5f], [1f]);
        Assert.All(network.Gradients.ToArray(), g => Assert.Equal(0f, g));
        Assert.Contains(worker.Gradients.ToArray(), g => g != 0f);
    }

    [Fact]
    public void DivergenceStopsAtTheStepAndKeepsTheLastFiniteWeights()
    {
        (Dataset train, Dataset test) = Moons();
        var network = new SeedNet(seed: 1);
        var options = new TrainingOptions(Epochs: 50, BatchSize: 4, new OptimizerSettings(OptimizerKind.Sgd, LearningRate: 1e30f));
        TrainingHistory history = Trainer.Train(network, train, test, options);
        Assert.Equal(TrainingOutcome.Diverged, history.Outcome);
        Assert.Matches(@"^Training diverged in epoch \d+ at step \d+", history.Message);
        Assert.All(network.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
    }

    [Fact]
    public void CancellationReturnsTheHistorySoFar()
    {
        (Dataset train, Dataset test) = Moons();
        using var cancellation = new CancellationTokenSource();
        var network = new SeedNet(seed: 1);
        var progress = new SynchronousProgress(stats => { if (stats.Epoch == 2) cancellation.Cancel(); });
        TrainingHistory history = Trainer.Train(network, train, test, new TrainingOptions(Epochs: 10), progress, cancellation.Token);
        Assert.Equal(TrainingOutcome.Cancelled, history.Outcome);
        Assert.Equal(2, history.Epochs.Count);
        Assert.Equal("Cancelled in epoch 3 at step 0.", history.Message);
    }

    [Theory]
    [InlineData(0, 32, 0.01f, "Epochs")]
    [InlineData(1, 0, 0.01f, "BatchSize")]
    [InlineData(1, 32, 0f, "LearningRate")]
    [InlineData(1, 32, float.NaN, "LearningRate")]
    public void InvalidOptionsNameTheSetting(int epochs, int batch, float learningRate, string parameter)
    {
        (Dataset train, _) = Moons();
        var options = new TrainingOptions(epochs, batch, new OptimizerSettings(LearningRate: learningRate));
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train(new SeedNet(0), train, null, options));
        Assert.Equal(parameter, exception.ParamName);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(-0.1f)]
    public void MomentumOutsideTheUnitIntervalIsRejected(float momentum)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new OptimizerSettings(OptimizerKind.Momentum, Momentum: momentum).Validate());
        Assert.Equal("Momentum", exception.ParamName);
    }

    [Fact]
    public void MismatchedNetworkAndDataFailBeforeTraining()
    {
        Dataset blobs = Datasets.Blobs(90, classes: 3, seed: 1);
        var exception = Assert.Throws<ArgumentException>(() => Trainer.Train(new SeedNet(0), blobs, null, new TrainingOptions(Epochs: 1)));
        Assert.Contains("2 classes", exception.Message);
    }

    private sealed class SynchronousProgress(Action<EpochStats> report) : IProgress<EpochStats>
    {
        public void Report(EpochStats value) => report(value);
    }
}
