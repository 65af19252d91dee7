using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using Spectre.Console;

namespace HiddenSpace.Cli;

/// <summary>Progress of the long phases (reading, statistics, training rows, analysis, writing) as plain lines, for output that is not a live terminal display.</summary>
/// <remarks>Lines come at most every <see cref="Interval"/>, and a phase that printed one prints its end too, so short phases (and short epochs) stay silent.</remarks>
internal sealed class PhaseLines(TextWriter stdout) : IProgress<PhaseProgress>
{
    /// <summary>The least time between two lines.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HashSet<RunPhase> _printed = [];
    private TimeSpan _last = TimeSpan.Zero;

    public void Report(PhaseProgress value)
    {
        PhaseDisplay.Observe(value);
        if (value.Done >= value.Total)
        {
            if (_printed.Remove(value.Phase)) stdout.WriteLine($"  {PhaseDisplay.Describe(value)}");
            return;
        }
        if (_clock.Elapsed - _last < Interval) return;
        _printed.Add(value.Phase);
        _last = _clock.Elapsed;
        stdout.WriteLine($"  {PhaseDisplay.Describe(value)}");
    }
}

/// <summary>Progress of the long phases as Spectre progress bars, one per phase, inside a live display.</summary>
internal sealed class PhaseTasks(ProgressContext context) : IProgress<PhaseProgress>
{
    private readonly Dictionary<RunPhase, ProgressTask> _tasks = [];

    public void Report(PhaseProgress value)
    {
        PhaseDisplay.Observe(value);
        if (!_tasks.TryGetValue(value.Phase, out ProgressTask? task))
            _tasks[value.Phase] = task = context.AddTask(PhaseDisplay.Name(value.Phase), maxValue: 1);
        task.Value = value.Fraction;
        task.Description = Markup.Escape(PhaseDisplay.Describe(value));
    }
}

/// <summary>How a phase's progress reads.</summary>
internal static class PhaseDisplay
{
    private static int s_writing;

    /// <summary>
    /// Whether the last phase a display was told of is the writing of the output files, the run's last. The forced exit
    /// after Ctrl+C (<see cref="Program"/>) waits while it is: the files a cancelled training writes (summary.json of a
    /// run of millions of epochs holds hundreds of MB) and the lines that list them end by themselves, and a cancelled
    /// bottleneck.csv stops at once.
    /// </summary>
    public static bool Writing => Volatile.Read(ref s_writing) != 0;

    /// <summary>Notes the phase of a report for <see cref="Writing"/>.</summary>
    public static void Observe(PhaseProgress value) => Volatile.Write(ref s_writing, value.Phase == RunPhase.Writing ? 1 : 0);

    public static string Name(RunPhase phase) => phase.ToString().ToLowerInvariant();

    /// <summary>"reading: checking every row, 45% (437 of 970 MB)" and the like.</summary>
    public static string Describe(PhaseProgress value)
    {
        string amount = value.Unit == ProgressUnit.Bytes
            ? string.Create(CultureInfo.InvariantCulture, $"{value.Done / 1e6:N0} of {value.Total / 1e6:N0} MB")
            : string.Create(CultureInfo.InvariantCulture, $"{value.Done:N0} of {value.Total:N0} {value.Unit.ToString().ToLowerInvariant()}");
        return string.Create(CultureInfo.InvariantCulture, $"{Name(value.Phase)}: {value.Step}, {value.Fraction:0%} ({amount})");
    }
}
