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

/// <summary>How far a long phase has come, for progress displays.</summary>
/// <param name="Phase">The phase.</param>
/// <param name="Step">What is being done within it, e.g. "pass 2 of 3: means" or "bottleneck.csv".</param>
/// <param name="Done">Units done: bytes of a file pass, rows of an epoch, steps of the analysis.</param>
/// <param name="Total">Units in all.</param>
public readonly record struct PhaseProgress(RunPhase Phase, string Step, long Done, long Total)
{
    /// <summary>Done as a fraction of Total, in [0, 1] (1 when Total is 0).</summary>
    public double Fraction => Total <= 0 ? 1 : System.Math.Clamp((double)Done / Total, 0, 1);
}
