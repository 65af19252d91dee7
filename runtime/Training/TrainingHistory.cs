using System.Collections.Generic;

namespace HiddenSpace;

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
