using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using HiddenSpace.Tests.Data;
using Xunit;

namespace HiddenSpace.Tests.Training;

/// <summary>
/// <see cref="BottleneckExperiment"/> at scale: streamed data, sampled plots, every row in bottleneck.csv with its
/// source values, cancellation in each phase, and the analysis on rows wider than they are many.
/// </summary>
public sealed class ExperimentScalingTests : IDisposable
{
    private readonly TempDirectory _directory = new("scaling");

    public void Dispose() => _directory.Dispose();

    private static readonly NetworkShape ThreeClasses = new(3, Loss.SoftmaxCrossEntropy,
        new LayerShape(8, Activation.Tanh), new LayerShape(2, Activation.Tanh, "Bottleneck"), new LayerShape(3, Activation.Softmax));

    private static CsvLoadOptions Options => new("y", FeatureColumns: ["a", "b, quoted", "c"]);

    private string Output(string name) => _directory.Combine(name);

    [Fact]
    public void TheInputFiguresMeasuredWhileTrainingAreThoseOfTheAnalysisAfterIt()
    {
        // The experiment measures the raw input on another core during training; afterwards, on one thread, the same.
        Dataset data = Datasets.Blobs(600, classes: 3, spread: 4, seed: 7);
        (Dataset train, Dataset test) = data.StratifiedSplit(0.3, seed: 7);
        var network = new ReferenceNetwork(new NetworkShape(2, Loss.SoftmaxCrossEntropy,
            new LayerShape(8, Activation.Tanh), new LayerShape(2, Activation.Tanh, "Bottleneck"), new LayerShape(3, Activation.Softmax)), seed: 1);
        var settings = new ExperimentSettings();
        ExperimentResult result = BottleneckExperiment.Run(network, train, test, new TrainingOptions(Epochs: 3), Output("overlap"), settings: settings);

        IReadOnlyList<LayerFigures> after = HiddenSpaceAnalysis.Measure(network, train, test, settings.Analysis, CancellationToken.None);
        Assert.Equal(after.Select(Figures), result.Layers.Select(Figures));
        Assert.Equal("input", result.Layers[0].Name);
        Assert.Contains(result.Layers[0].Separability!.Pairs, e => e.FewestWrong > 0); // overlapping blobs: the counts are compared, not only zeros
    }

    [Fact]
    public async Task InputFiguresStartedBeforeTheRunAreUsedOnlyWhenTheyFitIt()
    {
        Dataset data = Datasets.Blobs(300, classes: 3, spread: 4, seed: 8);
        (Dataset train, Dataset test) = data.StratifiedSplit(0.3, seed: 8);
        var shape = new NetworkShape(2, Loss.SoftmaxCrossEntropy, new LayerShape(4, Activation.Tanh, "Bottleneck"), new LayerShape(3, Activation.Softmax));
        var settings = new ExperimentSettings();

        var fitting = InputFiguresInProgress.Start(train, test, settings.Analysis);
        ExperimentResult used = BottleneckExperiment.Run(new ReferenceNetwork(shape, seed: 1), train, test, new TrainingOptions(Epochs: 2), Output("fit"),
            settings: settings, inputFigures: fitting);
        Assert.Same(await fitting.Figures, used.Layers[0]);

        // Another budget (a 50-row sample gives other counts), or other sets: measured again by the run, with its own budget.
        var otherBudget = InputFiguresInProgress.Start(train, test, settings.Analysis with { MaxRows = 50 });
        ExperimentResult remeasured = BottleneckExperiment.Run(new ReferenceNetwork(shape, seed: 1), train, test, new TrainingOptions(Epochs: 2), Output("budget"),
            settings: settings, inputFigures: otherBudget);
        Assert.Equal(Figures(used.Layers[0]), Figures(remeasured.Layers[0]));
        var otherSets = InputFiguresInProgress.Start(train.Concat(test), test, settings.Analysis);
        ExperimentResult fresh = BottleneckExperiment.Run(new ReferenceNetwork(shape, seed: 1), train, test, new TrainingOptions(Epochs: 2), Output("sets"),
            settings: settings, inputFigures: otherSets);
        Assert.Equal(Figures(used.Layers[0]), Figures(fresh.Layers[0]));
        Assert.Throws<ArgumentNullException>(() => InputFiguresInProgress.Start(train, null!, settings.Analysis));
    }

    private static string Figures(LayerFigures f) => string.Join(" ", f.Name, f.Width, f.ProbeAccuracy, f.RSquared,
        HiddenSpaceClaim.Verdict(f.Separability!), HiddenSpaceClaim.Verdict(f.TrainSeparability!),
        string.Join(",", f.Separability!.Pairs.Concat(f.Separability.OneVsRest).Select(e => e.FewestWrong)),
        string.Join(",", f.TrainSeparability!.Pairs.Concat(f.TrainSeparability.OneVsRest).Select(e => e.FewestWrong)));

