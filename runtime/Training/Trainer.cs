using System;
using System.Collections.Generic;
using System.Threading;

namespace HiddenSpace;

/// <summary>
/// Mini-batch training of any <see cref="INetwork"/>: seeded shuffling, one
/// <see cref="INetwork.AccumulateBatchGradients"/> call and one optimizer step per batch. All buffers
/// are allocated before the first epoch.
/// </summary>
public static partial class Trainer
{
    /// <summary>
    /// Trains <paramref name="network"/> on <paramref name="train"/>. After every epoch, figures go to
    /// <paramref name="progress"/>, whose Report runs on the training thread while the network holds
    /// that epoch's weights (so it may read taps; wrap it in <see cref="Progress{T}"/> to hop threads).
    /// Pass an <paramref name="optimizer"/> to keep its state across calls (to resume, or to save it with
    /// <see cref="WeightsFile"/>); by default a fresh one is made from the options.
    /// </summary>
    public static TrainingHistory Train<TNetwork>(TNetwork network, Dataset train, Dataset? test, TrainingOptions options,
        IProgress<EpochStats>? progress = null, CancellationToken cancellationToken = default, Optimizer? optimizer = null)
        where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (train.Count == 0) throw new ArgumentException("The training set is empty.", nameof(train));

        NetworkShape shape = network.Shape;
        float[] targets = train.TargetsFor(shape);
        float[]? testTargets = test?.TargetsFor(shape);
        int inputs = shape.Inputs, outputs = shape.Outputs;
        int batchSize = Math.Min(options.BatchSize, train.Count);

        if (optimizer is not null && optimizer.ParameterCount != shape.ParameterCount)
            throw new ArgumentException($"The optimizer updates {optimizer.ParameterCount} parameters but the network has {shape.ParameterCount}.", nameof(optimizer));
        optimizer ??= Optimizer.Create(options.OptimizerOrDefault, shape.ParameterCount);
        var order = new int[train.Count];
        var batchInputs = new float[batchSize * inputs];
        var batchTargets = new float[batchSize * outputs];
        var batchStep = new BatchStep(network, optimizer);
        var output = EvaluationBuffer(shape);
        var epochs = new List<EpochStats>(options.Epochs);
        using DataParallel? parallel = batchSize >= options.ParallelBatchThreshold && options.WorkersOrDefault > 1
            ? new DataParallel(network, options.WorkersOrDefault)
            : null;
        ReadOnlySpan<float> features = train.Features;

