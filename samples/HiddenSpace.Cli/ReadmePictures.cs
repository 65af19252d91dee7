using System;
using System.Collections.Generic;
using System.IO;

namespace HiddenSpace.Cli;

/// <summary>
/// <c>hiddenspace pictures</c>: the README's SVGs, each from a <c>train</c> run with nothing but <c>--data</c> (the
/// defaults, seed 0), copied under a fixed name. The runs use the reference engine: generated code sums in an order
/// that follows the machine's vector width (README, "Determinism"), the reference network's plain loops do not, so the
/// files are the same on every machine (a test compares them with the committed ones).
/// </summary>
public static class ReadmePictures
{
    /// <summary>The runs and the files kept from each: (train arguments, file written by the run, name in the picture directory).</summary>
    public static IReadOnlyList<(string[] Arguments, string File, string Picture)> Pictures { get; } =
    [
        (["--data", "moons"], "input.svg", "moons-input.svg"),
        (["--data", "moons"], "bottleneck.svg", "moons-bottleneck.svg"),
        (["--data", "blobs", "--classes", "4"], "bottleneck.svg", "blobs4-bottleneck.svg"),
        (["--data", "sineridge"], "bottleneck.svg", "sineridge-bottleneck.svg"),
    ];

    /// <summary>Trains each set once in a temporary directory and writes the pictures into <paramref name="directory"/>.</summary>
    public static int Write(string directory, TextWriter stdout, TextWriter stderr)
    {
        string work = Path.Combine(Path.GetTempPath(), "hiddenspace-pictures-" + Guid.NewGuid().ToString("N"));
        try
        {
            var runs = new Dictionary<string, string>();
            foreach ((string[] arguments, string file, string picture) in Pictures)
            {
                string key = string.Join(" ", arguments);
                if (!runs.TryGetValue(key, out string? runDirectory))
                {
                    runDirectory = Path.Combine(work, runs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    int exitCode = CliProgram.Run(["train", .. arguments, "--engine", "reference", "--out", runDirectory], TextWriter.Null, stderr);
                    if (exitCode != CliProgram.Success) return exitCode;
                    runs[key] = runDirectory;
                }
                string target = Path.GetFullPath(Path.Combine(directory, picture));
                AtomicFile.WriteAllText(target, File.ReadAllText(Path.Combine(runDirectory, file)));
                stdout.WriteLine($"{target}  (train {key})");
            }
            return CliProgram.Success;
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }
}
