using System.IO;
using HiddenSpace.Cli;
using Xunit;

namespace HiddenSpace.Tests.Cli;

/// <summary>PhaseDisplay.Writing is process-wide: these tests run alone, after the tests that train through the tool.</summary>
[CollectionDefinition(nameof(PhaseDisplayTests), DisableParallelization = true)]
public sealed class PhaseDisplayCollection;

[Collection(nameof(PhaseDisplayTests))]
public class PhaseDisplayTests
{
    [Fact]
    public void TheForcedExitWaitsFromTheWritingPhaseOnUntilAnotherPhaseStarts()
    {
        // The reports in the order a run gives them.
        var lines = new PhaseLines(TextWriter.Null);
        lines.Report(new PhaseProgress(RunPhase.Training, "epoch 1 of 3", 1, 3, ProgressUnit.Epochs));
        Assert.False(PhaseDisplay.Writing);
        lines.Report(new PhaseProgress(RunPhase.Writing, "files", 0, 1, ProgressUnit.Files));
        Assert.True(PhaseDisplay.Writing);
        lines.Report(new PhaseProgress(RunPhase.Writing, "bottleneck.csv", 10, 100, ProgressUnit.Rows));
        Assert.True(PhaseDisplay.Writing);
        lines.Report(new PhaseProgress(RunPhase.Writing, "done", 1, 1, ProgressUnit.Files));
        Assert.True(PhaseDisplay.Writing); // what follows is the tool listing the files: it ends by itself
        lines.Report(new PhaseProgress(RunPhase.Analysis, "input", 0, 2, ProgressUnit.Representations));
        Assert.False(PhaseDisplay.Writing);
    }
}
