using System;
using System.Collections.Generic;
using System.Linq;
using HiddenSpace.Tests.Generated;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Training;

/// <summary>Each training control changes what it should, determinism and resuming survive them, and regression targets are standardised.</summary>
public class TrainingControlsTests(ITestOutputHelper output)
{
    private static (Dataset Train, Dataset Test) Moons(int count = 400, double noise = 0.1) =>
        Datasets.Moons(count, noise, seed: 3).StratifiedSplit(0.25, seed: 3);

    [Fact]
    public void ScheduleFactorsFollowTheirFormulas()
    {
        var cosine = new LearningRateSchedule(ScheduleKind.Cosine, WarmupEpochs: 4);
        Assert.Equal([0.25, 0.5, 0.75, 1.0], Enumerable.Range(1, 4).Select(e => cosine.Factor(e, 20)));
        Assert.Equal(1.0, cosine.Factor(5, 20));
        Assert.Equal(0.5 * (1 + Math.Cos(Math.PI * 15 / 16)), cosine.Factor(20, 20), 1e-15);
        var step = new LearningRateSchedule(ScheduleKind.Step, StepEpochs: 3, StepFactor: 0.5);
        Assert.Equal([1, 1, 1, 0.5, 0.5, 0.5, 0.25], Enumerable.Range(1, 7).Select(e => step.Factor(e, 10)));
        Assert.Equal(1.0, new LearningRateSchedule().Factor(9, 10));
        Assert.Equal("epoch", Assert.Throws<ArgumentOutOfRangeException>(() => step.Factor(11, 10)).ParamName);
        Assert.Equal("StepFactor", Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(StepFactor: 0).Validate()).ParamName);
        Assert.Equal("WarmupEpochs", Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(WarmupEpochs: -1).Validate()).ParamName);
    }

    [Fact]
    public void AScheduledRunEqualsEpochByEpochRunsAtTheScheduledRates()
    {
        (Dataset train, Dataset test) = Moons();
        var schedule = new LearningRateSchedule(ScheduleKind.Cosine, WarmupEpochs: 2);
        var settings = new OptimizerSettings(OptimizerKind.Sgd, LearningRate: 0.2f);
        var scheduled = new SeedNet(seed: 1);
        TrainingHistory history = Trainer.Train(scheduled, train, test, new TrainingOptions(6, 16, settings, Seed: 4) { Schedule = schedule });

        var manual = new SeedNet(seed: 1);
        for (int epoch = 1; epoch <= 6; epoch++)
        {
            float rate = (float)(0.2f * schedule.Factor(epoch, 6));
            Assert.Equal(rate, history.Epochs[epoch - 1].LearningRate);
            Trainer.Train(manual, train, test, new TrainingOptions(epoch, 16, settings with { LearningRate = rate }, Seed: 4) { StartEpoch = epoch });
        }
        Assert.Equal(manual.Parameters.ToArray(), scheduled.Parameters.ToArray());
    }

    [Fact]
    public void L1DrivesWeightsTowardsZero()
    {
        (Dataset train, Dataset test) = Moons();
        float[] Weights(float l1)
        {
            var network = new SeedNet(seed: 2);
            Trainer.Train(network, train, test, new TrainingOptions(30, 16, new OptimizerSettings(L1: l1), Seed: 1));
            return network.Parameters.ToArray();
        }
        float[] plain = Weights(0), sparse = Weights(0.01f);
        double plainNorm = plain.Sum(MathF.Abs), sparseNorm = sparse.Sum(MathF.Abs);
        int plainSmall = plain.Count(w => MathF.Abs(w) < 0.01f), sparseSmall = sparse.Count(w => MathF.Abs(w) < 0.01f);
        output.WriteLine($"‖w‖₁ {plainNorm:0.0} → {sparseNorm:0.0}; |w| < 0.01: {plainSmall} → {sparseSmall} of {plain.Length}");
        Assert.True(sparseNorm < 0.7 * plainNorm, $"L1 norm {plainNorm} → {sparseNorm}");
        Assert.True(sparseSmall > plainSmall + 20, $"near-zero weights {plainSmall} → {sparseSmall}");
    }

    [Fact]
    public void EarlyStoppingRestoresTheBestEpochsExactWeights()
    {
        // Few noisy points and a long run: the validation loss bottoms out and rises again.
        (Dataset train, Dataset test) = Moons(count: 160, noise: 0.35);
        var snapshots = new Dictionary<int, float[]>();
        var network = new SeedNet(seed: 5);
        var progress = new Recorder(stats => snapshots[stats.Epoch] = network.Parameters.ToArray());
        var options = new TrainingOptions(400, 8, new OptimizerSettings(LearningRate: 0.03f), Seed: 2) { EarlyStopping = new EarlyStopping(0.25, Patience: 15) };
        TrainingHistory history = Trainer.Train(network, train, test, options, progress);

        Assert.True(history.StoppedEarly);
        Assert.Equal(TrainingOutcome.Completed, history.Outcome);
        int best = history.BestEpoch!.Value;
        Assert.Equal(best + 15, history.Epochs.Count);
        Assert.Equal(history.Epochs.Min(e => e.ValidationLoss), history.Epochs[best - 1].ValidationLoss);
        Assert.Equal(snapshots[best], network.Parameters.ToArray());
        Assert.NotEqual(snapshots[history.Epochs.Count], network.Parameters.ToArray());
        Assert.Matches($@"^Stopped early after epoch {best + 15}: .* weights of epoch {best},", history.Message);
        output.WriteLine(history.Message);
        Assert.All(history.Epochs, e => Assert.True(double.IsFinite(e.ValidationLoss) && double.IsFinite(e.ValidationAccuracy)));
        TrainingHistory without = Trainer.Train(new SeedNet(seed: 5), train, test, new TrainingOptions(2, 8));
        Assert.All(without.Epochs, e => Assert.True(double.IsNaN(e.ValidationLoss)));
        Assert.Null(without.BestEpoch);
    }

    [Fact]
    public void EarlyStoppingThatNeedsMoreRowsNamesTheProblem()
    {
        Dataset tiny = Datasets.Moons(4, 0.1, seed: 1);
        var options = new TrainingOptions(2) { EarlyStopping = new EarlyStopping(0.1) };
        var exception = Assert.Throws<ArgumentException>(() => Trainer.Train(new SeedNet(0), tiny, null, options));
        Assert.StartsWith("Early stopping cannot hold out 0.1 of the 4 training rows for validation", exception.Message);
        // The split's own wording (its test fraction, its parameter) does not leak through.
        Assert.Equal("options", exception.ParamName);
        Assert.Contains("for validation (EarlyStopping.ValidationFraction): ", exception.Message);
        Assert.DoesNotContain("test fraction", exception.Message);
        Assert.DoesNotContain("Parameter 'data'", exception.Message);
        // The same check without training, for a caller that checks before it builds the network.
        Assert.Equal(exception.Message, Assert.Throws<ArgumentException>(() => Trainer.CheckValidationSplit(tiny, options)).Message);
        Trainer.CheckValidationSplit(tiny, options with { EarlyStopping = null });
        Trainer.CheckValidationSplit(Datasets.Moons(40, 0.1, seed: 1), options);
        Assert.Equal("Patience", Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(Patience: 0).Validate()).ParamName);
        Assert.Equal("ValidationFraction", Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(1).Validate()).ParamName);
    }

    [Fact]
    public void AClassWeightedStepIsTheWeightedMeanOfThePerSampleGradients()
    {
        Dataset data = Datasets.Blobs(37, classes: 3, spread: 1.5, seed: 4);
        var shape = new NetworkShape(2, Loss.SoftmaxCrossEntropy, new LayerShape(5, Activation.Tanh), new LayerShape(3, Activation.Softmax));
        float[] weights = [0.5f, 2f, 3f];
        var trained = new ReferenceNetwork(shape, seed: 3);
        float[] start = trained.Parameters.ToArray();
        const float Rate = 0.5f;
        Trainer.Train(trained, data, null, new TrainingOptions(1, data.Count, new OptimizerSettings(OptimizerKind.Sgd, Rate)) { ClassWeights = weights });

        var oracle = new ReferenceNetwork<double>(shape, seed: 3);
        Assert.Equal(start.Select(v => (double)v), oracle.Parameters.ToArray());
        var expected = start.Select(v => (double)v).ToArray();
        double weightSum = 0;
        float[] targets = data.TargetsFor(shape);
        var sum = new double[shape.ParameterCount];
        for (int i = 0; i < data.Count; i++)
        {
            oracle.Gradients.Clear();
            double[] input = data.Row(i).ToArray().Select(v => (double)v).ToArray();
            oracle.AccumulateGradients(input, targets.Skip(3 * i).Take(3).Select(v => (double)v).ToArray());
            double w = weights[data.Labels[i]];
            weightSum += w;
            for (int p = 0; p < sum.Length; p++) sum[p] += w * oracle.Gradients[p];
        }
        for (int p = 0; p < expected.Length; p++) expected[p] -= Rate * sum[p] / weightSum;
        double worst = Enumerable.Range(0, expected.Length).Max(p => Math.Abs(trained.Parameters[p] - expected[p]));
        Assert.True(worst < 1e-5, $"largest difference from the weighted-mean SGD step: {worst}");

        // The same step without weights is a different step.
        var unweighted = new ReferenceNetwork(shape, seed: 3);
        Trainer.Train(unweighted, data, null, new TrainingOptions(1, data.Count, new OptimizerSettings(OptimizerKind.Sgd, Rate)));
        Assert.True(Enumerable.Range(0, expected.Length).Max(p => Math.Abs(unweighted.Parameters[p] - expected[p])) > 1e-3);
    }

    [Fact]
    public void BalancedWeightsRaiseTheMinorityClassRecall()
    {
        // Two overlapping clusters, 9 to 1.
        Dataset blobs = Datasets.Blobs(2000, classes: 2, spread: 2.5, seed: 6);
        int[] rows = Enumerable.Range(0, blobs.Count).Where(i => blobs.Labels[i] == 0 || i % 9 == 0).ToArray();
        (Dataset train, Dataset test) = blobs.Subset(rows).StratifiedSplit(0.3, seed: 6);
        float[] balanced = ClassWeights.Balanced(train);
        int zeros = train.Labels.ToArray().Count(l => l == 0), ones = train.Count - zeros;
        Assert.Equal((float)((double)train.Count / (2 * zeros)), balanced[0]);
        Assert.Equal((float)((double)train.Count / (2 * ones)), balanced[1]);

        double MinorityRecall(IReadOnlyList<float>? weights)
        {
            var network = new SeedNet(seed: 1);
            Trainer.Train(network, train, test, new TrainingOptions(20, 32, Seed: 1) { ClassWeights = weights });
            var outputBuffer = new float[1];
            int found = 0, minority = 0;
            for (int i = 0; i < test.Count; i++)
            {
                if (test.Labels[i] != 1) continue;
                minority++;
                network.Forward(test.Row(i), outputBuffer);
                if (Metrics.PredictedClass(outputBuffer) == 1) found++;
            }
            return (double)found / minority;
        }
        double plain = MinorityRecall(null), weighted = MinorityRecall(balanced);
        output.WriteLine($"minority recall {plain:0.000} → {weighted:0.000} with weights {balanced[0]:0.000}, {balanced[1]:0.000}");
        Assert.True(weighted > plain + 0.1, $"minority recall {plain} → {weighted}");
    }

    [Fact]
    public void ClassWeightsMustFitTheClasses()
    {
        (Dataset train, _) = Moons();
        var exception = Assert.Throws<ArgumentException>(() => Trainer.Train(new SeedNet(0), train, null, new TrainingOptions(1) { ClassWeights = [1f, 2f, 3f] }));
        Assert.Equal("ClassWeights", exception.ParamName);
        Assert.Contains("3 class weights for the 2 classes", exception.Message);
        Assert.Equal("ClassWeights", Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions(1) { ClassWeights = [1f, 0f] }.Validate()).ParamName);
    }

    [Fact]
    public void EveryControlTogetherStaysDeterministicAndResumesBitForBit()
    {
        (Dataset train, Dataset test) = Moons();
        var settings = new OptimizerSettings(L1: 0.001f, L2: 0.001f);
        TrainingOptions Options(int startEpoch) => new(8, 16, settings, Seed: 3)
        {
            StartEpoch = startEpoch,
            Schedule = new LearningRateSchedule(ScheduleKind.Cosine, WarmupEpochs: 3),
            ClassWeights = [1f, 2f],
        };
        var uninterrupted = new SeedNet(seed: 6);
        var again = new SeedNet(seed: 6);
        Trainer.Train(uninterrupted, train, test, Options(1));
        Trainer.Train(again, train, test, Options(1));
        Assert.Equal(uninterrupted.Parameters.ToArray(), again.Parameters.ToArray());

        // Stop the 8-epoch run after epoch 4 (a shorter run would have a shorter schedule), then resume at epoch 5.
        var resumedFrom = new SeedNet(seed: 6);
        Optimizer resumedOptimizer = Optimizer.Create(settings, SeedNet.ParameterCount);
        var stopAfterFour = new System.Threading.CancellationTokenSource();
        Trainer.Train(resumedFrom, train, test, Options(1), new Recorder(s => { if (s.Epoch == 4) stopAfterFour.Cancel(); }), stopAfterFour.Token, resumedOptimizer);
        Trainer.Train(resumedFrom, train, test, Options(5), optimizer: resumedOptimizer);
        Assert.Equal(uninterrupted.Parameters.ToArray(), resumedFrom.Parameters.ToArray());
    }

    private sealed class Recorder(Action<EpochStats> report) : IProgress<EpochStats>
    {
        public void Report(EpochStats value) => report(value);
    }
}
