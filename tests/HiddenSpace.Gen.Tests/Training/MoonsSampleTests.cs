using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using HiddenSpace.Samples.Moons;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Training;

/// <summary>The main job end to end: the Moons sample as users run it, its figures and its files.</summary>
public sealed class MoonsSampleTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _directory = new("moons");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TrainsToTheTargetsAndWritesFilesThatParse()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = MoonsProgram.Run(["--out", _directory.Path], stdout, stderr);
        output.WriteLine(stdout.ToString());
        Assert.Equal("", stderr.ToString());
        Assert.Equal(0, exitCode);

        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(_directory.Combine("summary.json")));
        JsonElement root = summary.RootElement;
        Assert.Equal("moons", root.GetProperty("dataset").GetString());
        Assert.Equal(MoonsProgram.DefaultEpochs, root.GetProperty("epochs").GetInt32());
        Assert.InRange(root.GetProperty("test_accuracy").GetDouble(), 0.97, 1.0);
        Assert.InRange(root.GetProperty("train_accuracy").GetDouble(), 0.97, 1.0);
        JsonElement probes = root.GetProperty("probe_accuracy");
        Assert.InRange(probes.GetProperty("input").GetDouble(), 0.84, 0.92); // moons is not linearly separable in the input plane
        Assert.InRange(probes.GetProperty("Bottleneck").GetDouble(), 0.99, 1.0); // the bottleneck is
        Assert.Equal(MoonsProgram.DefaultEpochs, root.GetProperty("history").GetArrayLength());

        string[] lines = File.ReadAllText(_directory.Combine("bottleneck.csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("row,split,x0,x1,Bottleneck_0,Bottleneck_1,label,prediction", lines[0]);
        Assert.Equal(1000, lines.Length - 1);
        var rows = lines.Skip(1).Select(line => line.Split(',')).ToList();
        Assert.All(rows, fields => Assert.Equal(8, fields.Length));
        Assert.Equal(Enumerable.Range(0, 1000), rows.Select(fields => int.Parse(fields[0], CultureInfo.InvariantCulture)).Order()); // every source row once
        Dataset moons = Datasets.Moons(1000, 0.1, seed: 0);
        Assert.All(rows, fields =>
        {
            int row = int.Parse(fields[0], CultureInfo.InvariantCulture);
            Assert.Equal(moons.Row(row)[0], float.Parse(fields[2], CultureInfo.InvariantCulture));
            Assert.Equal(moons.Labels[row], int.Parse(fields[6], CultureInfo.InvariantCulture));
        });
        Assert.Equal(300, rows.Count(fields => fields[1] == "test"));
        Assert.All(rows, fields => Assert.InRange(float.Parse(fields[4], CultureInfo.InvariantCulture), -1f, 1f)); // tanh units
        double csvTestAccuracy = rows.Where(f => f[1] == "test").Average(f => f[6] == f[7] ? 1.0 : 0.0);
        Assert.Equal(root.GetProperty("test_accuracy").GetDouble(), csvTestAccuracy, 9);

        foreach (string svg in new[] { "bottleneck.svg", "input.svg" })
        {
            XDocument document = XDocument.Parse(File.ReadAllText(_directory.Combine(svg)));
            List<XElement> points = document.Descendants().Where(e => e.Name.LocalName == "circle" && (string?)e.Attribute("class") == "point").ToList();
            Assert.Equal(1000, points.Count);
        }
        Assert.Contains(XDocument.Load(_directory.Combine("bottleneck.svg")).Descendants(), e => (string?)e.Attribute("class") == "decision-line");
        Assert.Empty(Directory.GetFiles(_directory.Path, "*.tmp"));
    }

    [Theory]
    [InlineData(new[] { "--epochs", "0" }, "--epochs must be a whole number of at least 1, not '0'.")]
    [InlineData(new[] { "--seed" }, "--seed needs a value.")]
    [InlineData(new[] { "--colour", "red" }, "unknown argument '--colour'.")]
    public void BadArgumentsExitWithCodeTwoAndOneClearLine(string[] args, string expected)
    {
        var stderr = new StringWriter();
        Assert.Equal(2, MoonsProgram.Run(args, new StringWriter(), stderr));
        Assert.StartsWith("error: " + expected, stderr.ToString());
        Assert.Single(stderr.ToString().TrimEnd().Split('\n'));
    }

    [Fact]
    public void AnOutputPathThatIsAFileFailsWithItsName()
    {
        _directory.Create();
        string blocker = _directory.Combine("blocker");
        File.WriteAllText(blocker, "not a directory");
        var stderr = new StringWriter();
        Assert.Equal(2, MoonsProgram.Run(["--out", Path.Combine(blocker, "out"), "--epochs", "1"], new StringWriter(), stderr));
        Assert.Contains(blocker, stderr.ToString());
    }
}
