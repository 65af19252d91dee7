using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using HiddenSpace.Kernels;

namespace HiddenSpace;

/// <summary>
/// The main experiment: train a network, then measure how linearly usable the raw input and every tapped
/// layer are on the test split (classification: a linear probe fitted on the train split and the exact
/// separability verdict; regression: R² of a least-squares fit), and write <c>bottleneck.csv</c>
/// (classification: every row), <c>bottleneck.svg</c> (the tap just before the output layer, when it has 2 units, over
/// the output layer's exact class regions and decision line, or for a linear regression output the bands where it
/// predicts each quintile of the target), <c>input.svg</c> (decision regions, for 2 inputs), <c>report.html</c>
/// (snapshots across training behind an epoch slider), <c>weights.json</c> (the text weights file with the input
/// standardisation, for <c>[Network(Weights = ...)]</c> or <c>hiddenspace export</c>) and <c>summary.json</c>. Every file is streamed to disk and
/// appears atomically; the folder is first cleared of the previous run's files (<see cref="OutputFolder"/>).
/// </summary>
/// <remarks>
/// <para>
/// Sizes stay bounded whatever the data: the plots and the report draw at most
/// <see cref="ExperimentSettings.MaxPlotPoints"/> points, and the analysis works within
/// <see cref="ExperimentSettings.Analysis"/>; bottleneck.csv alone grows with the rows.
/// </para>
/// <para>
/// Cancellation: a cancelled training stops after the current batch and the run then writes only what is quick to
/// write, from the weights reached: report.html, the plots, weights.json and summary.json (outcome "Cancelled"), without the
/// analysis and without bottleneck.csv (a pass over every row). Cancelled during the analysis or while writing,
/// the run stops at once with <see cref="OperationCanceledException"/>, leaving the files already complete and no
/// partial one. A diverged run still writes every file, from the last finite weights.
/// </para>
/// </remarks>
public static class BottleneckExperiment
{
    /// <summary>The text weights file a run writes (<see cref="WeightsFile.SaveText"/>), unless the weights are not finite.</summary>
    public const string WeightsFileName = "weights.json";

