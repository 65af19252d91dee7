using System;
using System.Threading;
using HiddenSpace.Samples.Moons;

using var cancellation = new CancellationTokenSource();
// Ctrl+C stops training after the current batch; the quick files are still written, and the exit code is 130.
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
return MoonsProgram.Run(args, Console.Out, Console.Error, cancellation.Token);
