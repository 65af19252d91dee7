using System;

namespace HiddenSpace;

/// <summary>How the learning rate decays after the warm-up.</summary>
public enum ScheduleKind
{
    /// <summary>No decay: the optimizer's learning rate throughout.</summary>
    Constant,
    /// <summary>Multiplied by <see cref="LearningRateSchedule.StepFactor"/> every <see cref="LearningRateSchedule.StepEpochs"/> epochs.</summary>
    Step,
    /// <summary>Half a cosine from the full rate down towards 0 over the epochs after the warm-up.</summary>
    Cosine,
}

/// <summary>
/// The learning rate of each epoch as a factor of the optimizer's: a linear warm-up over the first
/// <see cref="WarmupEpochs"/> epochs (factor e / W in epoch e), then the decay of <see cref="Kind"/> over the
/// remaining epochs, counted k = 1, 2, … from the first epoch after the warm-up:
/// <list type="bullet">
/// <item><see cref="ScheduleKind.Constant"/>: 1;</item>
/// <item><see cref="ScheduleKind.Step"/>: StepFactor^⌊(k − 1) / StepEpochs⌋;</item>
/// <item><see cref="ScheduleKind.Cosine"/>: ½·(1 + cos(π·(k − 1) / D)), D the number of epochs after the warm-up
/// (1 in its first epoch, above 0 in its last).</item>
/// </list>
/// The factor depends only on the epoch number and the run's length, so a run resumed at an epoch
/// (<see cref="TrainingOptions.StartEpoch"/>) uses the same rates as an uninterrupted one.
/// </summary>
/// <param name="Kind">The decay after the warm-up.</param>
/// <param name="WarmupEpochs">Epochs of linear warm-up, ≥ 0 (0: none).</param>
/// <param name="StepEpochs">For <see cref="ScheduleKind.Step"/>: epochs between decays, ≥ 1.</param>
/// <param name="StepFactor">For <see cref="ScheduleKind.Step"/>: the factor applied at each decay, in (0, 1].</param>
public sealed record LearningRateSchedule(ScheduleKind Kind = ScheduleKind.Constant, int WarmupEpochs = 0, int StepEpochs = 10, double StepFactor = 0.5)
{
    /// <summary>The factor for <paramref name="epoch"/> (1-based) of a run of <paramref name="epochs"/> epochs.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is not in 1..<paramref name="epochs"/>.</exception>
    public double Factor(int epoch, int epochs)
    {
        if (epoch < 1 || epoch > epochs)
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, $"The epoch must be in 1..{epochs}.");
        if (epoch <= WarmupEpochs) return (double)epoch / WarmupEpochs;
        int k = epoch - WarmupEpochs, decayEpochs = epochs - WarmupEpochs;
        return Kind switch
        {
            ScheduleKind.Step => Math.Pow(StepFactor, (k - 1) / StepEpochs),
            ScheduleKind.Cosine => 0.5 * (1 + Math.Cos(Math.PI * (k - 1) / decayEpochs)),
            _ => 1,
        };
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Not a defined ScheduleKind.");
        if (WarmupEpochs < 0)
            throw new ArgumentOutOfRangeException(nameof(WarmupEpochs), WarmupEpochs, "The warm-up must be 0 or more epochs.");
        if (StepEpochs < 1)
            throw new ArgumentOutOfRangeException(nameof(StepEpochs), StepEpochs, "The step interval must be at least 1 epoch.");
        if (!(StepFactor > 0 && StepFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(StepFactor), StepFactor, "The step factor must be in (0, 1].");
    }
}
