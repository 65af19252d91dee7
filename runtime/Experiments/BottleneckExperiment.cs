using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;

namespace HiddenSpace;

/// <summary>What <see cref="BottleneckExperiment.Run"/> found and wrote.</summary>
/// <param name="Dataset">Name of the data set.</param>
/// <param name="Network">The architecture.</param>
/// <param name="History">Per-epoch figures and how training ended.</param>
/// <param name="TrainAccuracy">Accuracy on the training split after training.</param>
/// <param name="TestAccuracy">Accuracy on the test split after training.</param>
/// <param name="ProbeAccuracy">Linear-probe test accuracy: "input" for the raw inputs, then one entry per tap.</param>
/// <param name="FilesWritten">Full paths of the files written, in order.</param>
public sealed record ExperimentResult(
    string Dataset,
    NetworkShape Network,
    TrainingHistory History,
    double TrainAccuracy,
    double TestAccuracy,
    IReadOnlyList<KeyValuePair<string, double>> ProbeAccuracy,
    IReadOnlyList<string> FilesWritten);

/// <summary>
/// The seed's experiment: train a classifier, then measure how linearly separable the raw input and every
/// tapped layer are (a linear probe fitted on the train split, scored on the test split) and write
/// <c>bottleneck.csv</c>, <c>bottleneck.svg</c> (the tap just before the output layer, when it has 2 units,
/// with the output layer's decision line), <c>input.svg</c> (decision regions, for 2 inputs) and
/// <c>summary.json</c>. Every file is written atomically.
/// </summary>
public static class BottleneckExperiment
{
    /// <summary>Trains <paramref name="network"/> and writes the files into <paramref name="outputDirectory"/>.</summary>
    /// <exception cref="ArgumentException">The data sets are not classification sets that fit the network.</exception>
    /// <exception cref="IOException">A file cannot be written; the message names it.</exception>
    public static ExperimentResult Run<TNetwork>(TNetwork network, Dataset train, Dataset test, TrainingOptions options, string outputDirectory,
        IProgress<EpochStats>? progress = null, CancellationToken cancellationToken = default)
        where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        if (train.Task != TaskKind.Classification || test.Task != TaskKind.Classification)
            throw new ArgumentException("The bottleneck experiment needs classification data sets.", nameof(train));

        NetworkShape shape = network.Shape;
        TrainingHistory history = Trainer.Train(network, train, test, options, progress, cancellationToken);
        double trainAccuracy = Trainer.Evaluate(network, train).Accuracy;
        double testAccuracy = Trainer.Evaluate(network, test).Accuracy;

        var probes = new List<KeyValuePair<string, double>> { new("input", LinearProbe.Score(train, test)) };
        for (int t = 0; t < shape.Taps.Count; t++)
            probes.Add(new(shape.Taps[t].Name, LinearProbe.Score(TapRecorder.AsDataset(network, train, t), TapRecorder.AsDataset(network, test, t))));

        Dataset all = train.Concat(test);
        var isTest = new bool[all.Count];
        isTest.AsSpan(train.Count).Fill(true);
        var predictions = new int[all.Count];
        var output = new float[shape.Outputs];
        for (int i = 0; i < all.Count; i++)
        {
            network.Forward(all.Row(i), output);
            predictions[i] = Metrics.PredictedClass(output);
        }
        string[] classNames = ClassNames(all.ClassCount);
        var files = new List<string>();

