using System;
using System.Threading;
using Spectre.Console;

namespace HiddenSpace.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        // Ctrl+C stops training after the current batch; the run still writes its files.
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        return CliProgram.Run(args, Console.Out, Console.Error, AnsiConsole.Console, cancellation.Token);
    }
}
