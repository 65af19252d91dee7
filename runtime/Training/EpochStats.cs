namespace HiddenSpace;

/// <summary>
/// Figures after one epoch. Accuracies are NaN for regression, test figures NaN without a test set, validation
/// figures NaN without <see cref="TrainingOptions.EarlyStopping"/>. With early stopping the training figures cover
/// the rows trained on, not the held-out ones. A value type, so an epoch's report allocates nothing.
/// </summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean per-sample training loss over the epoch's updates, each batch's rows measured by its forward pass before its step (in the targets' units for regression).</param>
/// <param name="TrainAccuracy">Share of the epoch's training rows predicted right, measured the same way as the loss (the running accuracy Keras reports, not a second pass after the epoch).</param>
/// <param name="TestLoss">Mean loss on the test set after the epoch.</param>
/// <param name="TestAccuracy">Accuracy on the test set after the epoch.</param>
public readonly record struct EpochStats(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy)
{
    /// <summary>Mean loss on the held-out validation rows after the epoch.</summary>
    public double ValidationLoss { get; init; } = double.NaN;

    /// <summary>Accuracy on the held-out validation rows after the epoch.</summary>
    public double ValidationAccuracy { get; init; } = double.NaN;

    /// <summary>The learning rate of the epoch's updates.</summary>
    public double LearningRate { get; init; } = double.NaN;
}
