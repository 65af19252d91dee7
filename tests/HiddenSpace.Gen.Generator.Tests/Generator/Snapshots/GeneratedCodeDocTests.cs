using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;

namespace HiddenSpace.Tests.Generator.Snapshots;

/// <summary>
/// docs/generated-code.md quotes the approved snapshots; every quoted line must still be in them, so the page cannot
/// drift from the code the generator writes. A code block names its snapshot on the line before it
/// (<c>&lt;!-- excerpt: SeedNetworkWithTap --&gt;</c>); inside it, a line starting with "..." stands for lines left out,
/// and every run of lines between such cuts must appear in the snapshot as it is, in order.
/// </summary>
public class GeneratedCodeDocTests
{
    private const string Marker = "<!-- excerpt: ";

    [Fact]
    public void EveryExcerptIsInItsSnapshot()
    {
        string[] page = File.ReadAllLines(Path.Combine(Repository.Root(), "docs", "generated-code.md"));
        int excerpts = 0;
        for (int i = 0; i < page.Length; i++)
        {
            if (!page[i].StartsWith(Marker, StringComparison.Ordinal)) continue;
            string snapshot = page[i].Substring(Marker.Length).TrimEnd(' ', '-', '>');
            Assert.Equal("```csharp", page[i + 1]);
            int end = Array.IndexOf(page, "```", i + 2);
            string[] lines = Snapshot(snapshot);
            int at = 0;
            foreach (string[] run in Runs(page[(i + 2)..end]))
            {
                at = Find(lines, run, at);
                Assert.True(at >= 0, $"docs/generated-code.md line {i + 3}: this run of {run.Length} lines is not in {snapshot} " +
                                     $"(after the runs before it):\n{string.Join("\n", run)}");
                at += run.Length;
            }
            excerpts++;
        }
        Assert.True(excerpts >= 10, $"only {excerpts} marked excerpts: the markers were lost");
    }

    [Fact]
    public void ACutLineOrAChangedLineIsCaught()
    {
        string[] lines = ["a", "b", "c", "d"];
        Assert.Equal(1, Find(lines, ["b", "c"], 0));
        Assert.Equal(-1, Find(lines, ["b", "d"], 0));
        Assert.Equal(-1, Find(lines, ["b"], 2));
        Assert.Equal([["a"], ["c", "d"]], Runs(["a", "    ...  // b", "c", "d"]));
    }

    /// <summary>The block's lines split at the "..." cuts.</summary>
    private static List<string[]> Runs(string[] block)
    {
        var runs = new List<string[]>();
        var run = new List<string>();
        foreach (string line in block)
        {
            if (line.TrimStart().StartsWith("...", StringComparison.Ordinal))
            {
                if (run.Count > 0) runs.Add([.. run]);
                run.Clear();
            }
            else
            {
                run.Add(line);
            }
        }
        if (run.Count > 0) runs.Add([.. run]);
        return runs;
    }

    /// <summary>The first index at or after <paramref name="from"/> where <paramref name="run"/> starts, or -1.</summary>
    private static int Find(string[] lines, string[] run, int from)
    {
        for (int i = from; i + run.Length <= lines.Length; i++)
            if (run.Select((line, k) => lines[i + k] == line).All(equal => equal)) return i;
        return -1;
    }

    private static string[] Snapshot(string name) =>
        File.ReadAllLines(Path.Combine(SnapshotDirectory(), $"GeneratedSourceSnapshotTests.{name}.approved.txt"))
            .Select(line => line.TrimStart('\uFEFF')).ToArray();

    private static string SnapshotDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
