using System;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Training;

/// <summary>Regression on a target far from 0 (mean 152, deviation 77) trains because the trainer standardises it.</summary>
public class RegressionTargetTests(ITestOutputHelper output)
{
    /// <summary>The tool's default network for 10 features: 10-16-16-2-1, ReLU hidden layers, linear bottleneck and output.</summary>
    private static readonly NetworkShape Shape = new(10, Loss.MeanSquaredError,
        new LayerShape(16, Activation.ReLU), new LayerShape(16, Activation.ReLU), new LayerShape(2, Activation.Linear, "Bottleneck"), new LayerShape(1, Activation.Linear));

    /// <summary>The tool's defaults: 300 epochs, batch 32, Adam 0.01.</summary>
    private static readonly TrainingOptions Defaults = new(300, 32, Seed: 0);

    private static (Dataset Train, Dataset Test) Split()
    {
        (Dataset rawTrain, Dataset rawTest) = DiabetesLike.Create().StratifiedSplit(0.3, seed: 0);
        Standardizer features = Standardizer.Fit(rawTrain);
        return (features.Apply(rawTrain), features.Apply(rawTest));
    }

    private static double RSquared(INetwork network, Dataset data)
    {
        var predictions = new float[data.Count];
        var one = new float[1];
        for (int i = 0; i < data.Count; i++)
        {
            network.Forward(data.Row(i), one);
            predictions[i] = one[0];
        }
        return Metrics.RSquared(predictions, data.Values);
    }

    [Fact]
    public void TheDefaultsTrainAndTheNetworkPredictsOnTheOriginalScale()
    {
        (Dataset train, Dataset test) = Split();
        var network = new ReferenceNetwork(Shape, seed: 0);
        TrainingHistory history = Trainer.Train(network, train, test, Defaults);
        double trainR2 = RSquared(network, train), testR2 = RSquared(network, test);

        double mean = train.Values.ToArray().Average(v => (double)v);
        double deviation = Math.Sqrt(train.Values.ToArray().Average(v => (v - mean) * (v - mean)));
        Assert.Equal(mean, history.TargetScale!.Mean, 1e-9);
        Assert.Equal(deviation, history.TargetScale.Deviation, 1e-9);
        Assert.InRange(mean, 140, 165);
        Assert.InRange(deviation, 65, 90);

        // Losses are in the targets' units: the last epoch's test loss is the mean squared error of the predictions.
        var one = new float[1];
        double mse = Enumerable.Range(0, test.Count).Average(i => { network.Forward(test.Row(i), one); return (one[0] - test.Values[i]) * (double)(one[0] - test.Values[i]); });
        Assert.Equal(mse, history.Epochs[^1].TestLoss, 1e-6 * mse);

        var bottleneck = TapRecorder.AsDataset(network, train, 0);
        double bottleneckR2 = LinearFit.Score(bottleneck, TapRecorder.AsDataset(network, test, 0));
        output.WriteLine($"train R² {trainR2:0.000}, test R² {testR2:0.000}, bottleneck R² {bottleneckR2:0.000}; targets {mean:0.0} ± {deviation:0.0}");
        Assert.True(trainR2 >= 0.5, $"train R² {trainR2}");
    }

    [Fact]
    public void ATanhBottleneckTrainsOnlyOnStandardisedTargets()
    {
        // The tool's former default, 10-16-16-2-1 with tanh hidden and bottleneck layers: its output starts near 0 and
        // takes the bounded bottleneck's range times small weights, far from a mean of 152.
        var tanh = new NetworkShape(10, Loss.MeanSquaredError,
            new LayerShape(16, Activation.Tanh), new LayerShape(16, Activation.Tanh), new LayerShape(2, Activation.Tanh, "Bottleneck"), new LayerShape(1, Activation.Linear));
        (Dataset train, Dataset test) = Split();
        var raw = new ReferenceNetwork(tanh, seed: 0);
        TrainingHistory history = Trainer.Train(raw, train, test, Defaults with { StandardizeTargets = false });
        Assert.Null(history.TargetScale);
        var standardised = new ReferenceNetwork(tanh, seed: 0);
        Trainer.Train(standardised, train, test, Defaults);
        double rawR2 = RSquared(raw, train), standardisedR2 = RSquared(standardised, train);
        output.WriteLine($"tanh bottleneck: train R² {rawR2:0.000} on raw targets, {standardisedR2:0.000} on standardised ones");
        Assert.True(rawR2 < 0, $"train R² on raw targets {rawR2}");
        Assert.True(standardisedR2 >= 0.5, $"train R² on standardised targets {standardisedR2}");
    }

