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
    // The history's first capacity: every epoch of a usual run without growing, and no up-front allocation of the
    // whole count for a run of millions of epochs (2³¹ − 1 epochs asked for 137 GB before the first epoch).
    private const int HistoryCapacity = 4096;

    /// <summary>
    /// Trains <paramref name="network"/> on <paramref name="train"/>. After every epoch, figures go to
    /// <paramref name="progress"/>, whose Report runs on the training thread while the network holds
    /// that epoch's weights (so it may read taps; wrap it in <see cref="Progress{T}"/> to hop threads).
    /// Pass an <paramref name="optimizer"/> to keep its state across calls (to resume, or to save it with
    /// <see cref="WeightsFile"/>); by default a fresh one is made from the options. The options add a learning-rate
    /// schedule, early stopping, class weights and (on by default) standardised regression targets.
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
        (Dataset fit, Dataset? validation) = HoldOutValidation(train, options);
        TargetScale? scale = TargetScale.For(shape, fit, options);
        float[] targets = fit.TargetsFor(shape);
        scale?.Standardize(targets);
        float[]? testTargets = test?.TargetsFor(shape);
        float[]? validationTargets = validation?.TargetsFor(shape);
        int batchSize = Math.Min(options.BatchSize, fit.Count);

        if (optimizer is not null && optimizer.ParameterCount != shape.ParameterCount)
            throw new ArgumentException($"The optimizer updates {optimizer.ParameterCount} parameters but the network has {shape.ParameterCount}.", nameof(optimizer));
        optimizer ??= Optimizer.Create(options.OptimizerOrDefault, shape.ParameterCount);
        var random = new SeededRandom(0);
        var batchStep = new BatchStep(network, optimizer);
        var output = EvaluationBuffer(shape);
        var epochs = new List<EpochStats>(Math.Min(options.Epochs, HistoryCapacity));
        using DataParallel? parallel = batchSize >= options.ParallelBatchThreshold && options.WorkersOrDefault > 1
            ? new DataParallel(network, options.WorkersOrDefault, options.SplitStepParameters)
            : null;
        var batches = new BatchRows<TNetwork>(network, parallel, options.ParallelBatchThreshold, fit, targets, batchSize);
        int[] order = batches.Order;
        ClassWeightedBatches? weighted = options.ClassWeights is null ? null
            : new ClassWeightedBatches(options.ClassWeights, fit, batchSize, shape.ParameterCount);
        Func<int, int, float>? accumulate = weighted is null ? null : batches.Accumulate;
        BestEpochKeeper? keeper = options.EarlyStopping is null ? null : new BestEpochKeeper(options.EarlyStopping, shape.ParameterCount);
        Span<float> parameters = network.Parameters;
        Span<float> gradients = network.Gradients;
        float baseRate = optimizer.Settings.LearningRate;
        scale?.StartAtTheMean(shape, parameters, options);

        for (int epoch = options.StartEpoch; epoch <= options.Epochs; epoch++)
        {
            float learningRate = (float)(baseRate * (options.Schedule?.Factor(epoch, options.Epochs) ?? 1));
            random.Reset(options.Seed * 1_000_003L + epoch);
            random.Permute(order);
            scale?.ToModelUnits(shape, parameters);
            double lossSum = 0;
            batches.Correct = 0;
            int step = 0;
            for (int start = 0; start < order.Length; start += batchSize, step++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    scale?.ToOriginalUnits(shape, parameters);
                    return BatchStep.Cancelled(epochs, epoch, step, scale, keeper?.BestEpoch);
                }
                int rows = Math.Min(batchSize, order.Length - start);
                batchStep.Begin();
                float batchLoss, weightSum = rows;
                if (weighted is null)
                    batchLoss = batches.Accumulate(start, rows);
                else
                    (batchLoss, weightSum) = weighted.Accumulate(order, start, rows, gradients, accumulate!);
                if (!batchStep.Finish(batchLoss, weightSum, learningRate, parallel))
                {
                    scale?.ToOriginalUnits(shape, parameters);
                    return BatchStep.Diverged(epochs, epoch, step, batchLoss, scale, keeper?.BestEpoch);
                }
                lossSum += batchLoss;
            }
            scale?.ToOriginalUnits(shape, parameters);

            // The training figures are the epoch's running ones, each batch measured by its own forward pass before its
            // step (the loss in z units for standardised targets: × deviation² gives the targets' units).
            double trainLoss = lossSum / fit.Count * (scale is null ? 1 : scale.Deviation * scale.Deviation);
            double trainAccuracy = fit.Task == TaskKind.Classification ? (double)batches.Correct / fit.Count : double.NaN;
            (double testLoss, double testAccuracy) = test is null ? (double.NaN, double.NaN)
                : parallel?.Evaluate(test, testTargets!) ?? Evaluate(network, test, testTargets!, output);
            (double validationLoss, double validationAccuracy) = validation is null ? (double.NaN, double.NaN)
                : parallel?.Evaluate(validation, validationTargets!) ?? Evaluate(network, validation, validationTargets!, output);
            var stats = new EpochStats(epoch, trainLoss, trainAccuracy, testLoss, testAccuracy)
            {
                ValidationLoss = validationLoss,
                ValidationAccuracy = validationAccuracy,
                LearningRate = learningRate,
            };
            epochs.Add(stats);
            progress?.Report(stats);
            if (keeper is not null && keeper.Observe(epoch, validationLoss, parameters))
            {
                keeper.Restore(parameters);
                return new TrainingHistory(epochs, TrainingOutcome.Completed,
                    $"Stopped early after epoch {epoch}: the validation loss had not fallen for {options.EarlyStopping!.Patience} epochs. The network holds the weights of epoch {keeper.BestEpoch}, the lowest validation loss ({keeper.BestLoss:G4}).",
                    scale, keeper.BestEpoch, stoppedEarly: true);
            }
        }
        keeper?.Restore(parameters);
        string kept = keeper is { BestEpoch: > 0 } ? $" The network holds the weights of epoch {keeper.BestEpoch}, the lowest validation loss ({keeper.BestLoss:G4})." : "";
        return new TrainingHistory(epochs, TrainingOutcome.Completed, $"Completed {options.Epochs} epochs.{kept}", scale, keeper?.BestEpoch);
    }

    /// <summary>
    /// Throws the <see cref="ArgumentException"/> training on a <see cref="Dataset"/> would throw when early stopping cannot hold out its
    /// validation rows from <paramref name="train"/> (too few rows, a class too small), without training: a caller can
    /// check before it builds or compiles the network. Does nothing without early stopping.
    /// </summary>
    public static void CheckValidationSplit(Dataset train, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _ = HoldOutValidation(train, options);
    }

    /// <summary>The rows to train on and the held-out validation rows (null without early stopping).</summary>
    private static (Dataset Fit, Dataset? Validation) HoldOutValidation(Dataset train, TrainingOptions options)
    {
        if (options.EarlyStopping is not EarlyStopping stopping) return (train, null);
        try
        {
            return train.StratifiedSplit(stopping.ValidationFraction, options.Seed);
        }
        catch (ArgumentException e)
        {
            // The split's reason without the name of its own parameter.
            string reason = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            throw new ArgumentException(
                $"Early stopping cannot hold out {stopping.ValidationFraction} of the {train.Count} training rows for validation (EarlyStopping.ValidationFraction): {reason}", nameof(options), e);
        }
    }
}