        int bottleneck = BottleneckTap(shape);
        if (bottleneck >= 0)
        {
            TapInfo tap = shape.Taps[bottleneck];
            float[] tapValues = TapRecorder.Collect(network, all, bottleneck);
            string csvPath = Path.GetFullPath(Path.Combine(outputDirectory, "bottleneck.csv"));
            BottleneckCsv.Write(csvPath, all, isTest, tap, tapValues, predictions);
            files.Add(csvPath);

            if (tap.Width == 2 && tap.LayerIndex == shape.Layers.Count - 2)
            {
                var xs = new float[all.Count];
                var ys = new float[all.Count];
                for (int i = 0; i < all.Count; i++)
                {
                    xs[i] = tapValues[2 * i];
                    ys[i] = tapValues[2 * i + 1];
                }
                var points = new LabelledPoints(xs, ys, all.Labels.ToArray(), classNames, isTest);
                DecisionLine? line = shape.Outputs <= 2 ? DecisionLine.FromOutputLayer(shape, network.Parameters) : null;
                string svgPath = Path.GetFullPath(Path.Combine(outputDirectory, "bottleneck.svg"));
                ScatterSvg.Write(svgPath, new ScatterSpec(
                    $"{all.Name}: {tap.Name} layer (linear probe {probes[bottleneck + 1].Value:0.000})",
                    tap.Name + "[0]", tap.Name + "[1]", points, line));
                files.Add(svgPath);
            }
        }

        if (shape.Inputs == 2)
        {
            var xs = new float[all.Count];
            var ys = new float[all.Count];
            for (int i = 0; i < all.Count; i++)
            {
                xs[i] = all.Row(i)[0];
                ys[i] = all.Row(i)[1];
            }
            var points = new LabelledPoints(xs, ys, all.Labels.ToArray(), classNames, isTest);
            var input = new float[2];
            string inputPath = Path.GetFullPath(Path.Combine(outputDirectory, "input.svg"));
            DecisionRegionSvg.Write(inputPath, new DecisionRegionSpec(
                $"{all.Name}: decision regions (test accuracy {testAccuracy:0.000})",
                all.FeatureNames[0], all.FeatureNames[1], points, PlotBounds.Around(xs, ys),
                (x, y) =>
                {
                    input[0] = x;
                    input[1] = y;
                    network.Forward(input, output);
                    return Metrics.PredictedClass(output);
                }));
            files.Add(inputPath);
        }

        var result = new ExperimentResult(train.Name, shape, history, trainAccuracy, testAccuracy, probes, files);
        string summaryPath = Path.GetFullPath(Path.Combine(outputDirectory, "summary.json"));
        AtomicFile.Write(summaryPath, stream => WriteSummary(stream, result));
        files.Add(summaryPath);
        return result;
    }

    /// <summary>The tap to scatter: the one on the layer just before the output layer, else the last tap, else -1.</summary>
    public static int BottleneckTap(NetworkShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        for (int t = 0; t < shape.Taps.Count; t++)
            if (shape.Taps[t].LayerIndex == shape.Layers.Count - 2) return t;
        return shape.Taps.Count - 1;
    }

    private static string[] ClassNames(int classes)
    {
        var names = new string[classes];
        for (int c = 0; c < classes; c++) names[c] = "class " + c.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return names;
    }

    private static void WriteSummary(Stream stream, ExperimentResult result)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("dataset", result.Dataset);
        json.WriteString("network", result.Network.Widths());
        json.WriteString("architecture", result.Network.Fingerprint());
        json.WriteNumber("parameters", result.Network.ParameterCount);
        json.WriteString("outcome", result.History.Outcome.ToString());
        json.WriteString("message", result.History.Message);
        json.WriteNumber("epochs", result.History.Epochs.Count);
        json.WriteNumber("train_accuracy", result.TrainAccuracy);
        json.WriteNumber("test_accuracy", result.TestAccuracy);
        if (result.History.Epochs.Count > 0) json.WriteNumber("final_train_loss", result.History.Epochs[^1].TrainLoss);
        json.WriteStartObject("probe_accuracy");
        foreach (KeyValuePair<string, double> probe in result.ProbeAccuracy) json.WriteNumber(probe.Key, probe.Value);
        json.WriteEndObject();
        json.WriteStartArray("history");
        foreach (EpochStats epoch in result.History.Epochs)
        {
            json.WriteStartObject();
            json.WriteNumber("epoch", epoch.Epoch);
            json.WriteNumber("train_loss", epoch.TrainLoss);
            json.WriteNumber("train_accuracy", epoch.TrainAccuracy);
            json.WriteNumber("test_loss", epoch.TestLoss);
            json.WriteNumber("test_accuracy", epoch.TestAccuracy);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
