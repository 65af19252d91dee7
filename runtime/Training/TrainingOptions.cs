using System;
using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>How a training run is set up.</summary>
/// <param name="Epochs">Passes over the training set, ≥ 1.</param>
/// <param name="BatchSize">Samples per update, ≥ 1 (the last batch of an epoch may be smaller).</param>
/// <param name="Optimizer">Update rule and hyper-parameters.</param>
/// <param name="Seed">Seeds the shuffling: epoch e's order depends only on (Seed, e), so a run resumed at an epoch
/// (see <see cref="TrainingOptions.StartEpoch"/>) sees the same batches as an uninterrupted one.</param>
public sealed record TrainingOptions(int Epochs = 100, int BatchSize = 32, OptimizerSettings? Optimizer = null, int Seed = 0)
{
    /// <summary>Batches of at least this many rows are split across <see cref="Workers"/> threads.</summary>
    public const int DefaultParallelBatchThreshold = 1024;

    /// <summary>
    /// Threads that compute the gradients of one large batch (each on its own shard, summed in a fixed order,
    /// so a given worker count always gives the same weights). 0 (the default) uses every core.
    /// </summary>
    public int Workers { get; init; }

    /// <summary>
    /// The number of the first epoch to run (1 by default). To resume a run saved after epoch k with
    /// <see cref="WeightsFile"/> (parameters and optimizer state), load it and train with StartEpoch = k + 1 and
    /// the same optimizer: the result is bit-identical to the uninterrupted run.
    /// </summary>
    public int StartEpoch { get; init; } = 1;

    /// <summary>The smallest batch that is split across workers; smaller ones run on the calling thread.</summary>
    public int ParallelBatchThreshold { get; init; } = DefaultParallelBatchThreshold;

    /// <summary>
    /// The smallest network whose gradient sum and optimizer step the workers split between them. A round of a
    /// two-member team costs ~1.9 µs, a keeping Adam step 2.1 µs on 8,192 parameters, 3.7 on 16,384, 7.9 on 32,768
    /// and 28 on 109,386 (Zen 5, probe): from 32,768 on, half a step saves twice what the round costs. With two
    /// workers, 784-128-64-10 at batch 1,024 then trains 4–6 % faster (median epochs over 20 runs, three processes).
    /// </summary>
    internal const int DefaultSplitStepParameters = 32_768;

    /// <summary>The smallest network whose gradient sum and optimizer step the workers split (tests turn it off to compare).</summary>
    internal int SplitStepParameters { get; init; } = DefaultSplitStepParameters;

    /// <summary>The worker count in force: <see cref="Workers"/>, or the number of cores when it is 0.</summary>
    public int WorkersOrDefault => Workers > 0 ? Workers : Environment.ProcessorCount;

    /// <summary>The learning rate per epoch as a factor of the optimizer's; null for a constant rate.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Hold out part of the training rows and stop when their loss stops falling, keeping the best epoch's weights; null to train every epoch.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>
    /// One weight per class (finite, &gt; 0) for imbalanced labels, e.g. <see cref="HiddenSpace.ClassWeights.Balanced"/>; null
    /// weighs every row the same. Classification only.
    /// </summary>
    public IReadOnlyList<float>? ClassWeights { get; init; }

    /// <summary>
    /// Regression: train on targets standardised with the training rows' mean and deviation while the network keeps
    /// predicting on the original scale (<see cref="TargetScale"/>; needs a Linear output layer). A run from epoch 1
    /// starts the output layer at the training targets' mean (weights 0); to train on from an output layer already
    /// trained, resume (<see cref="StartEpoch"/> &gt; 1). On by default; ignored for classification.
    /// </summary>
    public bool StandardizeTargets { get; init; } = true;

    /// <summary>The optimizer settings in force (Adam, η = 0.01 when none were given).</summary>
    public OptimizerSettings OptimizerOrDefault => Optimizer ?? new OptimizerSettings();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be at least 1.");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 1.");
        if (StartEpoch < 1 || StartEpoch > Epochs) throw new ArgumentOutOfRangeException(nameof(StartEpoch), StartEpoch, $"StartEpoch must be in 1..Epochs ({Epochs}).");
        if (Workers < 0) throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "Workers must be 0 (all cores) or more.");
        if (ParallelBatchThreshold <= 0) throw new ArgumentOutOfRangeException(nameof(ParallelBatchThreshold), ParallelBatchThreshold, "The parallel batch threshold must be at least 1.");
        OptimizerOrDefault.Validate();
        Schedule?.Validate();
        EarlyStopping?.Validate();
        if (ClassWeights is not null)
            for (int c = 0; c < ClassWeights.Count; c++)
                if (!(ClassWeights[c] > 0f) || !float.IsFinite(ClassWeights[c]))
                    throw new ArgumentOutOfRangeException(nameof(ClassWeights), ClassWeights[c], $"The weight of class {c} must be finite and greater than 0.");
    }
}
