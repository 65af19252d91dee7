using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
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
        if (!_tasks.TryGetValue(value.Phase, out ProgressTask? task))
            _tasks[value.Phase] = task = context.AddTask(PhaseDisplay.Name(value.Phase), maxValue: 1);
        task.Value = value.Fraction;
        task.Description = Markup.Escape(PhaseDisplay.Describe(value));
    }
}

/// <summary>How a phase's progress reads.</summary>
internal static class PhaseDisplay
{
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
