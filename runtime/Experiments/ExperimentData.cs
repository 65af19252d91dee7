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

    /// <summary>
    /// Rows of bottleneck.csv through the network's batch path, <see cref="Rows"/> at a time: each row's outputs and
    /// values of one tap, read back by the row's index in the last <see cref="Run"/>.
    /// </summary>
    protected sealed class BatchForward(INetwork network, int tap)
    {
        /// <summary>The most rows one <see cref="Run"/> takes.</summary>
        public const int Rows = 256;

        private readonly int _outputs = network.Shape.Outputs, _width = network.Shape.Taps[tap].Width;
        private readonly float[] _outputRows = new float[Rows * network.Shape.Outputs];
        private readonly float[] _tapRows = new float[Rows * network.Shape.Taps[tap].Width];

        /// <summary>Runs <paramref name="count"/> rows of <paramref name="inputs"/> (row-major, network inputs).</summary>
        public void Run(ReadOnlySpan<float> inputs, int count) =>
            network.ForwardBatch(inputs, _outputRows.AsSpan(0, count * _outputs), tap, _tapRows.AsSpan(0, count * _width));

        /// <summary>Row <paramref name="i"/>'s tap values.</summary>
        public ReadOnlySpan<float> Tap(int i) => _tapRows.AsSpan(i * _width, _width);

        /// <summary>Row <paramref name="i"/>'s predicted class.</summary>
        public int PredictedClass(int i) => Metrics.PredictedClass(_outputRows.AsSpan(i * _outputs, _outputs));
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
            var batch = new BatchForward(network, tap);
            var source = new float[FeatureCount];
            long total = TrainRows + TestRows, written = 0;
            foreach ((Dataset split, bool isTest) in new[] { (train, false), (test, true) })
            {
                for (int start = 0; start < split.Count; start += BatchForward.Rows)
                {
                    int count = Math.Min(BatchForward.Rows, split.Count - start);
                    batch.Run(split.Features.Slice(start * FeatureCount, count * FeatureCount), count);
                    for (int i = 0; i < count; i++)
                    {
                        int r = start + i;
                        if (standardizer is null) split.Row(r).CopyTo(source);
                        else standardizer.Invert(split.Row(r), source);
                        writer.WriteRow(split.SourceRow(r), isTest, source, batch.Tap(i), split.Labels[r], batch.PredictedClass(i));
                        Tick(++written, total, phases, cancellationToken);
                    }
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
            var batch = new BatchForward(network, tap);
            var inputs = new float[BatchForward.Rows * width];
            long total = TrainRows + TestRows, written = 0;
            using RowPipeline rows = split.ReadAllRows(cancellationToken);
            while (rows.Take() is RowBlock block)
            {
                for (int start = 0; start < block.Count; start += BatchForward.Rows)
                {
                    int count = Math.Min(BatchForward.Rows, block.Count - start);
                    for (int i = 0; i < count; i++)
                        split.Standardizer.Apply(block.Features.AsSpan((start + i) * width, width), inputs.AsSpan(i * width, width));
                    batch.Run(inputs.AsSpan(0, count * width), count);
                    for (int i = 0; i < count; i++)
                    {
                        int r = start + i;
                        writer.WriteRow(block.Rows[r], block.IsTest[r], block.Features.AsSpan(r * width, width), batch.Tap(i), block.Labels[r], batch.PredictedClass(i));
                        Tick(++written, total, phases, cancellationToken);
                    }
                }
                rows.Return(block);
            }
        }
    }
}
