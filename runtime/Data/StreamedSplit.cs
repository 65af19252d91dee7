using System;
using System.Collections.Generic;
using System.Threading;

namespace HiddenSpace;

/// <summary>
/// The train/test split of a <see cref="CsvDataStream"/>: which rows are test rows (exactly those
/// <see cref="DataSplit.StratifiedSplit"/> picks for the same seed), the train split's standardisation statistics
/// (bit for bit those of <see cref="Standardizer.Fit(Dataset)"/>), and a stratified sample of each split held in
/// memory, standardised, for per-epoch figures and the analysis. Made by <see cref="CsvDataStream.Split"/> in two
/// passes over the file (means; then deviations and samples). Memory: one bit per row for the split, the
/// samples, and the shuffle buffer while training (<see cref="Trainer.Train{TNetwork}(TNetwork, StreamedSplit, TrainingOptions, IProgress{EpochStats}?, CancellationToken, Optimizer?, IProgress{PhaseProgress}?)"/>).
/// </summary>
public sealed class StreamedSplit
{
    private readonly SplitPlan _plan;

    internal StreamedSplit(CsvDataStream data, double testFraction, int seed, StreamingOptions options, IProgress<PhaseProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Data = data;
        TestFraction = testFraction;
        Seed = seed;
        var rowsPerClass = new long[data.RowsPerClass.Count];
        for (int c = 0; c < rowsPerClass.Length; c++) rowsPerClass[c] = data.RowsPerClass[c];
        _plan = SplitPlan.Create(rowsPerClass, data.Task, testFraction, seed, data.Name);
        TestCount = _plan.TestCount;
        TrainCount = data.Count - TestCount;
        ShuffleBufferRows = options.BufferRowsFor(data);

        var statistics = new Standardizer.TwoPass(data.FeatureCount);
        data.Pass(_plan, readTestFeatures: false, (_, isTest, features, _, _) =>
        {
            if (!isTest) statistics.AddToMeans(features);
        }, new CsvDataStream.PassProgress(RunPhase.Statistics, "pass 2 of 3: means", data.Bytes, progress), cancellationToken);
        statistics.FinishMeans();

        var trainRowsPerClass = new long[rowsPerClass.Length];
        for (int c = 0; c < rowsPerClass.Length; c++) trainRowsPerClass[c] = rowsPerClass[c] - _plan.TestRowsPerClass[c];
        var trainSample = new SampleRows(data, new StratifiedSample.Selector(trainRowsPerClass, options.SampleRows, seed));
        var testSample = new SampleRows(data, new StratifiedSample.Selector(Array.ConvertAll(_plan.TestRowsPerClass, rows => (long)rows), options.SampleRows, seed));
        data.Pass(_plan, readTestFeatures: true, (row, isTest, features, label, target) =>
        {
            if (!isTest) statistics.AddToDeviations(features);
            (isTest ? testSample : trainSample).Offer(row, features, label, target);
        }, new CsvDataStream.PassProgress(RunPhase.Statistics, "pass 3 of 3: deviations and samples", data.Bytes, progress), cancellationToken);
        Standardizer = statistics.Finish();
        TrainSample = trainSample.ToDataset(Standardizer);
        TestSample = testSample.ToDataset(Standardizer);
    }

    /// <summary>The data set.</summary>
    public CsvDataStream Data { get; }

    /// <summary>Share of each class in the test split.</summary>
    public double TestFraction { get; }

    /// <summary>Seed of the split and the samples.</summary>
    public int Seed { get; }

    /// <summary>Rows in the train split.</summary>
    public long TrainCount { get; }

    /// <summary>Rows in the test split.</summary>
    public long TestCount { get; }

    /// <summary>Mean and deviation of each feature over the train split.</summary>
    public Standardizer Standardizer { get; }

    /// <summary>The train split, standardised, in file order; a stratified sample of <see cref="StreamingOptions.SampleRows"/> rows when it is larger.</summary>
    public Dataset TrainSample { get; }

    /// <summary>The test split, standardised, in file order; a stratified sample of <see cref="StreamingOptions.SampleRows"/> rows when it is larger.</summary>
    public Dataset TestSample { get; }

