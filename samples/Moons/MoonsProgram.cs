using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;

namespace HiddenSpace.Samples.Moons;

/// <summary>
/// The main job: train <see cref="MoonsNet"/> on two interleaved half-moons (1,000 points, noise 0.1) and
/// write what its 2-unit bottleneck made of them to <c>out/moons/</c>.
/// </summary>
public static class MoonsProgram
{
    /// <summary>Default number of epochs (Adam, learning rate 0.01, batch 32).</summary>
    public const int DefaultEpochs = 200;

    private const string Usage = "usage: Moons [--out DIR] [--epochs N] [--seed N]";

    /// <summary>Exit code when Ctrl+C cancelled the run (128 + SIGINT).</summary>
    public const int Cancelled = 130;

    /// <summary>
    /// Runs the sample; returns the process exit code, as the hiddenspace tool does: 0 success, 1 training diverged or a
    /// file could not be written, 2 bad arguments (an unusable --out included, found before training), 130 cancelled.
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        string outputDirectory = Path.Combine("out", "moons");
        int epochs = DefaultEpochs, seed = 0;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name is "--help" or "-h")
            {
                stdout.WriteLine(Usage);
                return 0;
            }
            if (name is not ("--out" or "--epochs" or "--seed"))
                return Fail(stderr, $"unknown argument '{name}'. {Usage}");
            if (i + 1 >= args.Length)
                return Fail(stderr, $"{name} needs a value. {Usage}");
            string value = args[++i];
            switch (name)
            {
                case "--out":
                    outputDirectory = value;
                    break;
                case "--epochs" when !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out epochs) || epochs <= 0:
                    return Fail(stderr, $"--epochs must be a whole number of at least 1, not '{value}'.");
                case "--seed" when !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seed):
                    return Fail(stderr, $"--seed must be a whole number, not '{value}'.");
            }
        }

        try
        {
            OutputFolder.Check(outputDirectory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Fail(stderr, $"--out: {exception.Message}");
        }

        Dataset data = Datasets.Moons(1000, noise: 0.1, seed: seed);
        (Dataset train, Dataset test) = data.StratifiedSplit(testFraction: 0.3, seed: seed);
        var network = new MoonsNet(seed);
        var options = new TrainingOptions(Epochs: epochs, BatchSize: 32, new OptimizerSettings(OptimizerKind.Adam, LearningRate: 0.01f), Seed: seed);

        var clock = Stopwatch.StartNew();
        ExperimentResult result;
        try
        {
            result = BottleneckExperiment.Run(network, train, test, options, outputDirectory, cancellationToken: cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine("error: " + exception.Message);
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stderr.WriteLine("error: cancelled.");
            return Cancelled;
        }
        clock.Stop();

        stdout.WriteLine($"HiddenSpace.Gen: moons ({data.Count} points, noise 0.1), network {result.Network.Widths()}, {result.History.Epochs.Count} epochs, {clock.Elapsed.TotalSeconds:0.0} s");
        stdout.WriteLine($"  {"train accuracy",-28}{result.TrainAccuracy:0.000}");
        stdout.WriteLine($"  {"test accuracy",-28}{result.TestAccuracy:0.000}");
        stdout.WriteLine("  " + result.Claim);
        stdout.WriteLine("  linear probe accuracy (fitted on train, scored on test):");
        foreach (KeyValuePair<string, double> probe in result.ProbeAccuracy)
            stdout.WriteLine($"    {probe.Key,-26}{probe.Value:0.000}");
        stdout.WriteLine("Wrote:");
        foreach (string file in result.FilesWritten) stdout.WriteLine("  " + file);
        if (result.History.Outcome != TrainingOutcome.Completed)
        {
            stderr.WriteLine("error: " + result.History.Message);
            return result.History.Outcome == TrainingOutcome.Cancelled ? Cancelled : 1;
        }
        return 0;
    }

    private static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine("error: " + message);
        return 2;
    }
}