    [Fact]
    public void EarlyStoppingKeepsTheTestFitAboveTheBar()
    {
        (Dataset train, Dataset test) = Split();
        var network = new ReferenceNetwork(Shape, seed: 0);
        TrainingHistory history = Trainer.Train(network, train, test, Defaults with { EarlyStopping = new EarlyStopping() });
        double testR2 = RSquared(network, test);
        output.WriteLine($"early stopping: {history.Message} test R² {testR2:0.000}, train R² {RSquared(network, train):0.000}");
        Assert.NotNull(history.BestEpoch);
        Assert.True(testR2 >= 0.3, $"test R² {testR2}");
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(1e-3, 0.0)]
    [InlineData(1e-3, 5.0)] // a spread of 0.002 around 5
    [InlineData(1e-20, 0.0)]
    [InlineData(1e6, -3e6)]
    public void TargetsOfAnyScaleTrainAlike(double scale, double offset)
    {
        // y = offset + scale·(2·x0 + x1): the same problem at every scale, so a freshly initialised network must fit it
        // as well at every scale (a spread of 0.001 trained to a test R² of −7.7, one of 10⁻²⁰ diverged at the first
        // step, while the output layer's initial weights were read as weights for y instead of for standardised y).
        var random = new SeededRandom(7);
        const int Rows = 240;
        var features = new float[Rows * 2];
        var targets = new float[Rows];
        for (int i = 0; i < Rows; i++)
        {
            features[2 * i] = (float)random.NextDouble(-1, 1);
            features[2 * i + 1] = (float)random.NextDouble(-1, 1);
            targets[i] = (float)(offset + scale * (2 * features[2 * i] + features[2 * i + 1]));
        }
        (Dataset train, Dataset test) = Dataset.ForRegression("scaled", 2, features, targets).StratifiedSplit(0.25, seed: 0);
        var shape = new NetworkShape(2, Loss.MeanSquaredError,
            new LayerShape(8, Activation.Tanh), new LayerShape(2, Activation.Linear, "Bottleneck"), new LayerShape(1, Activation.Linear));
        var network = new ReferenceNetwork(shape, seed: 3);
        TrainingHistory history = Trainer.Train(network, train, test, new TrainingOptions(60, 32, Seed: 0));
        Assert.Equal(TrainingOutcome.Completed, history.Outcome);
        double testR2 = RSquared(network, test);
        output.WriteLine($"scale {scale}, offset {offset}: test R² {testR2:0.0000}");
        Assert.True(testR2 >= 0.98, $"test R² {testR2} at scale {scale}, offset {offset}");
    }

    [Fact]
    public void ResumingARegressionRunIsBitExact()
    {
        (Dataset train, Dataset test) = Split();
        var options = new TrainingOptions(6, 32, Seed: 1);
        var uninterrupted = new ReferenceNetwork(Shape, seed: 2);
        Trainer.Train(uninterrupted, train, test, options);

        var resumed = new ReferenceNetwork(Shape, seed: 2);
        Optimizer optimizer = Optimizer.Create(options.OptimizerOrDefault, Shape.ParameterCount);
        Trainer.Train(resumed, train, test, options with { Epochs = 3 }, optimizer: optimizer);
        using var saved = new System.IO.MemoryStream();
        WeightsFile.Save(saved, resumed, optimizer);
        saved.Position = 0;
        var loaded = new ReferenceNetwork(Shape, seed: 99);
        Optimizer loadedOptimizer = Optimizer.Create(options.OptimizerOrDefault, Shape.ParameterCount);
        WeightsFile.Load(saved, loaded, loadedOptimizer);
        Trainer.Train(loaded, train, test, options with { StartEpoch = 4 }, optimizer: loadedOptimizer);
        Assert.Equal(uninterrupted.Parameters.ToArray(), loaded.Parameters.ToArray());
    }

    [Fact]
    public void AnOutputLayerThatIsNotLinearIsToldWhatToDo()
    {
        (Dataset train, _) = Split();
        var sigmoidHead = new NetworkShape(10, Loss.MeanSquaredError, new LayerShape(4, Activation.Tanh), new LayerShape(1, Activation.Sigmoid));
        var exception = Assert.Throws<ArgumentException>(() => Trainer.Train(new ReferenceNetwork(sigmoidHead, 0), train, null, new TrainingOptions(1)));
        Assert.Equal("options", exception.ParamName);
        Assert.Contains("this network's output layer is Sigmoid. Set StandardizeTargets = false", exception.Message);
        TrainingHistory history = Trainer.Train(new ReferenceNetwork(sigmoidHead, 0), train, null, new TrainingOptions(1) { StandardizeTargets = false });
        Assert.Equal(TrainingOutcome.Completed, history.Outcome);
    }
}