    /// <summary>
    /// Trains <paramref name="network"/> on sets held in memory and writes the files into <paramref name="outputDirectory"/>.
    /// Pass <paramref name="inputFigures"/> when the input's figures were started before the network was built (they
    /// are used if started on these sets and the settings' budget; the run disposes it).
    /// </summary>
    /// <exception cref="ArgumentException">The data sets do not fit the network or each other, or have more classes than the plots colour.</exception>
    /// <exception cref="IOException">The folder cannot be used or a file cannot be written; the message names it.</exception>
    /// <exception cref="OperationCanceledException">Cancelled during the analysis or while writing.</exception>
    public static ExperimentResult Run<TNetwork>(TNetwork network, Dataset train, Dataset test, TrainingOptions options, string outputDirectory,
        IProgress<EpochStats>? progress = null, CancellationToken cancellationToken = default, ExperimentSettings? settings = null,
        IProgress<PhaseProgress>? phases = null, InputFiguresInProgress? inputFigures = null)
        where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (train.Task != test.Task)
            throw new ArgumentException("The train and test sets must both be classification or both regression sets.", nameof(test));
        if (test.Count == 0)
            throw new ArgumentException("The test set is empty; the figures are measured on it.", nameof(test));
        return Run(network, new ExperimentData.InMemory(train, test, settings?.InputStandardizer), options, outputDirectory, progress, cancellationToken, settings, phases,
            inputFigures);
    }

    /// <summary>
    /// Trains <paramref name="network"/> on a file read in passes (<see cref="CsvDataStream"/>) and writes the files into
    /// <paramref name="outputDirectory"/>. The figures are measured on the split's samples; bottleneck.csv holds every
    /// row with its position in the file and its feature values as written there (before standardisation).
    /// </summary>
    /// <exception cref="ArgumentException">The data does not fit the network, or has more classes than the plots colour.</exception>
    /// <exception cref="IOException">The folder cannot be used, a file cannot be written, or the data file changed; the message names it.</exception>
    /// <exception cref="OperationCanceledException">Cancelled during the analysis or while writing.</exception>
    public static ExperimentResult Run<TNetwork>(TNetwork network, StreamedSplit data, TrainingOptions options, string outputDirectory,
        IProgress<EpochStats>? progress = null, CancellationToken cancellationToken = default, ExperimentSettings? settings = null,
        IProgress<PhaseProgress>? phases = null)
        where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(data);
        settings = (settings ?? new ExperimentSettings()) with { SkippedRows = data.Data.SkippedRows };
        return Run(network, new ExperimentData.Streamed(data), options, outputDirectory, progress, cancellationToken, settings, phases, null);
    }

    /// <summary>Throws unless a data set of <paramref name="classCount"/> classes can be drawn (at most <see cref="ClassPalette.MaxClasses"/>).</summary>
    /// <exception cref="ArgumentException">There are more classes than the plots colour.</exception>
    public static void CheckClassCount(string dataName, int classCount)
    {
        if (classCount > ClassPalette.MaxClasses)
            throw new ArgumentException($"Data set '{dataName}' has {classCount} classes; the plots and the report colour at most {ClassPalette.MaxClasses}.", nameof(classCount));
    }

    private static ExperimentResult Run<TNetwork>(TNetwork network, ExperimentData data, TrainingOptions options, string outputDirectory,
        IProgress<EpochStats>? progress, CancellationToken cancellationToken, ExperimentSettings? settings, IProgress<PhaseProgress>? phases,
        InputFiguresInProgress? started)
        where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        settings ??= new ExperimentSettings();
        settings.Validate();
        options.Validate();
        NetworkShape shape = network.Shape;
        bool classify = data.Task == TaskKind.Classification;
        Dataset.CheckTargetsFit(shape, data.Name, data.FeatureCount, data.Task, data.ClassCount);
        if (classify) CheckClassCount(data.Name, data.ClassCount);
        OutputFolder.Prepare(outputDirectory);

        Dataset train = data.EvaluationTrain, test = data.EvaluationTest;
        (Dataset plotTrain, Dataset plotTest) = PlotSample(train, test, settings.MaxPlotPoints, options.Seed);
        Dataset plot = plotTrain.Concat(plotTest);
        var isTest = new bool[plot.Count];
        isTest.AsSpan(plotTrain.Count).Fill(true);
        long rows = data.TrainRows + data.TestRows;
        string? note = plot.Count < rows
            ? string.Create(CultureInfo.InvariantCulture, $"{plot.Count:N0} of {rows:N0} points shown: a stratified sample")
            : null;
        (float[] inputXs, float[] inputYs) = shape.Inputs == 2 ? Columns(plot) : ([], []);
        PlotBounds? inputBounds = shape.Inputs == 2 ? PlotBounds.Around(inputXs, inputYs) : null;
        int bottleneck = BottleneckTap(shape);

        var recorder = new TrainingRecorder(network, train, test, plotTrain, plotTest, bottleneck, options.Epochs, settings.MaxFrames, inputBounds,
            settings.GridResolution, progress);
        // The input's figures do not depend on the network: measured on another core while it trains (training runs on
        // this thread), or since before the network was built when the caller started them on these sets, so the
        // analysis after training is the taps' only.
        using InputFiguresInProgress measuring = started is not null && started.Fit(train, test, settings.Analysis)
            ? started
            : InputFiguresInProgress.Start(train, test, settings.Analysis, cancellationToken);
        if (!ReferenceEquals(measuring, started) && started is not null)
        {
            started.Cancel();
            started.Dispose();
        }
        Task<LayerFigures> inputFigures = measuring.Figures;
        TrainingHistory history;
        try
        {
            history = data.Train(network, options, recorder, phases, cancellationToken);
        }
        catch
        {
            measuring.Cancel(); // the input's figures are not wanted
            throw;
        }
        recorder.Finish(history.Epochs.Count);
        // After a cancelled training only the quick files follow, so the run ends within moments of the request.
        bool cancelled = history.Outcome == TrainingOutcome.Cancelled;
        if (cancelled) measuring.Cancel();

        IReadOnlyList<LayerFigures> layers = cancelled ? [] : HiddenSpaceAnalysis.Measure(network, train, test, settings.Analysis, cancellationToken, phases,
            inputFigures.GetAwaiter().GetResult());
        var probes = new List<KeyValuePair<string, double>>();
        foreach (LayerFigures layer in layers)
            if (layer.ProbeAccuracy is double accuracy) probes.Add(new(layer.Name, accuracy));

        // From here on the run writes its files: a host that ends the process when a cancelled phase does not stop in
        // time (the tool) can tell them apart by this report, and let the files a cancelled training promises be written.
        phases?.Report(new PhaseProgress(RunPhase.Writing, "files", 0, 1, ProgressUnit.Files));
        var output = new float[shape.Outputs];
        IReadOnlyList<string> classNames = train.ClassNames ?? ClassNames(data.ClassCount);
        var files = new List<string>();
        // report.html needs what training and the analysis left, not the network: it is written on another core while
        // this thread writes the files that run the network, and put in place after them (a run stopped while writing
        // leaves no report).
        IReadOnlyList<TrainingFrame> frames = recorder.Frames; // waits for the last frames' figures once
        string reportPath = Path.GetFullPath(Path.Combine(outputDirectory, "report.html"));
        Task<AtomicFile.Pending> reporting = Task.Run(() => TrainingReportHtml.Prepare(reportPath, new TrainingReport(plot, isTest, shape, bottleneck,
            classNames, inputBounds, settings.GridResolution, history, recorder.Curves, frames, layers) { RowsInData = rows }));
        double testAccuracy;
        try
        {
            if (bottleneck >= 0 && classify)
            {
                TapInfo tap = shape.Taps[bottleneck];
                if (!cancelled)
                {
                    string csvPath = Path.GetFullPath(Path.Combine(outputDirectory, "bottleneck.csv"));
                    using (var csv = new BottleneckCsv.Writer(csvPath, data.FeatureNames, BottleneckCsv.TapColumns(tap), train.ClassNames))
                    {
                        data.WriteRows(network, bottleneck, csv, phases, cancellationToken);
                        csv.Commit();
                    }
                    files.Add(csvPath);
                }

                float[] tapValues = TapRecorder.Collect(network, plot, bottleneck);
                if (tap.Width == 2 && tap.LayerIndex == shape.Layers.Count - 2 && Finite.All(tapValues))
                {
                    (float[] xs, float[] ys) = Split(tapValues);
                    var points = new LabelledPoints(xs, ys, plot.Labels.ToArray(), classNames, isTest);
                    DecisionLine? line = HasDecisionLine(shape, network.Parameters) ? DecisionLine.FromOutputLayer(shape, network.Parameters) : null;
                    PlotBounds tapBounds = PlotBounds.Around(xs, ys);
                    string svgPath = Path.GetFullPath(Path.Combine(outputDirectory, "bottleneck.svg"));
                    string probe = cancelled ? "not measured: cancelled" : string.Create(CultureInfo.InvariantCulture, $"linear probe {probes[bottleneck + 1].Value:0.000}");
                    ScatterSvg.Write(svgPath, new ScatterSpec($"{data.Name}: {tap.Name} layer ({probe})", tap.Name + "[0]", tap.Name + "[1]", points, line, tapBounds,
                        Regions(shape, network.Parameters, tapBounds), Note: note));
                    files.Add(svgPath);
                }
            }

            else if (bottleneck >= 0 && !cancelled && IsLinearRegressionOnTap(shape, bottleneck))
            {
                float[] tapValues = TapRecorder.Collect(network, plot, bottleneck);
                if (Finite.All(tapValues) && Finite.All(network.Parameters))
                {
                    string svgPath = Path.GetFullPath(Path.Combine(outputDirectory, "bottleneck.svg"));
                    ScatterSvg.Write(svgPath, RegressionScatter(network, plot, isTest, tapValues, layers[bottleneck + 1]) with { Note = note });
                    files.Add(svgPath);
                }
            }

            testAccuracy = classify ? Trainer.Evaluate(network, test).Accuracy : double.NaN;
            if (inputBounds is not null && classify)
            {
                var points = new LabelledPoints(inputXs, inputYs, plot.Labels.ToArray(), classNames, isTest);
                var input = new float[2];
                string inputPath = Path.GetFullPath(Path.Combine(outputDirectory, "input.svg"));
                DecisionRegionSvg.Write(inputPath, new DecisionRegionSpec(
                    $"{data.Name}: decision regions (test accuracy {testAccuracy:0.000})",
                    data.FeatureNames[0], data.FeatureNames[1], points, inputBounds,
                    (x, y) =>
                    {
                        input[0] = x;
                        input[1] = y;
                        network.Forward(input, output);
                        return Metrics.PredictedClass(output);
                    }, Note: note));
                files.Add(inputPath);
            }

            if (Finite.All(network.Parameters))
            {
                string weightsPath = Path.GetFullPath(Path.Combine(outputDirectory, WeightsFileName));
                WeightsFile.SaveText(weightsPath, network, new WeightsMetadata
                {
                    FeatureNames = data.FeatureNames,
                    InputStandardizer = data.Standardizer,
                    ClassNames = classify ? train.ClassNames : null,
                    TargetName = classify ? null : train.TargetName,
                    TargetScale = classify ? null : history.TargetScale,
                });
                files.Add(weightsPath);
            }
        }
        catch
        {
            // The report is discarded (its own failure, if any, is the lesser news).
            try { reporting.Result.Dispose(); } catch (AggregateException) { }
            throw;
        }
        using (AtomicFile.Pending report = reporting.GetAwaiter().GetResult())
            report.Commit();
        files.Add(reportPath);

        string summaryPath = Path.GetFullPath(Path.Combine(outputDirectory, "summary.json"));
        files.Add(summaryPath);
        var result = new ExperimentResult(data.Name, shape, history,
            classify ? Trainer.Evaluate(network, train).Accuracy : double.NaN, testAccuracy, probes, files)
        {
            Task = data.Task,
            ClassNames = train.ClassNames,
            TrainRSquared = classify ? double.NaN : recorder.RSquared(train),
            TestRSquared = classify ? double.NaN : recorder.RSquared(test),
            Layers = layers,
            Frames = frames,
            Options = options,
            TrainRows = data.TrainRows,
            TestRows = data.TestRows,
            MeasuredRows = (train.Count, test.Count),
            PlottedPoints = plot.Count,
        };
        AtomicFile.Write(summaryPath, stream => ExperimentSummary.Write(stream, result, recorder.Curves, settings with { InputStandardizer = data.Standardizer }, data.FeatureNames));
        phases?.Report(new PhaseProgress(RunPhase.Writing, "done", 1, 1, ProgressUnit.Files));
        return result;
    }

    /// <summary>At most <paramref name="maxPoints"/> of the rows, train and test in proportion, each a stratified sample.</summary>
    private static (Dataset Train, Dataset Test) PlotSample(Dataset train, Dataset test, int maxPoints, int seed)
    {
        int all = train.Count + test.Count;
        if (all <= maxPoints) return (train, test);
        int trainPoints = Math.Clamp((int)Math.Round((double)maxPoints * train.Count / all), 1, maxPoints - 1);
        return (StratifiedSample.Of(train, trainPoints, seed), StratifiedSample.Of(test, maxPoints - trainPoints, seed));
    }

    /// <summary>The tap to scatter: the one on the layer just before the output layer, else the last tap, else -1.</summary>
    public static int BottleneckTap(NetworkShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        for (int t = 0; t < shape.Taps.Count; t++)
            if (shape.Taps[t].LayerIndex == shape.Layers.Count - 2) return t;
        return shape.Taps.Count - 1;
    }

    private static (float[] Xs, float[] Ys) Columns(Dataset data)
    {
        var xs = new float[data.Count];
        var ys = new float[data.Count];
        for (int i = 0; i < data.Count; i++)
        {
            xs[i] = data.Row(i)[0];
            ys[i] = data.Row(i)[1];
        }
        return (xs, ys);
    }

    private static (float[] Xs, float[] Ys) Split(float[] pairs)
    {
        var xs = new float[pairs.Length / 2];
        var ys = new float[pairs.Length / 2];
        for (int i = 0; i < xs.Length; i++)
        {
            xs[i] = pairs[2 * i];
            ys[i] = pairs[2 * i + 1];
        }
        return (xs, ys);
    }

    /// <summary>Legend names for classes that have none of their own (their labels were numbers).</summary>
    private static string[] ClassNames(int classes)
    {
        var names = new string[classes];
        for (int c = 0; c < classes; c++) names[c] = "class " + c.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return names;
    }

    /// <summary>Bands of the target's quintiles the regression scatter colours by.</summary>
    private const int TargetBands = 5;

    private static bool IsLinearRegressionOnTap(NetworkShape shape, int tap) =>
        shape.Taps[tap] is { Width: 2 } info && info.LayerIndex == shape.Layers.Count - 2
        && shape.Layers[^1] is { Units: 1, Activation: Activation.Linear };

    /// <summary>
    /// The regression view of the tap plane: points coloured by the quintile band of their target, over the bands
    /// where the linear output predicts each range (exact polygons between parallel level lines).
    /// </summary>
    private static ScatterSpec RegressionScatter(INetwork network, Dataset all, bool[] isTest, float[] tapValues, LayerFigures figures)
    {
        NetworkShape shape = network.Shape;
        (float[] xs, float[] ys) = Split(tapValues);
        float[] sorted = all.Values.ToArray();
        Array.Sort(sorted);
        var edges = new List<double>();
        for (int b = 1; b < TargetBands; b++)
        {
            double edge = sorted[(int)((long)b * (sorted.Length - 1) / TargetBands)];
            if (edges.Count == 0 || edge > edges[^1]) edges.Add(edge);
        }
        var bands = new int[all.Count];
        for (int i = 0; i < all.Count; i++)
            while (bands[i] < edges.Count && all.Values[i] >= edges[bands[i]]) bands[i]++;
        var names = new string[edges.Count + 1]; // short enough for the legend: "< -0.52", "-0.52 to -0.13", "≥ 0.47"
        for (int b = 0; b < names.Length; b++)
            names[b] = b == 0 ? FormattableString.Invariant($"< {edges[0]:G2}")
                : b == edges.Count ? FormattableString.Invariant($"≥ {edges[^1]:G2}")
                : FormattableString.Invariant($"{edges[b - 1]:G2} to {edges[b]:G2}");
        int outputLayer = shape.Layers.Count - 1;
        PlotBounds bounds = PlotBounds.Around(xs, ys);
        IReadOnlyList<double[]> regions = OutputRegions.Bands(network.Parameters.Slice(shape.WeightOffset(outputLayer), 2),
            network.Parameters[shape.BiasOffset(outputLayer)], edges, bounds);
        TapInfo tap = shape.Taps[BottleneckTap(shape)];
        return new ScatterSpec(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{all.Name}: {tap.Name} layer (linear fit R² {figures.RSquared:0.000})"),
            tap.Name + "[0]", tap.Name + "[1]", new LabelledPoints(xs, ys, bands, names, isTest), Bounds: bounds, Regions: regions);
    }

    /// <summary>The output layer's class regions over the tap plane, or null when its layer has none (or a weight is not finite).</summary>
    internal static IReadOnlyList<double[]>? Regions(NetworkShape shape, ReadOnlySpan<float> parameters, PlotBounds bounds)
    {
        int outputLayer = shape.Layers.Count - 1;
        LayerShape layer = shape.Layers[outputLayer];
        if (shape.FanIn(outputLayer) != 2 || !((layer.Units, layer.Activation) is (1, Activation.Sigmoid) || (layer.Units >= 2 && layer.Activation == Activation.Softmax)))
            return null;
        ReadOnlySpan<float> weights = parameters.Slice(shape.WeightOffset(outputLayer), 2 * layer.Units);
        ReadOnlySpan<float> biases = parameters.Slice(shape.BiasOffset(outputLayer), layer.Units);
        return Finite.All(weights) && Finite.All(biases) ? OutputRegions.Of(weights, biases, layer.Activation, bounds) : null;
    }

    // Only 1 × sigmoid and 2 × softmax output layers have a 0.5 line, and a layer whose weights are all 0 has none.
    private static bool HasDecisionLine(NetworkShape shape, ReadOnlySpan<float> parameters)
    {
        int outputLayer = shape.Layers.Count - 1;
        LayerShape layer = shape.Layers[outputLayer];
        if (shape.FanIn(outputLayer) != 2 || !((layer.Units, layer.Activation) is (1, Activation.Sigmoid) or (2, Activation.Softmax))) return false;
        ReadOnlySpan<float> weights = parameters.Slice(shape.WeightOffset(outputLayer), layer.Units * 2);
        double w0 = layer.Units == 1 ? weights[0] : (double)weights[2] - weights[0];
        double w1 = layer.Units == 1 ? weights[1] : (double)weights[3] - weights[1];
        return double.IsFinite(w0) && double.IsFinite(w1) && (w0 != 0 || w1 != 0);
    }
}
