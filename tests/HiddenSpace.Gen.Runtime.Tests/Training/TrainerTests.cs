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

    /// <summary>784 Gaussian features a row, labels from a random linear teacher over 10 classes.</summary>
    private static Dataset Digits(int rows)
    {
        var random = new SeededRandom(21);
        float[] features = [.. Enumerable.Range(0, rows * 784).Select(_ => (float)random.NextGaussian())];
        float[] teacher = [.. Enumerable.Range(0, 10 * 784).Select(_ => (float)random.NextGaussian())];
        int[] labels = [.. Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, 10)
            .MaxBy(c => features.AsSpan(r * 784, 784).ToArray().Zip(teacher.AsSpan(c * 784, 784).ToArray(), (x, w) => x * w).Sum()))];
        return Dataset.ForClassification("digits", 784, features, labels, 10);
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Momentum)]
    public void ALargeNetworksStepSplitAcrossTheWorkersHasTheBitsOfOneWholeStep(OptimizerKind kind)
    {
        // 784-128-10 has more parameters than the split starts at: each worker sums its range of the workers' gradients
        // and steps it; the same run with the split turned off sums and steps on the calling thread.
        Assert.True(DigitsNet.ParameterCount >= TrainingOptions.DefaultSplitStepParameters);
        Dataset data = Digits(1100); // a batch of 1,024 and one of 76, under the parallel threshold
        float[] Train(int workers, int splitFrom)
        {
            var network = new DigitsNet(seed: 3);
            var options = new TrainingOptions(Epochs: 2, BatchSize: 1024, new OptimizerSettings(kind, LearningRate: 0.01f), Seed: 1)
                { Workers = workers, SplitStepParameters = splitFrom };
            Assert.Equal(TrainingOutcome.Completed, Trainer.Train(network, data, null, options).Outcome);
            return network.Parameters.ToArray();
        }
        float[] split = Train(2, TrainingOptions.DefaultSplitStepParameters), whole = Train(2, int.MaxValue), oneWorker = Train(1, int.MaxValue);
        Assert.Equal(whole.Select(BitConverter.SingleToInt32Bits), split.Select(BitConverter.SingleToInt32Bits));
        Assert.NotEqual(new DigitsNet(seed: 3).Parameters.ToArray(), split);
        float scale = oneWorker.Max(MathF.Abs), largest = split.Zip(oneWorker, (a, b) => MathF.Abs(a - b)).Max();
        Assert.True(largest <= 1e-3f * scale, $"two workers vs one: largest difference {largest} (scale {scale})");
    }

    [Fact]
    public void ALargeNetworksSplitStepThatDivergesKeepsTheLastFiniteWeights()
    {
        var network = new DigitsNet(seed: 4);
        var options = new TrainingOptions(Epochs: 3, BatchSize: 1024, new OptimizerSettings(OptimizerKind.Sgd, LearningRate: 1e30f)) { Workers = 2 };
        TrainingHistory history = Trainer.Train(network, Digits(1024), null, options);
        Assert.Equal(TrainingOutcome.Diverged, history.Outcome);
        Assert.All(network.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void WithOneBatchAnEpochsTrainingAccuracyIsThatOfTheWeightsBeforeItsStep(int workers)
    {
        // 256 rows in one batch: the training pass and Evaluate's ForwardBatch split the rows alike, so the same bits.
        (Dataset train, _) = Datasets.Moons(320, 0.25, seed: 6).StratifiedSplit(0.2, seed: 6);
        Assert.Equal(256, train.Count);
        var network = new SeedNet(seed: 1);
        var before = new System.Collections.Generic.List<double> { Trainer.Evaluate(network, train).Accuracy };
        var options = new TrainingOptions(Epochs: 6, BatchSize: 256, new OptimizerSettings(OptimizerKind.Adam, 0.05f), Seed: 2)
            { Workers = workers, ParallelBatchThreshold = 128 };
        TrainingHistory history = Trainer.Train(network, train, null, options,
            new SynchronousProgress(_ => before.Add(Trainer.Evaluate(network, train).Accuracy)));
        Assert.Equal(before.Take(6), history.Epochs.Select(e => e.TrainAccuracy));
        Assert.NotEqual(before[0], before[^1]); // the accuracy moved, so the figures are not all one value
    }

    [Fact]
    public void TheTrainingAccuracyCountsEachRowAsItsBatchSawIt()
    {
        Dataset blobs = Datasets.Blobs(300, classes: 3, seed: 4);
        var shape = new NetworkShape(2, Loss.SoftmaxCrossEntropy, new LayerShape(8, Activation.Tanh), new LayerShape(3, Activation.Softmax));
        var network = new CountingNetwork(new ReferenceNetwork(shape, seed: 5));
        var options = new TrainingOptions(Epochs: 3, BatchSize: 16, new OptimizerSettings(OptimizerKind.Adam, 0.02f), Seed: 3)
            { ClassWeights = [1f, 2f, 0.5f] };
        var counted = new System.Collections.Generic.List<int>();
        TrainingHistory history = Trainer.Train(network, blobs, null, options, new SynchronousProgress(_ =>
        {
            counted.Add(network.Correct);
            network.Correct = 0;
        }));
        Assert.Equal(counted.Select(c => (double)c / blobs.Count), history.Epochs.Select(e => e.TrainAccuracy));
        Assert.True(counted.Distinct().Count() > 1, string.Join(", ", counted)); // the figure moved between epochs
    }

    [Fact]
    public void RegressionTrainingAsksForNoOutputs()
    {
        Dataset data = Datasets.SineRidge(200, 0.05, seed: 1);
        var shape = new NetworkShape(data.FeatureCount, Loss.MeanSquaredError, new LayerShape(8, Activation.Tanh), new LayerShape(1, Activation.Linear));
        var network = new CountingNetwork(new ReferenceNetwork(shape, seed: 5));
        TrainingHistory history = Trainer.Train(network, data, null, new TrainingOptions(Epochs: 2, BatchSize: 16));
        Assert.Equal(0, network.OutputRows);
        Assert.All(history.Epochs, e => Assert.True(double.IsNaN(e.TrainAccuracy)));
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 4)]
    [InlineData(4, 5)]
    [InlineData(5, 4)]
    [InlineData(8, 3)]
    [InlineData(16, 2)]
    [InlineData(17, 3)]
    [InlineData(13, 3)] // two 8-value blocks overlapping; 3 targets as two overlapping pairs
    [InlineData(30, 7)] // four blocks; 7 targets as two overlapping 4-value blocks
    [InlineData(64, 2)] // the widest row gathered by blocks
    [InlineData(65, 11)] // a copy per row; 11 targets as two overlapping 8-value blocks
    public void EveryEpochGathersEachRowOnceWithItsOwnTarget(int features, int classes)
    {
        // Row r's feature c is r * 100 + c and its label r % classes, so every gathered row names its source row.
        const int rows = 53;
        var values = new float[rows * features];
        for (int i = 0; i < values.Length; i++) values[i] = i / features * 100 + i % features;
        Dataset data = Dataset.ForClassification("rows", features, values, [.. Enumerable.Range(0, rows).Select(r => r % classes)], classes);
        int outputs = classes == 2 ? 1 : classes;
        var shape = new NetworkShape(features, outputs == 1 ? Loss.BinaryCrossEntropy : Loss.SoftmaxCrossEntropy,
            new LayerShape(outputs, outputs == 1 ? Activation.Sigmoid : Activation.Softmax));
        var network = new RecordingNetwork(new ReferenceNetwork(shape, seed: 1));
        var epochs = new System.Collections.Generic.List<int[]>();
        Trainer.Train(network, data, null, new TrainingOptions(Epochs: 2, BatchSize: 8), new SynchronousProgress(_ =>
        {
            epochs.Add([.. network.Rows]);
            network.Rows.Clear();
        }));

        Assert.Equal(2, epochs.Count);
        Assert.All(epochs, order => Assert.Equal(Enumerable.Range(0, rows), order.Order()));
        Assert.NotEqual(epochs[0], epochs[1]); // shuffled anew each epoch
        Assert.All(network.Mismatches, Assert.Fail);
    }

    /// <summary>A network that hands everything but the batch accumulation to a reference network.</summary>
    private abstract class WrappingNetwork(ReferenceNetwork inner) : INetwork
    {
        protected ReferenceNetwork Inner => inner;
        public NetworkShape Shape => inner.Shape;
        public Span<float> Parameters => inner.Parameters;
        public Span<float> Gradients => inner.Gradients;
        public void Forward(ReadOnlySpan<float> input, Span<float> output) => inner.Forward(input, output);
        public void ForwardBatch(ReadOnlySpan<float> inputs, Span<float> outputs) => inner.ForwardBatch(inputs, outputs);
        public ReadOnlySpan<float> TapActivations(int tapIndex) => inner.TapActivations(tapIndex);
        public float AccumulateGradients(ReadOnlySpan<float> input, ReadOnlySpan<float> target) => inner.AccumulateGradients(input, target);
        public INetwork CreateWorker() => throw new NotSupportedException();
        public abstract float AccumulateBatchGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> outputs = default);
    }

    /// <summary>
    /// Records the source row of each row of each batch (from its first feature) and any feature or target that is not
    /// that row's; accumulates nothing, so the parameters stay put.
    /// </summary>
    private sealed class RecordingNetwork(ReferenceNetwork inner) : WrappingNetwork(inner)
    {
        public System.Collections.Generic.List<int> Rows { get; } = [];
        public System.Collections.Generic.List<string> Mismatches { get; } = [];

        public override float AccumulateBatchGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> outputs = default)
        {
            int features = Shape.Inputs, width = Shape.Outputs;
            for (int r = 0; r < inputs.Length / features; r++)
            {
                int row = (int)inputs[r * features] / 100;
                Rows.Add(row);
                for (int c = 0; c < features; c++)
                    if (inputs[r * features + c] != row * 100 + c) Mismatches.Add($"batch row {r}, feature {c}: {inputs[r * features + c]}");
                int label = row % Math.Max(2, width);
                for (int k = 0; k < width; k++)
                {
                    float expected = width == 1 ? label : k == label ? 1f : 0f;
                    if (targets[r * width + k] != expected) Mismatches.Add($"batch row {r} (source row {row}), target {k}: {targets[r * width + k]}");
                }
            }
            return 0f;
        }
    }

    /// <summary>
    /// Counts, before each batch, the rows its inner network predicts right (Forward row by row, the label from the
    /// target row), and the rows whose outputs the trainer asked for.
    /// </summary>
    private sealed class CountingNetwork(ReferenceNetwork inner) : WrappingNetwork(inner)
    {
        public int Correct { get; set; }
        public int OutputRows { get; private set; }

        public override float AccumulateBatchGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> outputs = default)
        {
            int width = Shape.Outputs;
            var output = new float[width];
            for (int r = 0; r < targets.Length / width; r++)
            {
                Inner.Forward(inputs.Slice(r * Shape.Inputs, Shape.Inputs), output);
                ReadOnlySpan<float> target = targets.Slice(r * width, width);
                int label = width == 1 ? (int)target[0] : target.IndexOf(1f);
                if (Metrics.PredictedClass(output) == label) Correct++;
            }
            OutputRows += outputs.Length / width;
            return Inner.AccumulateBatchGradients(inputs, targets, outputs);
        }
    }

    private sealed class SynchronousProgress(Action<EpochStats> report) : IProgress<EpochStats>
    {
        public void Report(EpochStats value) => report(value);
    }
}
