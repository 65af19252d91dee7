using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using HiddenSpace.Cli;
using HiddenSpace.Tests.Compiler;
using HiddenSpace.Tests.Export;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Cli;

/// <summary><c>hiddenspace sweep</c> end to end, in-process, on small grids (200 points, a few epochs).</summary>
public sealed class SweepTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>2 hidden-layer choices × 2 bottleneck widths × 2 seeds: 8 runs of 4 architectures.</summary>
    private static readonly string[] Grid = ["--data", "moons", "--points", "200", "--epochs", "8", "--hidden", "4;16,16", "--bottlenecks", "1,2", "--seeds", "2"];

    private readonly TempDirectory _directory = new("sweep");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TheCsvHasEveryRunInGridOrderWithTheFiguresTrainReportsForTheSameSettings()
    {
        string outDir = _directory.Combine("sweep");
        (int exitCode, string stdout, string stderr) = Run(["sweep", .. Grid, "--out", outDir]);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        Match networks = Regex.Match(stdout, @"networks: (\d+) compiled \([^)]*\), (\d+) from the cache");
        Assert.True(networks.Success, stdout);
        Assert.Equal(4, int.Parse(networks.Groups[1].Value, CultureInfo.InvariantCulture) + int.Parse(networks.Groups[2].Value, CultureInfo.InvariantCulture));

        List<string[]> rows = ReadCsv(outDir);
        Assert.Equal(SweepCsv.Columns, rows[0]);
        string[][] grid = [.. from hidden in new[] { "4", "16,16" } from bottleneck in new[] { "1", "2" } from seed in new[] { "0", "1" } select new[] { hidden, "relu", bottleneck, seed }];
        Assert.Equal(grid, rows.Skip(1).Select(row => row[..4]));
        Assert.Equal(["2-4-1-1", "2-4-1-1", "2-4-2-1", "2-4-2-1", "2-16-16-1-1", "2-16-16-1-1", "2-16-16-2-1", "2-16-16-2-1"], rows.Skip(1).Select(row => Cell(rows, row, "network")));

        string trainDir = _directory.Combine("train");
        Assert.Equal(0, Run("train", "--data", "moons", "--points", "200", "--epochs", "8", "--hidden", "16,16", "--bottleneck", "2", "--seed", "1", "--out", trainDir).ExitCode);
        using JsonDocument summary = CliTests.ReadSummary(trainDir);
        JsonElement root = summary.RootElement;
        string[] run = rows.Single(row => row[0] == "16,16" && row[2] == "2" && row[3] == "1");
        Assert.Equal(root.GetProperty("network").GetString(), Cell(rows, run, "network"));
        Assert.Equal(root.GetProperty("parameters").GetInt32(), int.Parse(Cell(rows, run, "parameters"), CultureInfo.InvariantCulture));
        Assert.Equal(root.GetProperty("epochs").GetInt32(), int.Parse(Cell(rows, run, "epochs"), CultureInfo.InvariantCulture));
        Assert.Equal(root.GetProperty("test_accuracy").GetDouble(), Number(rows, run, "test_accuracy"));
        Assert.Equal(root.GetProperty("train_accuracy").GetDouble(), Number(rows, run, "train_accuracy"));
        Assert.Equal(root.GetProperty("probe_accuracy").GetProperty("input").GetDouble(), Number(rows, run, "input_probe_accuracy"));
        Assert.Equal(root.GetProperty("probe_accuracy").GetProperty("Bottleneck").GetDouble(), Number(rows, run, "bottleneck_probe_accuracy"));
        foreach ((string split, string column) in new[] { ("separability", "bottleneck"), ("separability_train", "bottleneck_train") })
        {
            JsonElement bottleneck = root.GetProperty(split).GetProperty("Bottleneck");
            Assert.Equal(bottleneck.GetProperty("verdict").GetString(), Cell(rows, run, column + "_verdict"));
            Assert.Equal(bottleneck.GetProperty("separable").GetBoolean() ? "true" : "false", Cell(rows, run, column + "_separable"));
            JsonElement pair = bottleneck.GetProperty("pairs")[0];
            Assert.Equal(pair.GetProperty("fewest_wrong").GetInt32().ToString(CultureInfo.InvariantCulture), Cell(rows, run, column + "_wrong"));
            Assert.Equal(pair.GetProperty("rows").GetInt32().ToString(CultureInfo.InvariantCulture), Cell(rows, run, column + "_rows"));
        }
        JsonElement input = root.GetProperty("separability").GetProperty("input");
        Assert.Equal(input.GetProperty("verdict").GetString(), Cell(rows, run, "input_verdict"));
        Assert.Equal(input.GetProperty("pairs")[0].GetProperty("fewest_wrong").GetInt32().ToString(CultureInfo.InvariantCulture), Cell(rows, run, "input_wrong"));
        Assert.Equal("", Cell(rows, run, "test_r_squared"));
    }

    [Fact]
    public void TheCsvIsTheSameWhateverTheParallelism()
    {
        string one = _directory.Combine("one"), two = _directory.Combine("two");
        Assert.Equal(0, Run(["sweep", .. Grid, "--parallel", "1", "--out", one]).ExitCode);
        Assert.Equal(0, Run(["sweep", .. Grid, "--parallel", "2", "--out", two]).ExitCode);
        string csv = File.ReadAllText(Path.Combine(one, "sweep.csv"));
        Assert.Equal(9, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(csv, File.ReadAllText(Path.Combine(two, "sweep.csv")));
    }

    [Fact]
    public void TheGridReadsTheSameWithSeparateTokensAsWithSeparators()
    {
        string separators = _directory.Combine("separators"), tokens = _directory.Combine("tokens");
        string[] common = ["sweep", "--data", "moons", "--points", "200", "--epochs", "2", "--seeds", "1"];
        Assert.Equal(0, Run([.. common, "--hidden", "4;16,16", "--bottlenecks", "1,2", "--out", separators]).ExitCode);
        Assert.Equal(0, Run([.. common, "--hidden", "4", "16,16", "--bottlenecks", "1", "2", "--out", tokens]).ExitCode);
        Assert.Equal(5, ReadCsv(separators).Count);
        Assert.Equal(File.ReadAllText(Path.Combine(separators, "sweep.csv")), File.ReadAllText(Path.Combine(tokens, "sweep.csv")));
    }

    [Fact]
    public void WithoutGridOptionsTheGridIsThreeHiddenChoicesByThreeBottlenecksByThreeSeeds()
    {
        string outDir = _directory.Combine("defaults");
        // The reference network: the grid is the point here, not the compiled code.
        (int exitCode, _, string stderr) = Run("sweep", "--data", "moons", "--points", "200", "--epochs", "1", "--engine", "reference", "--out", outDir);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        string[][] grid = [.. from hidden in new[] { "8", "16,16", "32,32" } from bottleneck in new[] { "1", "2", "3" } from seed in new[] { "0", "1", "2" }
                              select new[] { hidden, "relu", bottleneck, seed }];
        Assert.Equal(grid, ReadCsv(outDir).Skip(1).Select(row => row[..4]));
    }

    [Fact]
    public void TheHtmlIsSelfContainedAndItsMediansAndAnswerFollowFromTheCsv()
    {
        string outDir = _directory.Combine("html");
        (int exitCode, string stdout, string stderr) = Run(["sweep", .. Grid, "--out", outDir]);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        List<string[]> rows = ReadCsv(outDir);
        string html = File.ReadAllText(Path.Combine(outDir, "sweep.html"));
        CliTests.AssertSelfContained(html);
        Assert.Equal(2, CliTests.CountOf(html, "<script")); // the data element and the page script
        using JsonDocument document = SweepData(html);
        JsonElement data = document.RootElement;
        Assert.Equal(8, data.GetProperty("planned").GetInt32());
        Assert.Equal(8, data.GetProperty("finished").GetInt32());
        Assert.Equal(8, data.GetProperty("runs").GetArrayLength());
        Assert.Equal(["hidden", "activation", "bottleneck"], data.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        // Oracle: each configuration's median share on the wrong side, and its seeds with none, from the CSV's counts.
        var configurations = rows.Skip(1).GroupBy(row => (Hidden: row[0], Bottleneck: row[2])).ToList();
        JsonElement[] reported = [.. data.GetProperty("configurations").EnumerateArray()];
        Assert.Equal(configurations.Count, reported.Length);
        foreach ((var configuration, JsonElement json) in configurations.Zip(reported))
        {
            Assert.Equal(configuration.Key.Hidden, json.GetProperty("hidden").GetString());
            Assert.Equal(configuration.Key.Bottleneck, json.GetProperty("bottleneck").GetString());
            double[] shares = [.. configuration.Select(row => Number(rows, row, "bottleneck_wrong") / Number(rows, row, "bottleneck_rows")).Order()];
            JsonElement spread = json.GetProperty("figures").GetProperty("bottleneck_wrong");
            Assert.Equal((shares[0] + shares[1]) / 2, spread.GetProperty("median").GetDouble(), 12);
            Assert.Equal(shares[0], spread.GetProperty("min").GetDouble(), 12);
            Assert.Equal(shares[1], spread.GetProperty("max").GetDouble(), 12);
            Assert.Equal(configuration.Count(row => Cell(rows, row, "bottleneck_wrong") == "0"), json.GetProperty("untangled").GetInt32());
        }

        // The answer names the smallest configuration whose bottleneck is separable for both seeds, else the closest.
        string answer = data.GetProperty("answer").GetString()!;
        Assert.Contains(answer, stdout);
        var untangled = configurations.Where(c => c.All(row => Cell(rows, row, "bottleneck_wrong") == "0")).ToList();
        var named = untangled.Count > 0
            ? untangled.MinBy(c => int.Parse(Cell(rows, c.First(), "parameters"), CultureInfo.InvariantCulture))!
            : configurations.MinBy(c => (c.Sum(row => Number(rows, row, "bottleneck_wrong") / Number(rows, row, "bottleneck_rows")),
                int.Parse(Cell(rows, c.First(), "parameters"), CultureInfo.InvariantCulture)))!;
        Assert.StartsWith(untangled.Count > 0 ? "The smallest network whose bottleneck is linearly separable" : "No network in the grid", answer);
        string[] first = named.First();
        Assert.Contains($"hidden {first[0]} relu, bottleneck {first[2]} ({Cell(rows, first, "network")}, {Cell(rows, first, "parameters")} parameters)", answer);
    }

    [Fact]
    public void StringsFromTheDataStayTextInTheHtml()
    {
        _directory.Create();
        string csv = _directory.Combine("evil.csv");
        const string label = "<script>alert(1)</script>";
        var lines = Enumerable.Range(0, 40).Select(i => $"{i % 7 * 0.5},{i % 5 - 2},{(i % 7 * 0.5 > 1.5 ? 1 : 0)}");
        File.WriteAllText(csv, $"x0,x1,{label}\n" + string.Join("\n", lines) + "\n");
        string outDir = _directory.Combine("evil");
        (int exitCode, _, string stderr) = Run("sweep", "--data", csv, "--label", label, "--epochs", "2", "--hidden", "4", "--bottlenecks", "2", "--seeds", "1", "--out", outDir);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        string html = File.ReadAllText(Path.Combine(outDir, "sweep.html"));
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e", html);
        using JsonDocument document = SweepData(html);
        Assert.Contains($"label '{label}'", document.RootElement.GetProperty("data").GetString());
    }

    [Fact]
    public void ARegressionSweepReportsTheR2TrainReports()
    {
        string outDir = _directory.Combine("regression"), trainDir = _directory.Combine("regression-train");
        string[] settings = ["--data", "sineridge", "--points", "200", "--epochs", "8"];
        (int exitCode, string stdout, string stderr) = Run(["sweep", .. settings, "--hidden", "16,16", "--bottlenecks", "2", "--seeds", "1", "--out", outDir]);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        Assert.Contains("The best bottleneck linear fit: R² ", stdout);
        Assert.Equal(0, Run(["train", .. settings, "--out", trainDir]).ExitCode);
        using JsonDocument summary = CliTests.ReadSummary(trainDir);
        JsonElement root = summary.RootElement;
        List<string[]> rows = ReadCsv(outDir);
        string[] run = Assert.Single(rows.Skip(1));
        Assert.Equal(root.GetProperty("test_r_squared").GetDouble(), Number(rows, run, "test_r_squared"));
        Assert.Equal(root.GetProperty("train_r_squared").GetDouble(), Number(rows, run, "train_r_squared"));
        Assert.Equal(root.GetProperty("r_squared").GetProperty("Bottleneck").GetDouble(), Number(rows, run, "bottleneck_r_squared"));
        Assert.Equal(root.GetProperty("r_squared").GetProperty("input").GetDouble(), Number(rows, run, "input_r_squared"));
        foreach (string column in new[] { "test_accuracy", "bottleneck_probe_accuracy", "bottleneck_separable", "bottleneck_verdict", "input_wrong" })
            Assert.Equal("", Cell(rows, run, column));
    }

    [Fact]
    public void TheReferenceEngineRunsWithoutCompiling()
    {
        string outDir = _directory.Combine("reference");
        (int exitCode, string stdout, string stderr) = Run("sweep", "--data", "xor", "--points", "200", "--epochs", "2", "--hidden", "3", "--bottlenecks", "2", "--seeds", "2",
            "--engine", "reference", "--out", outDir);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        Assert.Contains("engine: reference", stdout);
        Assert.DoesNotContain("compiled", stdout);
        Assert.Equal(3, ReadCsv(outDir).Count);
        using JsonDocument document = SweepData(File.ReadAllText(Path.Combine(outDir, "sweep.html")));
        Assert.StartsWith("reference", document.RootElement.GetProperty("engine").GetString());
    }

    [Theory]
    [InlineData("--bottlenecks|0", "--bottlenecks must be widths of at least 1 separated by commas, such as 1,2,3; not '0'.")]
    [InlineData("--bottlenecks|2,2", "--bottlenecks lists 2 twice.")]
    [InlineData("--hidden|8;x", "--hidden must be hidden layers separated by ';' or spaces")]
    [InlineData("--hidden|8|16,16;8", "--hidden lists 8 twice.")]
    [InlineData("--activations|relu,softmax", "--activations must be activations separated by commas from tanh, relu,")]
    [InlineData("--seeds|0", "--seeds must be a whole number of at least 1, not '0'.")]
    [InlineData("--parallel|0", "--parallel must be a whole number of at least 1, not '0'.")]
    [InlineData("--epochs|x", "--epochs must be a whole number of at least 1, not 'x'.")]
    [InlineData("--lr|0", "--lr must be a positive number a float can hold (1.4e-45 to 3.4e38), not '0'.")]
    [InlineData("--task|regress", "--task regress needs a regression set")]
    [InlineData("--class-weights|1,2,3", "--class-weights gives 3 weights but the data has 2 classes.")]
    [InlineData("--hidden|536870898|--bottlenecks|1|--seeds|1", "--hidden 536870898 --bottleneck 1: Layers 0..1 already have")] // 2-536870898-1-1: more parameters than one array holds
    public void BadOptionsFailBeforeAnyTrainingWithOneLineNamingTheOption(string arguments, string expected)
    {
        string outDir = _directory.Combine("bad");
        (int exitCode, string stdout, string stderr) = Run(["sweep", "--data", "moons", "--points", "200", .. arguments.Split('|'), "--out", outDir]);
        Assert.Equal(CliProgram.BadInput, exitCode);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("error: ", stderr);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("[1/", stdout); // no run started
        Assert.False(File.Exists(Path.Combine(outDir, "sweep.csv")));
    }

    [Fact]
    public void AnUnknownDataSetAndAnOutputThatIsAFileFailBeforeAnyTraining()
    {
        _directory.Create();
        string file = _directory.Combine("a-file");
        File.WriteAllText(file, "");
        (int exitCode, _, string stderr) = Run("sweep", "--data", "nope", "--out", _directory.Path);
        Assert.Equal(CliProgram.BadInput, exitCode);
        Assert.StartsWith("error: --data: unknown data set 'nope'", stderr);
        (exitCode, string stdout, stderr) = Run("sweep", "--data", "moons", "--points", "200", "--out", file);
        Assert.Equal(CliProgram.BadInput, exitCode);
        Assert.Equal($"error: --out: '{file}' is a regular file, not a folder.\n", stderr.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("[1/", stdout);
    }

    [Fact]
    public void ACancelledSweepWritesTheRunsThatFinishedAndExits130()
    {
        string outDir = _directory.Combine("cancelled");
        using var cancellation = new CancellationTokenSource();
        // Ctrl+C as the second run's line is printed: with one run at a time, no third run starts.
        var stdout = new CancellingWriter("[2/8]", cancellation);
        var stderr = new StringWriter();
        int exitCode = CliProgram.Run(["sweep", .. Grid, "--parallel", "1", "--out", outDir, "--cache", TestCompiler.CacheDirectory], stdout, stderr,
            cancellationToken: cancellation.Token);
        output.WriteLine(stdout.ToString());
        Assert.Equal(CliProgram.Cancelled, exitCode);
        Assert.Equal("error: cancelled after 2 of 8 runs; sweep.csv and sweep.html hold the runs that finished.\n", stderr.ToString().ReplaceLineEndings("\n"));
        Assert.Equal(3, ReadCsv(outDir).Count);
        using JsonDocument document = SweepData(File.ReadAllText(Path.Combine(outDir, "sweep.html")));
        Assert.Equal(2, document.RootElement.GetProperty("finished").GetInt32());
        Assert.Equal(8, document.RootElement.GetProperty("planned").GetInt32());
    }

    [Fact]
    public void HelpListsTheGridOptions()
    {
        (int exitCode, string stdout, string stderr) = Run("sweep", "--help");
        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr);
        foreach (string option in new[] { "--data", "--hidden", "--activations", "--bottlenecks", "--seeds", "--parallel", "--out", "--epochs", "--engine", "--cache", "--bottleneck-activation" })
            Assert.Contains(option, stdout);
    }

    [Fact]
    public void AFolderWithSomeoneElsesSweepFilesIsRefusedUntouched()
    {
        string outDir = _directory.Combine("theirs");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "sweep.csv"), "their table");
        (int exitCode, string stdout, string stderr) = Run(["sweep", .. Grid, "--out", outDir]);
        Assert.Equal(CliProgram.BadInput, exitCode);
        Assert.Contains($"error: --out: '{Path.GetFullPath(outDir)}' already holds sweep.csv, which no earlier run wrote there", stderr);
        Assert.DoesNotContain("runs in", stdout);
        Assert.Equal(["sweep.csv"], Directory.GetFiles(outDir).Select(Path.GetFileName));
        Assert.Equal("their table", File.ReadAllText(Path.Combine(outDir, "sweep.csv")));
    }

    private (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => CliTests.Run(output, args);

    private static List<string[]> ReadCsv(string directory) => Rfc4180.Read(File.ReadAllText(Path.Combine(directory, "sweep.csv")));

    private static string Cell(List<string[]> rows, string[] row, string column) => row[Array.IndexOf(rows[0], column)];

    private static double Number(List<string[]> rows, string[] row, string column) => double.Parse(Cell(rows, row, column), CultureInfo.InvariantCulture);

    private static JsonDocument SweepData(string html) => CliTests.EmbeddedData(html, "sweep-data");

    /// <summary>A console that presses Ctrl+C once a line containing <paramref name="marker"/> is written.</summary>
    private sealed class CancellingWriter(string marker, CancellationTokenSource cancellation) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.Contains(marker, StringComparison.Ordinal)) cancellation.Cancel();
        }
    }
}
