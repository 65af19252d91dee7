using System;
using System.Collections.Generic;
using System.Threading;

namespace HiddenSpace;

/// <summary>
/// What <see cref="BottleneckExperiment"/> runs on: rows held in memory (<see cref="InMemory"/>) or a file read in
/// passes (<see cref="Streamed"/>). Both offer the same things: sets in memory to measure on (the whole splits, or
/// samples of them), training, and one pass over every row for bottleneck.csv.
/// </summary>
internal abstract class ExperimentData
{
    public abstract string Name { get; }
    public abstract TaskKind Task { get; }
    public abstract int ClassCount { get; }
    public abstract int FeatureCount { get; }
    public abstract IReadOnlyList<string> FeatureNames { get; }
    public abstract long TrainRows { get; }
    public abstract long TestRows { get; }

    /// <summary>The train rows the figures are measured on: the split, or a sample of it.</summary>
    public abstract Dataset EvaluationTrain { get; }

    /// <summary>The test rows the figures are measured on: the split, or a sample of it.</summary>
    public abstract Dataset EvaluationTest { get; }

    /// <summary>How the features were standardised (recorded in summary.json), or null.</summary>
    public abstract Standardizer? Standardizer { get; }

    public abstract TrainingHistory Train<TNetwork>(TNetwork network, TrainingOptions options, IProgress<EpochStats> progress,
        IProgress<PhaseProgress>? phases, CancellationToken cancellationToken) where TNetwork : INetwork;

    /// <summary>Writes every row to <paramref name="writer"/>: its source features, tap <paramref name="tap"/>, label and prediction.</summary>
    public abstract void WriteRows(INetwork network, int tap, BottleneckCsv.Writer writer, IProgress<PhaseProgress>? phases, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="input"/> through the network and writes one row of bottleneck.csv.</summary>
    protected static void WriteRow(INetwork network, int tap, BottleneckCsv.Writer writer, float[] output,
        long row, bool isTest, ReadOnlySpan<float> source, ReadOnlySpan<float> input, int label)
    {
        network.Forward(input, output);
        writer.WriteRow(row, isTest, source, network.TapActivations(tap), label, Metrics.PredictedClass(output));
    }

    /// <summary>Reports rows written, and stops when cancelled, every 16 K rows.</summary>
    protected static void Tick(long written, long total, IProgress<PhaseProgress>? phases, CancellationToken cancellationToken)
    {
        if ((written & 0x3FFF) != 0 && written != total) return;
        cancellationToken.ThrowIfCancellationRequested();
        phases?.Report(new PhaseProgress(RunPhase.Writing, "bottleneck.csv", written, total, ProgressUnit.Rows));
    }

    /// <summary>
    /// Train and test sets in memory, measured whole. With a <paramref name="standardizer"/> the sets hold standardised
    /// rows, and bottleneck.csv gets them back on the original scale (to float precision).
    /// </summary>
    public sealed class InMemory(Dataset train, Dataset test, Standardizer? standardizer) : ExperimentData
    {
        public override string Name => train.Name;
        public override TaskKind Task => train.Task;
        public override int ClassCount => train.ClassCount;
        public override int FeatureCount => train.FeatureCount;
        public override IReadOnlyList<string> FeatureNames => train.FeatureNames;
        public override long TrainRows => train.Count;
        public override long TestRows => test.Count;
        public override Dataset EvaluationTrain => train;
        public override Dataset EvaluationTest => test;
        public override Standardizer? Standardizer => standardizer;

        public override TrainingHistory Train<TNetwork>(TNetwork network, TrainingOptions options, IProgress<EpochStats> progress,
            IProgress<PhaseProgress>? phases, CancellationToken cancellationToken) =>
            Trainer.Train(network, train, test, options, new EpochPhase(progress, phases, options.Epochs), cancellationToken);

        public override void WriteRows(INetwork network, int tap, BottleneckCsv.Writer writer, IProgress<PhaseProgress>? phases, CancellationToken cancellationToken)
        {
            var output = new float[network.Shape.Outputs];
            var source = new float[FeatureCount];
            long total = TrainRows + TestRows, written = 0;
            foreach ((Dataset split, bool isTest) in new[] { (train, false), (test, true) })
            {
                for (int r = 0; r < split.Count; r++)
                {
                    if (standardizer is null) split.Row(r).CopyTo(source);
                    else standardizer.Invert(split.Row(r), source);
                    WriteRow(network, tap, writer, output, split.SourceRow(r), isTest, source, split.Row(r), split.Labels[r]);
                    Tick(++written, total, phases, cancellationToken);
                }
            }
        }

        /// <summary>Reports each epoch as a step of the training phase too (the in-memory trainer reports epochs only).</summary>
        private sealed class EpochPhase(IProgress<EpochStats> next, IProgress<PhaseProgress>? phases, int epochs) : IProgress<EpochStats>
        {
            public void Report(EpochStats value)
            {
                next.Report(value);
                phases?.Report(new PhaseProgress(RunPhase.Training, $"epoch {value.Epoch} of {epochs}", value.Epoch, epochs, ProgressUnit.Epochs));
            }
        }
    }

    /// <summary>A file read in passes, measured on the split's samples.</summary>
    public sealed class Streamed(StreamedSplit split) : ExperimentData
    {
        public override string Name => split.Data.Name;
        public override TaskKind Task => split.Data.Task;
        public override int ClassCount => split.Data.ClassCount;
        public override int FeatureCount => split.Data.FeatureCount;
        public override IReadOnlyList<string> FeatureNames => split.Data.FeatureNames;
        public override long TrainRows => split.TrainCount;
        public override long TestRows => split.TestCount;
        public override Dataset EvaluationTrain => split.TrainSample;
        public override Dataset EvaluationTest => split.TestSample;
        public override Standardizer? Standardizer => split.Standardizer;

        public override TrainingHistory Train<TNetwork>(TNetwork network, TrainingOptions options, IProgress<EpochStats> progress,
            IProgress<PhaseProgress>? phases, CancellationToken cancellationToken) =>
            Trainer.Train(network, split, options, progress, cancellationToken, rowProgress: phases);

        public override void WriteRows(INetwork network, int tap, BottleneckCsv.Writer writer, IProgress<PhaseProgress>? phases, CancellationToken cancellationToken)
        {
            int width = FeatureCount;
            var output = new float[network.Shape.Outputs];
            var input = new float[width];
            long total = TrainRows + TestRows, written = 0;
            using RowPipeline rows = split.ReadAllRows(cancellationToken);
            while (rows.Take() is RowBlock block)
            {
                for (int r = 0; r < block.Count; r++)
                {
                    ReadOnlySpan<float> source = block.Features.AsSpan(r * width, width);
                    split.Standardizer.Apply(source, input);
                    WriteRow(network, tap, writer, output, block.Rows[r], block.IsTest[r], source, input, block.Labels[r]);
                    Tick(++written, total, phases, cancellationToken);
                }
                rows.Return(block);
            }
        }
    }
}
