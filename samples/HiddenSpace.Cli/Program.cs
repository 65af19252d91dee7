using System;
using System.Threading;
using Spectre.Console;

namespace HiddenSpace.Cli;

internal static class Program
{
    private static Timer? s_forcedExit; // held here: an unreferenced timer may be collected before it fires

    private static int Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        // Ctrl+C cancels the phase that is running (training stops after the current batch and the quick files are
        // still written). Every phase checks often; should one not have finished 1.8 s later (a separability program
        // cannot be interrupted), the process ends there: exit within 2 s, as promised. Unfinished temporary files
        // are removed by the next run in the same folder. The output files are the exception: while the run writes
        // them (PhaseDisplay.Writing), the forced exit waits, so that a long run's summary is not lost.
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
            s_forcedExit ??= new Timer(ForceExit, null, TimeSpan.FromSeconds(1.8), Timeout.InfiniteTimeSpan);
        };
        return CliProgram.Run(args, Console.Out, Console.Error, AnsiConsole.Console, cancellation.Token);
    }

    private static void ForceExit(object? state)
    {
        if (PhaseDisplay.Writing)
        {
            s_forcedExit!.Change(TimeSpan.FromMilliseconds(100), Timeout.InfiniteTimeSpan);
            return;
        }
        Console.Error.WriteLine("error: cancelled; stopped at once.");
        Environment.Exit(CliProgram.Cancelled);
    }
}
