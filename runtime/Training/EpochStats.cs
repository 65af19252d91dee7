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