    [Fact]
    public void AStreamedRunWritesEveryRowWithItsPositionAndTheValuesInTheFile()
    {
        string csv = StreamedDataTests.WriteCsv(_directory.Path, "data.csv", 1_200);
        Dataset file = CsvDataLoader.Load(csv, Options);
        (_, Dataset test) = file.StratifiedSplit(0.3, seed: 4);
        var testRows = new HashSet<int>(Enumerable.Range(0, test.Count).Select(test.SourceRow));
        StreamedSplit split = CsvDataStream.Open(csv, Options).Split(0.3, seed: 4);

        ExperimentResult result = BottleneckExperiment.Run(new ReferenceNetwork(ThreeClasses, seed: 1), split, new TrainingOptions(Epochs: 2), Output("run"));

        Assert.Equal(TrainingOutcome.Completed, result.History.Outcome);
        string[] lines = File.ReadAllLines(Path.Combine(Output("run"), "bottleneck.csv"));
        Assert.Equal("row,split,a,\"b, quoted\",c,Bottleneck_0,Bottleneck_1,label,prediction", lines[0]);
        Assert.Equal(file.Count, lines.Length - 1);
        for (int r = 0; r < file.Count; r++)
        {
            string[] fields = lines[r + 1].Split(',');
            Assert.Equal(r, int.Parse(fields[0], CultureInfo.InvariantCulture));
            Assert.Equal(testRows.Contains(r) ? "test" : "train", fields[1]);
            for (int f = 0; f < 3; f++)
                Assert.Equal(file.Row(r)[f], float.Parse(fields[2 + f], CultureInfo.InvariantCulture)); // the file's value, not the standardised one
            Assert.Equal(file.Labels[r], int.Parse(fields[7], CultureInfo.InvariantCulture));
        }
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output("run"), "summary.json")));
        Assert.Equal(split.TrainCount, summary.RootElement.GetProperty("rows").GetProperty("train").GetInt64());
        Assert.Equal(split.Standardizer.Means[0], summary.RootElement.GetProperty("standardization").GetProperty("means")[0].GetDouble());
    }

    [Fact]
    public void PlotsAndTheReportDrawAStratifiedSampleAndSaySo()
    {
        Dataset moons = Datasets.Moons(12_000, 0.1, seed: 2);
        (Dataset train, Dataset test) = moons.StratifiedSplit(0.3, seed: 2);
        var settings = new ExperimentSettings { MaxPlotPoints = 1_000 };
        ExperimentResult result = BottleneckExperiment.Run(new ReferenceNetwork(Moons2D, seed: 1), train, test, new TrainingOptions(Epochs: 2, BatchSize: 64),
            Output("plots"), settings: settings);

        Assert.Equal(1_000, result.PlottedPoints);
        foreach (string svg in new[] { "bottleneck.svg", "input.svg" })
        {
            XDocument document = XDocument.Load(Path.Combine(Output("plots"), svg));
            List<XElement> points = document.Descendants().Where(e => (string?)e.Attribute("class") == "point").ToList();
            Assert.Equal(1_000, points.Count);
            Assert.Equal(300, points.Count(p => (string?)p.Attribute("data-split") == "test")); // train and test in proportion
            Assert.Equal("1,000 of 12,000 points shown: a stratified sample", document.Descendants().Single(e => (string?)e.Attribute("class") == "note").Value);
        }
        string html = File.ReadAllText(Path.Combine(Output("plots"), "report.html"));
        Assert.Contains("\"pointsShown\":1000,\"pointsTotal\":12000", html);
        Assert.Contains("\"tap\":[", html);
        Assert.Equal(12_000, result.TrainRows + result.TestRows);
    }

    private static readonly NetworkShape Moons2D = new(2, Loss.BinaryCrossEntropy,
        new LayerShape(8, Activation.Tanh), new LayerShape(2, Activation.Tanh, "Bottleneck"), new LayerShape(1, Activation.Sigmoid));

    [Fact]
    public void CancelledDuringTrainingTheRunWritesOnlyTheQuickFiles()
    {
        string csv = StreamedDataTests.WriteCsv(_directory.Path, "data.csv", 6_000);
        StreamedSplit split = CsvDataStream.Open(csv, Options).Split(0.3, seed: 1, new StreamingOptions { ShuffleBufferRows = 500 });
        using var cancellation = new CancellationTokenSource();
        ExperimentResult result = BottleneckExperiment.Run(new ReferenceNetwork(ThreeClasses, seed: 1), split, new TrainingOptions(Epochs: 5, BatchSize: 16),
            Output("cancelled"), cancellationToken: cancellation.Token, phases: CancelAt(RunPhase.Training, cancellation));

        Assert.Equal(TrainingOutcome.Cancelled, result.History.Outcome);
        Assert.Equal([".hiddenspace-output", "bottleneck.svg", "report.html", "summary.json", "weights.json"],
            Directory.GetFiles(Output("cancelled")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output("cancelled"), "summary.json")));
        Assert.Equal("Cancelled", summary.RootElement.GetProperty("outcome").GetString());
        Assert.Empty(summary.RootElement.GetProperty("probe_accuracy").EnumerateObject());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheWritingPhaseIsReportedBeforeTheFirstFileAndIsTheLast(bool cancelTraining)
    {
        // The tool's forced exit after Ctrl+C waits for the files from this report on, so it must come before any of them.
        Dataset data = Gaussian(400, 2, seed: 4);
        (Dataset train, Dataset test) = data.StratifiedSplit(0.3, seed: 4);
        using var cancellation = new CancellationTokenSource();
        string folder = Output(cancelTraining ? "writing-cancelled" : "writing");
        var reports = new List<PhaseProgress>();
        string[]? filesAtFirstWritingReport = null;
        var phases = new Reporter(report =>
        {
            reports.Add(report);
            if (report.Phase == RunPhase.Writing)
                filesAtFirstWritingReport ??= [.. Directory.GetFiles(folder).Select(Path.GetFileName)!];
            if (cancelTraining && report.Phase == RunPhase.Training && report.Done > 0) cancellation.Cancel();
        });
        ExperimentResult result = BottleneckExperiment.Run(new ReferenceNetwork(Moons2D, seed: 1), train, test,
            new TrainingOptions(Epochs: 3, BatchSize: 16), folder, cancellationToken: cancellation.Token, phases: phases);

        Assert.Equal(cancelTraining ? TrainingOutcome.Cancelled : TrainingOutcome.Completed, result.History.Outcome);
        Assert.Equal([".hiddenspace-output"], filesAtFirstWritingReport!);
        Assert.Equal(new PhaseProgress(RunPhase.Writing, "files", 0, 1, ProgressUnit.Files), reports.First(r => r.Phase == RunPhase.Writing));
        int firstWriting = reports.FindIndex(r => r.Phase == RunPhase.Writing);
        Assert.All(reports.Skip(firstWriting), r => Assert.Equal(RunPhase.Writing, r.Phase));
        Assert.Equal(new PhaseProgress(RunPhase.Writing, "done", 1, 1, ProgressUnit.Files), reports[^1]);
        Assert.Contains("summary.json", Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(RunPhase.Analysis)]
    [InlineData(RunPhase.Writing)]
    public void CancelledDuringTheAnalysisOrWhileWritingTheRunStopsLeavingNoPartialFile(RunPhase phase)
    {
        string csv = StreamedDataTests.WriteCsv(_directory.Path, "data.csv", 40_000);
        StreamedSplit split = CsvDataStream.Open(csv, Options).Split(0.3, seed: 1);
        using var cancellation = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => BottleneckExperiment.Run(new ReferenceNetwork(ThreeClasses, seed: 1), split,
            new TrainingOptions(Epochs: 1), Output("stopped"), cancellationToken: cancellation.Token, phases: CancelAt(phase, cancellation)));
        Assert.Equal([".hiddenspace-output"], Directory.GetFiles(Output("stopped")).Select(Path.GetFileName));
    }

    /// <summary>Cancels once <paramref name="phase"/> has made some progress.</summary>
    private static IProgress<PhaseProgress> CancelAt(RunPhase phase, CancellationTokenSource cancellation) => new Reporter(report =>
    {
        if (report.Phase == phase && report.Done > 0) cancellation.Cancel();
    });

    private sealed class Reporter(Action<PhaseProgress> report) : IProgress<PhaseProgress>
    {
        public void Report(PhaseProgress value) => report(value);
    }

    /// <summary>n rows of d standard normal features, labels from the first feature's sign.</summary>
    private static Dataset Gaussian(int n, int d, int seed, bool regression = false)
    {
        var random = new SeededRandom(seed);
        var features = new float[n * d];
        for (int i = 0; i < features.Length; i++) features[i] = (float)random.NextGaussian();
        return regression
            ? Dataset.ForRegression("g", d, features, Enumerable.Range(0, n).Select(r => features[r * d] * 2 + (float)random.NextGaussian()).ToArray())
            : Dataset.ForClassification("g", d, features, Enumerable.Range(0, n).Select(r => features[r * d] + 0.5 * random.NextGaussian() > 0 ? 1 : 0).ToArray(), 2);
    }

    /// <summary>The same rows with <paramref name="extra"/> constant-zero columns appended: wider than long, same information.</summary>
    private static Dataset Padded(Dataset data, int extra)
    {
        int d = data.FeatureCount, wide = d + extra;
        var features = new float[data.Count * wide];
        for (int r = 0; r < data.Count; r++) data.Row(r).CopyTo(features.AsSpan(r * wide, d));
        return data.Task == TaskKind.Classification
            ? Dataset.ForClassification("padded", wide, features, data.Labels.ToArray(), data.ClassCount)
            : Dataset.ForRegression("padded", wide, features, data.Values.ToArray());
    }

    [Fact]
    public void AProbeOnRowsWiderThanTheyAreManyIsTheProbeOnTheirSpan()
    {
        // Constant columns standardise to zero, so the padded rows carry what the narrow rows do; the padded fit goes
        // through the span (800 columns, 60 rows), the narrow one (5 columns) does not.
        Dataset narrow = Gaussian(60, 5, seed: 1), wide = Padded(narrow, 795);
        LinearProbe direct = LinearProbe.Fit(narrow.Features, 5, narrow.Labels, 2);
        LinearProbe reduced = LinearProbe.Fit(wide.Features, 800, wide.Labels, 2);
        Assert.True(reduced.Converged);
        for (int f = 0; f < 5; f++) Assert.Equal(direct.Weights[f], reduced.Weights[f], 1e-6);
        Assert.All(reduced.Weights.Skip(5), weight => Assert.Equal(0, weight, 1e-9));
        Assert.Equal(direct.Intercepts[0], reduced.Intercepts[0], 1e-6);

        Dataset threeClasses = Datasets.Blobs(90, 3, 1.0, features: 4, seed: 2);
        LinearProbe softmax = LinearProbe.Fit(threeClasses.Features, 4, threeClasses.Labels, 3);
        LinearProbe softmaxWide = LinearProbe.Fit(Padded(threeClasses, 200).Features, 204, threeClasses.Labels, 3);
        for (int k = 0; k < 3; k++)
            for (int f = 0; f < 4; f++) Assert.Equal(softmax.Weights[k * 4 + f], softmaxWide.Weights[k * 204 + f], 1e-5);
    }

    [Fact]
    public void ARidgeFitOnRowsWiderThanTheyAreManyIsThePrimalFit()
    {
        Dataset narrow = Gaussian(40, 6, seed: 3, regression: true), wide = Padded(narrow, 100);
        LinearFit primal = LinearFit.Fit(narrow.Features, 6, narrow.Values);
        LinearFit dual = LinearFit.Fit(wide.Features, 106, wide.Values);
        for (int f = 0; f < 6; f++) Assert.Equal(primal.Weights[f], dual.Weights[f], 1e-6);
        Assert.Equal(primal.Intercept, dual.Intercept, 1e-6);
        Dataset test = Gaussian(30, 6, seed: 4, regression: true);
        Assert.Equal(primal.RSquared(test.Features, test.Values), dual.RSquared(Padded(test, 100).Features, test.Values), 1e-6);
    }

    [Fact]
    public void SeparabilityOfWideRowsIsDecidedInTheirSpan()
    {
        // 60 points in 2,000 dimensions in general position: any labelling is separable.
        Dataset wide = Gaussian(60, 2_000, seed: 5);
        LayerFigures separable = HiddenSpaceAnalysis.Measure("input", wide, wide);
        Assert.True(separable.Separability!.Separable);
        Assert.Equal(2_000, separable.Separability.Dimension);
        // The same point with both labels can never be separated, whatever the dimension.
        float[] features = wide.Features.ToArray();
        wide.Row(0).CopyTo(features.AsSpan(2_000, 2_000));
        int[] labels = wide.Labels.ToArray();
        labels[1] = 1 - labels[0];
        Dataset clash = Dataset.ForClassification("clash", 2_000, features, labels, 2);
        Assert.False(HiddenSpaceAnalysis.Measure("input", clash, clash).Separability!.Separable);
    }

    [Fact]
    public void TheBudgetGivesWideRepresentationsFewerRows()
    {
        var budget = new AnalysisBudget();
        Assert.Equal(20_000, budget.RowsFor(2));
        Assert.Equal(20_000, budget.RowsFor(50));
        Assert.Equal(100, budget.RowsFor(10_000));
        Assert.Equal(2, budget.RowsFor(int.MaxValue));
    }
}
