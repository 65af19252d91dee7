using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Xunit;

namespace HiddenSpace.Tests.Data;

/// <summary>
/// The streamed path (<see cref="CsvDataStream"/>, <see cref="StreamedSplit"/>, the shuffle-buffer trainer) against
/// the in-memory path on the same file: the same split, statistics, samples and, when the train split fits the
/// buffer, the same weights.
/// </summary>
public sealed class StreamedDataTests : IDisposable
{
    private readonly TempDirectory _directory = new("streamed");

    public void Dispose() => _directory.Dispose();

    /// <summary>
    /// A CSV of <paramref name="rows"/> rows: an id column, 3 features written in several ways, and a label (3 classes,
    /// unequal; class c written as <paramref name="classNames"/>[c] when given) or a target.
    /// </summary>
    internal static string WriteCsv(string directory, string name, int rows, bool regression = false, int seed = 1, string[]? classNames = null)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name);
        var random = new Random(seed);
        var text = new StringBuilder("id,a,\"b, quoted\",c,y\n");
        for (int r = 0; r < rows; r++)
        {
            double a = random.NextDouble() * 4 - 2, b = random.NextDouble() * 100, c = Math.Round(random.NextDouble(), 3);
            int cls = a > 0.8 ? 2 : a * a + c > 1 ? 1 : 0;
            string y = regression
                ? (a * a + 0.01 * b).ToString("R", CultureInfo.InvariantCulture)
                : classNames?[cls] ?? cls.ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"r{r},{a:R},{b:E4}, {c} ,{y}\r\n");
            if (r % 97 == 0) text.Append("\r\n"); // empty lines are skipped by both readers
        }
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static CsvLoadOptions Options(bool regression) => new("y", regression ? TaskKind.Regression : TaskKind.Classification, ["a", "b, quoted", "c"]);

    [Theory]
    [InlineData(false, 100_000)]
    [InlineData(true, 100_000)]
    [InlineData(false, 300)]
    [InlineData(true, 300)]
    public void SplitStatisticsAndSamplesAreThoseOfTheInMemoryPath(bool regression, int sampleRows)
    {
        string path = WriteCsv(_directory.Path, "data.csv", 2_000, regression);
        Dataset loaded = CsvDataLoader.Load(path, Options(regression));
        (Dataset rawTrain, Dataset rawTest) = loaded.StratifiedSplit(0.3, seed: 5);
        Standardizer expected = Standardizer.Fit(rawTrain);

        CsvDataStream data = CsvDataStream.Open(path, Options(regression));
        Assert.Equal(loaded.Count, data.Count);
        Assert.Equal(loaded.ClassCount, data.ClassCount);
        Assert.Equal(loaded.FeatureNames, data.FeatureNames);
        StreamedSplit split = data.Split(0.3, seed: 5, new StreamingOptions { SampleRows = sampleRows });
        Assert.Equal(rawTrain.Count, split.TrainCount);
        Assert.Equal(rawTest.Count, split.TestCount);
        Assert.Equal(expected.Means, split.Standardizer.Means);
        Assert.Equal(expected.Deviations, split.Standardizer.Deviations);

        AssertSameRows(StratifiedSample.Of(expected.Apply(rawTrain), sampleRows, seed: 5), split.TrainSample);
        AssertSameRows(StratifiedSample.Of(expected.Apply(rawTest), sampleRows, seed: 5), split.TestSample);
        Assert.Equal(Math.Min(sampleRows, rawTest.Count), split.TestSample.Count);
    }

    private static void AssertSameRows(Dataset expected, Dataset actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Features.ToArray(), actual.Features.ToArray()); // bit for bit
        Assert.Equal(expected.Labels.ToArray(), actual.Labels.ToArray());
        Assert.Equal(expected.Values.ToArray(), actual.Values.ToArray());
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected.SourceRow(i), actual.SourceRow(i));
    }

    [Fact]
    public void SkippedRowsAreTheInMemoryReadersAndSamplesKeepTheirPlaceInTheFile()
    {
        string path = WriteCsv(_directory.Path, "data.csv", 2_000);
        string[] lines = File.ReadAllLines(path);
        // Every 7th data row loses a value (a feature or the label): 286 rows, the first on line 2.
        var blanked = new StringBuilder(lines[0] + "\n");
        int row = 0;
        foreach (string line in lines[1..])
        {
            if (line.Length == 0) continue;
            string[] fields = line.Split(',');
            if (row % 7 == 0) fields[row % 2 == 0 ? 1 : ^1] = row % 3 == 0 ? "" : "NA";
            blanked.Append(string.Join(",", fields)).Append('\n');
            row++;
        }
        string skippedPath = Path.Combine(_directory.Path, "blanked.csv");
        File.WriteAllText(skippedPath, blanked.ToString());
        CsvLoadOptions options = Options(false) with { SkipRowsWithMissingValues = true };

        Dataset loaded = CsvDataLoader.Load(skippedPath, options);
        CsvDataStream data = CsvDataStream.Open(skippedPath, options);
        Assert.Equal(286, data.SkippedRows);
        Assert.Equal(2, data.FirstSkippedLine);
        Assert.Equal(2_000 - 286, data.Count);
        Assert.Equal(loaded.Count, data.Count);
        (Dataset rawTrain, Dataset rawTest) = loaded.StratifiedSplit(0.3, seed: 5);
        Standardizer standardizer = Standardizer.Fit(rawTrain);
        StreamedSplit split = data.Split(0.3, seed: 5, new StreamingOptions { SampleRows = 300 });
        Assert.Equal(standardizer.Means, split.Standardizer.Means);
        AssertSameRows(StratifiedSample.Of(standardizer.Apply(rawTrain), 300, seed: 5), split.TrainSample);
        AssertSameRows(StratifiedSample.Of(standardizer.Apply(rawTest), 300, seed: 5), split.TestSample);
        Assert.All(Enumerable.Range(0, split.TestSample.Count), r => Assert.NotEqual(0, split.TestSample.SourceRow(r) % 7));
        Assert.Equal(0, CsvDataStream.Open(path, options).SkippedRows);
        Assert.Null(CsvDataStream.Open(path, options).FirstSkippedLine);
    }

    [Fact]
    public void IgnoringTheIdColumnReadsWhatNamingTheFeaturesReads()
    {
        string path = WriteCsv(_directory.Path, "data.csv", 500);
        var ignoring = new CsvLoadOptions("y", IgnoredColumns: ["id"]);
        Dataset named = CsvDataLoader.Load(path, Options(false)), ignored = CsvDataLoader.Load(path, ignoring);
        Assert.Equal(named.FeatureNames, ignored.FeatureNames);
        Assert.Equal(named.Features.ToArray(), ignored.Features.ToArray());
        Assert.Equal(named.FeatureNames, CsvDataStream.Open(path, ignoring).FeatureNames);
        Assert.Equal(named.FeatureNames, CsvDataStream.ReadFeatureNames(path, ignoring));
    }

    [Fact]
    public void NameLabelsGiveTheInMemoryClassesCountsSplitAndSamples()
    {
        // Classes 0, 1, 2 written as names whose ordinal order is 2, 0, 1: both readers number them by name, the first
        // pass counting each under the class it got on first sight.
        string[] names = ["mid", "zeta", "Alpha"];
        string numbered = WriteCsv(_directory.Path, "numbered.csv", 2_000), named = WriteCsv(_directory.Path, "named.csv", 2_000, classNames: names);
        int[] byName = CsvDataLoader.Load(numbered, Options(false)).Labels.ToArray().Select(c => c switch { 2 => 0, 0 => 1, _ => 2 }).ToArray();
        Dataset loaded = CsvDataLoader.Load(named, Options(false));
        Assert.Equal(["Alpha", "mid", "zeta"], loaded.ClassNames);
        Assert.Equal(byName, loaded.Labels.ToArray());

        CsvDataStream data = CsvDataStream.Open(named, Options(false));
        Assert.Equal(["Alpha", "mid", "zeta"], data.ClassNames);
        Assert.Equal(Enumerable.Range(0, 3).Select(c => (long)byName.Count(label => label == c)), data.RowsPerClass);
        (Dataset rawTrain, Dataset rawTest) = loaded.StratifiedSplit(0.3, seed: 5);
        Standardizer standardizer = Standardizer.Fit(rawTrain);
        StreamedSplit split = data.Split(0.3, seed: 5, new StreamingOptions { SampleRows = 300 });
        AssertSameRows(StratifiedSample.Of(standardizer.Apply(rawTrain), 300, seed: 5), split.TrainSample);
        AssertSameRows(StratifiedSample.Of(standardizer.Apply(rawTest), 300, seed: 5), split.TestSample);
        Assert.Equal(loaded.ClassNames, split.TestSample.ClassNames);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WhenTheTrainSplitFitsTheBufferTrainingGivesTheInMemoryWeightsAndHistory(bool regression)
    {
        string path = WriteCsv(_directory.Path, "data.csv", 1_500, regression);
        Dataset loaded = CsvDataLoader.Load(path, Options(regression));
        (Dataset rawTrain, Dataset rawTest) = loaded.StratifiedSplit(0.3, seed: 2);
        Standardizer standardizer = Standardizer.Fit(rawTrain);
        NetworkShape shape = Shape(regression);
        var options = new TrainingOptions(Epochs: 4, BatchSize: 32, new OptimizerSettings(OptimizerKind.Adam, 0.01f), Seed: 7);

        var inMemory = new ReferenceNetwork(shape, seed: 3);
        TrainingHistory expected = Trainer.Train(inMemory, standardizer.Apply(rawTrain), standardizer.Apply(rawTest), options);

        StreamedSplit split = CsvDataStream.Open(path, Options(regression)).Split(0.3, seed: 2);
        Assert.True(split.ShuffleBufferRows >= split.TrainCount);
        var streamed = new ReferenceNetwork(shape, seed: 3);
        TrainingHistory actual = Trainer.Train(streamed, split, options);

        Assert.Equal(TrainingOutcome.Completed, actual.Outcome);
        Assert.Equal(inMemory.Parameters.ToArray(), streamed.Parameters.ToArray());
        Assert.Equal(expected.Epochs, actual.Epochs);
    }

    [Fact]
    public void ASmallBufferVisitsEveryTrainRowOncePerEpochInADifferentDeterministicOrder()
    {
        string path = WriteCsv(_directory.Path, "data.csv", 3_000);
        StreamedSplit whole = CsvDataStream.Open(path, Options(false)).Split(0.3, seed: 4);
        StreamedSplit buffered = CsvDataStream.Open(path, Options(false)).Split(0.3, seed: 4, new StreamingOptions { ShuffleBufferRows = 100 });
        NetworkShape shape = Shape(false);

        // With a learning rate of 1e-30 the weights do not move, so an epoch's mean loss is the mean over the rows
        // it visited: equal (up to summation order) exactly when every row was visited once.
        var still = new TrainingOptions(Epochs: 1, BatchSize: 50, new OptimizerSettings(OptimizerKind.Sgd, 1e-30f), Seed: 1);
        double wholeLoss = Trainer.Train(new ReferenceNetwork(shape, seed: 1), whole, still).Epochs[0].TrainLoss;
        double bufferedLoss = Trainer.Train(new ReferenceNetwork(shape, seed: 1), buffered, still).Epochs[0].TrainLoss;
        Assert.Equal(wholeLoss, bufferedLoss, 1e-6 * wholeLoss);

        var options = new TrainingOptions(Epochs: 2, BatchSize: 50, Seed: 1);
        float[] Train(StreamedSplit split)
        {
            var network = new ReferenceNetwork(shape, seed: 1);
            Assert.Equal(TrainingOutcome.Completed, Trainer.Train(network, split, options).Outcome);
            return network.Parameters.ToArray();
        }
        float[] first = Train(buffered), again = Train(buffered), unbuffered = Train(whole);
        Assert.Equal(first, again);
        Assert.NotEqual(unbuffered, first);
    }

    [Fact]
    public void CancellingDuringAStreamedEpochStopsAfterTheCurrentBatch()
    {
        string path = WriteCsv(_directory.Path, "data.csv", 20_000);
        StreamedSplit split = CsvDataStream.Open(path, Options(false)).Split(0.3, seed: 1, new StreamingOptions { ShuffleBufferRows = 1_000 });
        using var cancellation = new CancellationTokenSource();
        var rowsSeen = new Progress(report =>
        {
            if (report.Done >= 5_000) cancellation.Cancel();
        });
        TrainingHistory history = Trainer.Train(new ReferenceNetwork(Shape(false), seed: 1), split, new TrainingOptions(Epochs: 3, BatchSize: 16),
            cancellationToken: cancellation.Token, rowProgress: rowsSeen);
        Assert.Equal(TrainingOutcome.Cancelled, history.Outcome);
        Assert.Empty(history.Epochs);
        Assert.StartsWith("Cancelled in epoch 1 at step ", history.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CancellingWhileReadingOrSplittingThrows()
    {
        string path = WriteCsv(_directory.Path, "data.csv", 40_000);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => CsvDataStream.Open(path, Options(false), cancellationToken: cancelled.Token));
        CsvDataStream data = CsvDataStream.Open(path, Options(false));
        Assert.ThrowsAny<OperationCanceledException>(() => data.Split(0.3, seed: 1, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void AFileThatChangesBetweenPassesIsReported()
    {
        string path = WriteCsv(_directory.Path, "data.csv", 500);
        CsvDataStream data = CsvDataStream.Open(path, Options(false));
        File.AppendAllText(path, "r9,1,2,3,0\n");
        var error = Assert.Throws<IOException>(() => data.Split(0.3, seed: 1));
        Assert.Contains("changed while it was being read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheStreamedReaderReportsTheInMemoryReadersErrors()
    {
        _directory.Create();
        string path = _directory.Combine("bad.csv");
        File.WriteAllText(path, "a,b,y\n1,2,0\n3,x,1\n");
        var inMemory = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(path, new CsvLoadOptions("y")));
        var streamed = Assert.Throws<DataFormatException>(() => CsvDataStream.Open(path, new CsvLoadOptions("y")));
        Assert.Equal(inMemory.Message, streamed.Message);
        Assert.Equal(3, streamed.Row);
    }

    [Fact]
    public void MemoryPerRowIsBoundedWhileReadingAndSplitting()
    {
        string small = WriteCsv(_directory.Path, "small.csv", 20_000), large = WriteCsv(_directory.Path, "large.csv", 200_000);
        long Allocated(string path)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            CsvDataStream.Open(path, Options(false)).Split(0.3, seed: 1, new StreamingOptions { SampleRows = 1_000 });
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Allocated(small); // warm-up
        long perRow = (Allocated(large) - Allocated(small)) / 180_000;
        // The split keeps one bit per row and shuffles 4 bytes per row of a class while it is made; nothing else grows with the rows.
        Assert.True(perRow <= 8, $"{perRow} bytes allocated per extra row");
    }

    [Fact]
    public void EveryClassIsCountedWhateverItsLabel()
    {
        // Labels below 1,024 are counted in an array, larger ones in a dictionary; both must add up.
        _directory.Create();
        string path = _directory.Combine("many.csv");
        File.WriteAllText(path, "x,label\n" + string.Concat(Enumerable.Range(0, 3_000).Select(i => $"{i},{i % 1_500}\n")));
        CsvDataStream data = CsvDataStream.Open(path);
        Assert.Equal(1_500, data.ClassCount);
        Assert.All(data.RowsPerClass, rows => Assert.Equal(2, rows));
        Assert.Equal(1_500, CsvDataLoader.Load(path).ClassCount);
    }

    private static NetworkShape Shape(bool regression) => regression
        ? new NetworkShape(3, Loss.MeanSquaredError, new LayerShape(8, Activation.Tanh), new LayerShape(2, Activation.Tanh, "Bottleneck"), new LayerShape(1, Activation.Linear))
        : new NetworkShape(3, Loss.SoftmaxCrossEntropy, new LayerShape(8, Activation.Tanh), new LayerShape(2, Activation.Tanh, "Bottleneck"), new LayerShape(3, Activation.Softmax));

    /// <summary>Reports synchronously on the reporting thread (System.Progress posts to the thread pool).</summary>
    private sealed class Progress(Action<PhaseProgress> report) : IProgress<PhaseProgress>
    {
        public void Report(PhaseProgress value) => report(value);
    }
}
