using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>Figures after one epoch. Accuracies are NaN for regression, test figures NaN without a test set.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean per-sample training loss over the epoch's updates.</param>
/// <param name="TrainAccuracy">Accuracy on the training set after the epoch.</param>
/// <param name="TestLoss">Mean loss on the test set after the epoch.</param>
/// <param name="TestAccuracy">Accuracy on the test set after the epoch.</param>
public sealed record EpochStats(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy);

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
    internal TrainingHistory(List<EpochStats> epochs, TrainingOutcome outcome, string message)
    {
        Epochs = epochs;
        Outcome = outcome;
        Message = message;
    }

    /// <summary>One entry per finished epoch.</summary>
    public IReadOnlyList<EpochStats> Epochs { get; }

    /// <summary>How the run ended.</summary>
    public TrainingOutcome Outcome { get; }

    /// <summary>A sentence saying how the run ended (for divergence: the epoch and step).</summary>
    public string Message { get; }
}