        for (int epoch = options.StartEpoch; epoch <= options.Epochs; epoch++)
        {
            for (int i = 0; i < order.Length; i++) order[i] = i;
            new SeededRandom(options.Seed * 1_000_003L + epoch).Shuffle<int>(order);
            double lossSum = 0;
            int step = 0;
            for (int start = 0; start < order.Length; start += batchSize, step++)
            {
                if (cancellationToken.IsCancellationRequested)
                    return BatchStep.Cancelled(epochs, epoch, step);
                int rows = Math.Min(batchSize, order.Length - start);
                batchStep.Begin();
                float batchLoss;
                if (parallel is not null && rows >= options.ParallelBatchThreshold)
                {
                    batchLoss = parallel.AccumulateBatchGradients(train, targets, order.AsMemory(start, rows), batchInputs, batchTargets);
                }
                else
                {
                    Gather(features, inputs, order.AsSpan(start, rows), batchInputs);
                    Gather(targets, outputs, order.AsSpan(start, rows), batchTargets);
                    batchLoss = network.AccumulateBatchGradients(batchInputs.AsSpan(0, rows * inputs), batchTargets.AsSpan(0, rows * outputs));
                }
                if (!batchStep.Finish(batchLoss, rows))
                    return BatchStep.Diverged(epochs, epoch, step, batchLoss);
                lossSum += batchLoss;
            }

            // The training loss is the epoch's running mean above; the training set is re-run for accuracy only.
            double trainAccuracy = train.Task != TaskKind.Classification ? double.NaN
                : (parallel?.Evaluate(train, targets, withLoss: false) ?? Evaluate(network, train, targets, output, withLoss: false)).Accuracy;
            (double testLoss, double testAccuracy) = test is null ? (double.NaN, double.NaN)
                : parallel?.Evaluate(test, testTargets!, withLoss: true) ?? Evaluate(network, test, testTargets!, output, withLoss: true);
            var stats = new EpochStats(epoch, lossSum / train.Count, trainAccuracy, testLoss, testAccuracy);
            epochs.Add(stats);
            progress?.Report(stats);
        }
        return new TrainingHistory(epochs, TrainingOutcome.Completed, $"Completed {options.Epochs} epochs.");
    }

    /// <summary>Mean loss and accuracy (NaN for regression) of <paramref name="network"/> on <paramref name="data"/>.</summary>
    public static (double Loss, double Accuracy) Evaluate<TNetwork>(TNetwork network, Dataset data) where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        return Evaluate(network, data, data.TargetsFor(network.Shape), EvaluationBuffer(network.Shape), withLoss: true);
    }

    private static (double Loss, double Accuracy) Evaluate<TNetwork>(TNetwork network, Dataset data, float[] targets, float[] output, bool withLoss)
        where TNetwork : INetwork
    {
        (double loss, int correct) = EvaluateRows(network, data, targets, output, 0, data.Count, withLoss);
        return Averages(data, loss, correct, withLoss);
    }

    private static (double Loss, double Accuracy) Averages(Dataset data, double lossSum, int correct, bool withLoss) =>
        data.Count == 0 ? (double.NaN, double.NaN)
        : (withLoss ? lossSum / data.Count : double.NaN, data.Task == TaskKind.Classification ? (double)correct / data.Count : double.NaN);

    /// <summary>destination row r = source row rows[r], rows of <paramref name="width"/> values.</summary>
    private static void Gather(ReadOnlySpan<float> source, int width, ReadOnlySpan<int> rows, Span<float> destination)
    {
        // Element by element: the rows are a few floats wide, too short for a copy call per row to pay off.
        for (int r = 0; r < rows.Length; r++)
        {
            ReadOnlySpan<float> from = source.Slice(rows[r] * width, width);
            Span<float> to = destination.Slice(r * width, width);
            for (int i = 0; i < from.Length; i++) to[i] = from[i];
        }
    }

    /// <summary>Rows a ForwardBatch call covers when evaluating (whole lane groups, so generated networks use their lane form).</summary>
    private const int EvaluationRows = 256;

    private static float[] EvaluationBuffer(NetworkShape shape) => new float[EvaluationRows * shape.Outputs];

    /// <summary>Sum of losses and number of correct predictions over rows [from, to), <see cref="EvaluationRows"/> rows a batch.</summary>
    private static (double LossSum, int Correct) EvaluateRows<TNetwork>(TNetwork network, Dataset data, float[] targets, float[] outputBuffer, int from, int to, bool withLoss)
        where TNetwork : INetwork
    {
        int inputs = data.FeatureCount, outputs = network.Shape.Outputs;
        double loss = 0;
        int correct = 0;
        ReadOnlySpan<int> labels = data.Labels;
        for (int start = from; start < to; start += EvaluationRows)
        {
            int rows = Math.Min(EvaluationRows, to - start);
            Span<float> batch = outputBuffer.AsSpan(0, rows * outputs);
            network.ForwardBatch(data.Features.Slice(start * inputs, rows * inputs), batch);
            for (int r = 0; r < rows; r++)
            {
                int i = start + r;
                Span<float> output = batch.Slice(r * outputs, outputs);
                if (withLoss) loss += Metrics.LossFromOutput(network.Shape.Loss, output, targets.AsSpan(i * outputs, outputs));
                if (data.Task == TaskKind.Classification && Metrics.PredictedClass(output) == labels[i]) correct++;
            }
        }
        return (loss, correct);
    }
}
