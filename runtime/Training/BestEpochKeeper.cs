using System;

namespace HiddenSpace;

/// <summary>Remembers the weights of the epoch with the lowest validation loss so far.</summary>
internal sealed class BestEpochKeeper(EarlyStopping settings, int parameterCount)
{
    private readonly float[] _best = new float[parameterCount];

    /// <summary>The epoch whose weights are kept; 0 before the first finite validation loss.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Its validation loss.</summary>
    public double BestLoss { get; private set; } = double.PositiveInfinity;

    /// <summary>Records an epoch; returns true when training should stop.</summary>
    public bool Observe(int epoch, double validationLoss, ReadOnlySpan<float> parameters)
    {
        if (validationLoss < BestLoss)
        {
            BestLoss = validationLoss;
            BestEpoch = epoch;
            parameters.CopyTo(_best);
        }
        return BestEpoch > 0 && epoch - BestEpoch >= settings.Patience;
    }

    /// <summary>Puts the kept weights back, if any.</summary>
    public void Restore(Span<float> parameters)
    {
        if (BestEpoch > 0) _best.CopyTo(parameters);
    }
}