    /// <summary>Training rows the shuffle buffer holds.</summary>
    public int ShuffleBufferRows { get; }

    /// <summary>
    /// Starts reading the train rows once, in file order, on a background thread: standardised features and the
    /// targets of a network with <paramref name="outputs"/> outputs.
    /// </summary>
    internal RowPipeline ReadTrainRows(int outputs, CancellationToken cancellationToken)
    {
        int width = Data.FeatureCount;
        TaskKind task = Data.Task;
        return ReadIntoBlocks(outputs, readTestFeatures: false, (block, _, isTest, features, label, target) =>
        {
            if (isTest) return false;
            int at = block.Count;
            Standardizer.Apply(features, block.Features.AsSpan(at * width, width));
            Dataset.WriteTarget(label, target, task, block.Targets.AsSpan(at * outputs, outputs));
            return true;
        }, cancellationToken);
    }

    /// <summary>Starts reading every row once, in file order, on a background thread: raw features, label or target, position and split.</summary>
    internal RowPipeline ReadAllRows(CancellationToken cancellationToken)
    {
        int width = Data.FeatureCount;
        return ReadIntoBlocks(0, readTestFeatures: true, (block, row, isTest, features, label, target) =>
        {
            int at = block.Count;
            features.CopyTo(block.Features.AsSpan(at * width, width));
            block.Labels[at] = label;
            block.Values[at] = target;
            block.Rows[at] = row;
            block.IsTest[at] = isTest;
            return true;
        }, cancellationToken);
    }

    /// <summary>Puts a row into the next free place of <paramref name="block"/>; false to leave the row out.</summary>
    private delegate bool BlockFiller(RowBlock block, long row, bool isTest, ReadOnlySpan<float> features, int label, float target);

    /// <summary>One pass on a background thread, the rows <paramref name="fill"/> takes handed over in blocks.</summary>
    private RowPipeline ReadIntoBlocks(int outputs, bool readTestFeatures, BlockFiller fill, CancellationToken cancellationToken)
    {
        int width = Data.FeatureCount, blockRows = RowBlock.RowsFor(width + outputs);
        return new RowPipeline(4, () => new RowBlock(blockRows, width, outputs), (pipeline, stop) =>
        {
            RowBlock block = pipeline.Rent(stop);
            Data.Pass(_plan, readTestFeatures, (row, isTest, features, label, target) =>
            {
                if (!fill(block, row, isTest, features, label, target) || ++block.Count < block.Capacity) return;
                pipeline.Publish(block);
                block = pipeline.Rent(stop);
            }, default, stop);
            if (block.Count > 0) pipeline.Publish(block);
        }, cancellationToken);
    }

    /// <summary>The rows a selector picks during a pass, raw, until the statistics are known.</summary>
    private sealed class SampleRows(CsvDataStream data, StratifiedSample.Selector selector)
    {
        private readonly List<float> _features = [];
        private readonly List<int> _labels = [];
        private readonly List<float> _targets = [];
        private readonly List<int> _rows = [];

        public void Offer(long row, ReadOnlySpan<float> features, int label, float target)
        {
            if (!selector.Next(label)) return;
            _features.AddRange(features);
            _labels.Add(label);
            _targets.Add(target);
            _rows.Add((int)row);
        }

        public Dataset ToDataset(Standardizer standardizer)
        {
            float[] features = _features.ToArray();
            int width = data.FeatureCount;
            for (int r = 0; r < _rows.Count; r++)
                standardizer.Apply(features.AsSpan(r * width, width), features.AsSpan(r * width, width));
            Dataset sample = data.Task == TaskKind.Classification
                ? Dataset.ForClassification(data.Name, width, features, _labels.ToArray(), data.ClassCount, data.FeatureNames, data.TargetName, data.ClassNames)
                : Dataset.ForRegression(data.Name, width, features, _targets.ToArray(), data.FeatureNames, data.TargetName);
            return sample.WithSourceRows(_rows.ToArray());
        }
    }
}
