using System;

namespace HiddenSpace;

/// <summary>
/// Early stopping: <see cref="Trainer"/> holds out <see cref="ValidationFraction"/> of the training rows (stratified
/// by class, seeded by <see cref="TrainingOptions.Seed"/>) and trains on the rest. After every epoch it measures the
/// loss on the held-out rows; it stops when that loss has not fallen below its lowest value for
/// <see cref="Patience"/> epochs, and in any case ends by putting back the exact weights of the epoch with the
/// lowest validation loss (<see cref="TrainingHistory.BestEpoch"/>). The optimizer keeps the state of the last
/// epoch run. A run resumed with <see cref="TrainingOptions.StartEpoch"/> starts counting afresh.
/// </summary>
/// <param name="ValidationFraction">Share of each class of the training rows held out, in (0, 1).</param>
/// <param name="Patience">Epochs without a new lowest validation loss before stopping, ≥ 1.</param>
public sealed record EarlyStopping(double ValidationFraction = 0.2, int Patience = 20)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (!(ValidationFraction > 0 && ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "The validation fraction must be in (0, 1).");
        if (Patience < 1)
            throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "The patience must be at least 1 epoch.");
    }
}
