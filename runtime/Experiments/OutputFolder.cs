using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HiddenSpace;

/// <summary>
/// The folder <see cref="BottleneckExperiment"/> writes into. <see cref="Check(string)"/> makes sure, without changing
/// anything, that it is (or can become) a writable folder; <see cref="Prepare"/> then creates it and clears the
/// previous run's files, so a new run never leaves stale files beside its own. Only this library's own files are
/// removed: the names in <see cref="FileNames"/> (and their unfinished temporary files) in a folder marked as an
/// output folder by an earlier run (the hidden file <see cref="MarkerName"/>, or a summary.json of an earlier
/// version). Anything else is left alone, and a folder that holds one of those names without being marked is
/// refused rather than mixed with.
/// </summary>
public static partial class OutputFolder
{
    /// <summary>The files a run writes.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["summary.json", "report.html", "bottleneck.csv", "bottleneck.svg", "input.svg", BottleneckExperiment.WeightsFileName];

    /// <summary>The files a sweep (<see cref="Sweep"/>, written by the tool) writes.</summary>
    public static IReadOnlyList<string> SweepFileNames { get; } = ["sweep.csv", "sweep.html"];

    /// <summary>The empty file that marks a folder as this library's output folder.</summary>
    public const string MarkerName = ".hiddenspace-output";

    /// <summary>Throws unless <paramref name="directory"/> is a folder that can take a run's files (nothing is created or removed).</summary>
    /// <exception cref="IOException">The path is not a folder, a parent is not a folder, the folder is not writable, or it holds files of the same names that no earlier run wrote; the message says which.</exception>
    /// <exception cref="UnauthorizedAccessException">Writing there is not permitted.</exception>
    public static void Check(string directory) => Check(directory, FileNames, input: null);

    /// <summary>
    /// <see cref="Check(string)"/> for a run that writes <paramref name="fileNames"/> and reads the file
    /// <paramref name="input"/> (null for none), which must not be one of the files the run replaces.
    /// </summary>
    /// <exception cref="IOException">As <see cref="Check(string)"/>, or the input is one of the files the run would replace.</exception>
    /// <exception cref="UnauthorizedAccessException">Writing there is not permitted.</exception>
    public static void Check(string directory, IReadOnlyList<string> fileNames, string? input)
    {
        ArgumentNullException.ThrowIfNull(fileNames);
        string full = FullPath(directory);
        if (input is not null)
        {
            string inputPath = Path.GetFullPath(input);
            string? replaced = fileNames.FirstOrDefault(name => string.Equals(Path.Combine(full, name), inputPath, PathComparison));
            if (replaced is not null)
                throw new IOException($"'{full}' is where this run writes {replaced}, and '{inputPath}' is its input; copy the file elsewhere or choose another folder.");
        }
        string existing = full;
        while (!Directory.Exists(existing))
        {
            FileKind kind = FileKinds.Of(existing);
            if (kind != FileKind.Missing)
                throw new IOException(existing == full
                    ? $"'{full}' is {FileKinds.Describe(kind)}, not a folder."
                    : $"Cannot create folder '{full}': '{existing}' is {FileKinds.Describe(kind)}, not a folder.");
            existing = Path.GetDirectoryName(existing) ?? throw new IOException($"Cannot create folder '{full}': no part of the path exists.");
        }
        ProbeWritable(existing, full);
        if (existing != full) return;
        string? foreign = ForeignFile(full, fileNames);
        if (foreign is not null)
            throw new IOException(
                $"'{full}' already holds {foreign}, which no earlier run wrote there (the folder has neither {MarkerName} nor this library's summary.json); choose a new or empty folder, or remove the file.");
    }

    /// <summary>
    /// <see cref="Check(string)"/>, then creates the folder, marks it and deletes the previous run's files; returns the names deleted.
    /// </summary>
    /// <exception cref="IOException">As <see cref="Check(string)"/>, or a file cannot be deleted.</exception>
    /// <exception cref="UnauthorizedAccessException">Writing there is not permitted.</exception>
    public static IReadOnlyList<string> Prepare(string directory)
    {
        Check(directory);
        string full = Mark(directory);
        var deleted = new List<string>();
        foreach (string path in Directory.EnumerateFiles(full))
        {
            string name = Path.GetFileName(path);
            if (!FileNames.Contains(name) && !IsUnfinished(name)) continue;
            File.Delete(path);
            deleted.Add(name);
        }
        deleted.Sort(StringComparer.Ordinal);
        return deleted;
    }

    /// <summary>Creates the folder (after a <see cref="Check(string, IReadOnlyList{string}, string?)"/>) and marks it as an output folder; returns its full path.</summary>
    public static string Mark(string directory)
    {
        string full = FullPath(directory);
        Directory.CreateDirectory(full);
        File.WriteAllBytes(Path.Combine(full, MarkerName), []);
        return full;
    }

    // File names are case-sensitive on Linux and case-insensitive on Windows and (by default) macOS.
    private static StringComparison PathComparison => OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    private static string FullPath(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
    }

    /// <summary>The first of <paramref name="fileNames"/> in an unmarked folder, or null.</summary>
    private static string? ForeignFile(string directory, IReadOnlyList<string> fileNames)
    {
        if (File.Exists(Path.Combine(directory, MarkerName)) || IsOwnSummary(Path.Combine(directory, "summary.json"))) return null;
        return fileNames.FirstOrDefault(name => Path.Exists(Path.Combine(directory, name)));
    }

    private static bool IsOwnSummary(string path)
    {
        if (FileKinds.Of(path) != FileKind.Regular) return false;
        try
        {
            using FileStream stream = File.OpenRead(path);
            using JsonDocument summary = JsonDocument.Parse(stream);
            return summary.RootElement.ValueKind == JsonValueKind.Object
                && summary.RootElement.TryGetProperty("architecture", out JsonElement architecture)
                && architecture.ValueKind == JsonValueKind.String
                && summary.RootElement.TryGetProperty("dataset", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>An <see cref="AtomicFile"/> temporary file of one of <see cref="FileNames"/>, left by a run that was killed.</summary>
    private static bool IsUnfinished(string name)
    {
        Match match = UnfinishedName().Match(name);
        return match.Success && FileNames.Contains(match.Groups[1].Value);
    }

    private static void ProbeWritable(string existing, string full)
    {
        string probe = Path.Combine(existing, $".hiddenspace-probe-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write into '{existing}'{(existing == full ? "" : $" to create '{full}'")}: {e.Message}", e);
        }
    }

    [GeneratedRegex(@"^\.(.+)\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex UnfinishedName();
}
