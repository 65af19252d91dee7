namespace HiddenSpace;

/// <summary>The long phases of a run, in order.</summary>
public enum RunPhase
{
    /// <summary>Reading and checking the data (a pass over the file).</summary>
    Reading,
    /// <summary>Taking the train split's statistics and the samples (passes over the file).</summary>
    Statistics,
    /// <summary>Training (epochs).</summary>
    Training,
    /// <summary>Measuring the input and the taps (probes, fits, separability).</summary>
    Analysis,
    /// <summary>Writing the output files.</summary>
    Writing,
}

/// <summary>What <see cref="PhaseProgress.Done"/> and <see cref="PhaseProgress.Total"/> count.</summary>
public enum ProgressUnit
{
    /// <summary>Bytes of a file pass.</summary>
    Bytes,
    /// <summary>Rows (of an epoch, or written).</summary>
    Rows,
    /// <summary>Epochs.</summary>
    Epochs,
    /// <summary>Representations measured (the input, then each tap).</summary>
    Representations,
    /// <summary>Output files (the writing phase's start and end).</summary>
    Files,
}

/// <summary>How far a long phase has come, for progress displays.</summary>
/// <param name="Phase">The phase.</param>
/// <param name="Step">What is being done within it, e.g. "pass 2 of 3: means" or "bottleneck.csv".</param>
/// <param name="Done">Units done.</param>
/// <param name="Total">Units in all.</param>
/// <param name="Unit">What the units are.</param>
public readonly record struct PhaseProgress(RunPhase Phase, string Step, long Done, long Total, ProgressUnit Unit)
{
    /// <summary>Done as a fraction of Total, in [0, 1] (1 when Total is 0).</summary>
    public double Fraction => Total <= 0 ? 1 : System.Math.Clamp((double)Done / Total, 0, 1);
}
