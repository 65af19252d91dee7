using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>
/// Figures after one epoch. Accuracies are NaN for regression, test figures NaN without a test set, validation
/// figures NaN without <see cref="TrainingOptions.EarlyStopping"/>. With early stopping the training figures cover
/// the rows trained on, not the held-out ones.
/// </summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean per-sample training loss over the epoch's updates (in the targets' units for regression).</param>
/// <param name="TrainAccuracy">Accuracy on the training set after the epoch.</param>
/// <param name="TestLoss">Mean loss on the test set after the epoch.</param>
/// <param name="TestAccuracy">Accuracy on the test set after the epoch.</param>
public sealed record EpochStats(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy)
{
    /// <summary>Mean loss on the held-out validation rows after the epoch.</summary>
    public double ValidationLoss { get; init; } = double.NaN;

    /// <summary>Accuracy on the held-out validation rows after the epoch.</summary>
    public double ValidationAccuracy { get; init; } = double.NaN;

    /// <summary>The learning rate of the epoch's updates.</summary>
    public double LearningRate { get; init; } = double.NaN;
}

/// <summary>How a training run ended.</summary>
public enum TrainingOutcome
{
    /// <summary>All epochs ran.</summary>
    Completed,
    /// <summary>The cancellation token fired; the network holds the weights of the last finished update.</summary>
    Cancelled,
    /// <summary>The loss or a parameter became NaN or infinite; the network holds the last finite weights.</summary>
    Diverged,
}

/// <summary>The per-epoch figures of a run and how it ended.</summary>
public sealed class TrainingHistory
{
    internal TrainingHistory(List<EpochStats> epochs, TrainingOutcome outcome, string message, TargetScale? targetScale = null, int? bestEpoch = null, bool stoppedEarly = false)
    {
        Epochs = epochs;
        Outcome = outcome;
        Message = message;
        TargetScale = targetScale;
        BestEpoch = bestEpoch;
        StoppedEarly = stoppedEarly;
    }

    /// <summary>One entry per finished epoch.</summary>
    public IReadOnlyList<EpochStats> Epochs { get; }

    /// <summary>How the run ended.</summary>
    public TrainingOutcome Outcome { get; }

    /// <summary>A sentence saying how the run ended (for divergence: the epoch and step; with early stopping: the epoch whose weights the network holds).</summary>
    public string Message { get; }

    /// <summary>Regression: the target statistics the network was trained with (it predicts on the original scale); null otherwise.</summary>
    public TargetScale? TargetScale { get; }

    /// <summary>With early stopping: the epoch of the lowest validation loss, whose weights the network holds after a completed run; else null.</summary>
    public int? BestEpoch { get; }

    /// <summary>Whether early stopping ended the run before the last epoch (the outcome is still <see cref="TrainingOutcome.Completed"/>).</summary>
    public bool StoppedEarly { get; }
}
