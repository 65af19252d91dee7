using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using HiddenSpace.Cli;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Cli;

/// <summary>The <c>hiddenspace</c> tool end to end, in-process, on small runs.</summary>
public sealed class CliTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hsg-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void BinaryBuiltInSetWritesEveryFileAndTheReportHasOneFramePerEpoch()
    {
        string outDir = Path.Combine(_directory, "moons");
        (int exitCode, string stdout, string stderr) = Run("train", "--data", "moons", "--points", "300", "--epochs", "12", "--out", outDir);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        Assert.Contains("generated code compiled into this tool", stdout);
        foreach (string file in new[] { "summary.json", "report.html", "bottleneck.csv", "bottleneck.svg", "input.svg" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);

        using JsonDocument summary = ReadSummary(outDir);
        JsonElement root = summary.RootElement;
        Assert.Equal("classification", root.GetProperty("task").GetString());
        Assert.Equal(12, root.GetProperty("epochs").GetInt32());
        JsonElement probes = root.GetProperty("probe_accuracy");
        Assert.InRange(probes.GetProperty("input").GetDouble(), 0.5, 1.0);
        Assert.InRange(probes.GetProperty("Bottleneck").GetDouble(), 0.5, 1.0);
        JsonElement separability = root.GetProperty("separability");
        foreach (string layer in new[] { "input", "Bottleneck" })
        {
            JsonElement entry = separability.GetProperty(layer);
            Assert.Contains(entry.GetProperty("separable").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
            Assert.Equal(2, entry.GetProperty("one_vs_rest").GetArrayLength());
            Assert.Equal(1, entry.GetProperty("pairs").GetArrayLength());
        }
        // Moons is not linearly separable in the input plane, whatever the training did.
        Assert.Equal(JsonValueKind.False, separability.GetProperty("input").GetProperty("separable").ValueKind);
        Assert.Equal(12, root.GetProperty("frames").GetArrayLength());

        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        AssertSelfContained(html);
        using JsonDocument report = ReportData(html);
        Assert.Equal(12, report.RootElement.GetProperty("frames").GetArrayLength());
        JsonElement last = report.RootElement.GetProperty("frames")[11];
        Assert.Equal(12, last.GetProperty("epoch").GetInt32());
        Assert.Equal(300 * 2, last.GetProperty("tap").GetArrayLength());
        Assert.Equal(48 * 48, last.GetProperty("grid").GetString()!.Length);
    }

    [Fact]
    public void BlobsWithThreeClassesAreSeparatedInTheBottleneck()
    {
        string outDir = Path.Combine(_directory, "blobs");
        (int exitCode, _, string stderr) = Run("train", "--data", "blobs", "--classes", "3", "--points", "300", "--epochs", "30", "--out", outDir);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        using JsonDocument summary = ReadSummary(outDir);
        JsonElement root = summary.RootElement;
        Assert.Equal("2-16-16-2-3", root.GetProperty("network").GetString());
        Assert.InRange(root.GetProperty("test_accuracy").GetDouble(), 0.97, 1.0);
        Assert.InRange(root.GetProperty("probe_accuracy").GetProperty("Bottleneck").GetDouble(), 0.97, 1.0);
        JsonElement bottleneck = root.GetProperty("separability").GetProperty("Bottleneck");
        Assert.Equal(3, bottleneck.GetProperty("one_vs_rest").GetArrayLength());
        Assert.Equal(3, bottleneck.GetProperty("pairs").GetArrayLength());
        using JsonDocument report = ReportData(File.ReadAllText(Path.Combine(outDir, "report.html")));
        Assert.Equal(30, report.RootElement.GetProperty("frames").GetArrayLength());
        Assert.Equal(3, report.RootElement.GetProperty("frames")[0].GetProperty("b").GetArrayLength()); // the JS takes the argmax of 3 logits
    }

    [Fact]
    public void IrisCsvRunsOnTheReferenceNetworkAndPrintsTheDeclaration()
    {
        string outDir = Path.Combine(_directory, "iris");
        (int exitCode, string stdout, string stderr) = Run("train", "--data", IrisPath(), "--epochs", "100", "--out", outDir);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        Assert.Contains("[Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy)]", stdout);
        Assert.Contains("[Dense(2, Activation.Tanh, Tap = \"Bottleneck\")]", stdout);
        using JsonDocument summary = ReadSummary(outDir);
        JsonElement root = summary.RootElement;
        Assert.Equal("4-16-16-2-3", root.GetProperty("network").GetString());
        Assert.InRange(root.GetProperty("test_accuracy").GetDouble(), 0.9, 1.0);
        Assert.InRange(root.GetProperty("probe_accuracy").GetProperty("Bottleneck").GetDouble(), 0.9, 1.0);
        Assert.Equal("LinearProgram", root.GetProperty("separability").GetProperty("input").GetProperty("method").GetString());
        JsonElement standardization = root.GetProperty("standardization");
        Assert.Equal("train", standardization.GetProperty("fitted_on").GetString());
        Assert.Equal(4, standardization.GetProperty("means").GetArrayLength());
        Assert.Equal(4, standardization.GetProperty("deviations").GetArrayLength());
        Assert.False(File.Exists(Path.Combine(outDir, "input.svg"))); // 4 inputs: no input plane
        using JsonDocument report = ReportData(File.ReadAllText(Path.Combine(outDir, "report.html")));
        Assert.Equal(51, report.RootElement.GetProperty("frames").GetArrayLength()); // epochs 1, 3, …, 99 and 100
        Assert.Equal(JsonValueKind.Null, report.RootElement.GetProperty("input").ValueKind);
    }

    [Fact]
    public void RegressionBottleneckExplainsTheTargetLinearlyWhereTheInputCannot()
    {
        string outDir = Path.Combine(_directory, "sineridge");
        (int exitCode, _, string stderr) = Run("train", "--data", "sineridge", "--task", "regress", "--points", "600", "--epochs", "40", "--out", outDir);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        using JsonDocument summary = ReadSummary(outDir);
        JsonElement root = summary.RootElement;
        Assert.Equal("regression", root.GetProperty("task").GetString());
        Assert.InRange(root.GetProperty("test_r_squared").GetDouble(), 0.8, 1.0);
        JsonElement r2 = root.GetProperty("r_squared");
        Assert.InRange(r2.GetProperty("input").GetDouble(), -0.1, 0.1); // sin(x0)·cos(x1) has no linear trend
        Assert.InRange(r2.GetProperty("Bottleneck").GetDouble(), 0.8, 1.0);
        Assert.False(root.TryGetProperty("probe_accuracy", out _));
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        AssertSelfContained(html);
        using JsonDocument report = ReportData(html);
        Assert.Equal(40, report.RootElement.GetProperty("frames").GetArrayLength());
        Assert.Equal(600, report.RootElement.GetProperty("targets").GetArrayLength());
    }

    [Theory]
    [InlineData("--data|nope", "--data: unknown data set 'nope'")]
    [InlineData("--data|moons|--lr|-1", "--lr must be a positive number a float can hold (1.4e-45 to 3.4e38), not '-1'.")]
    [InlineData("--data|moons|--hidden|abc", "--hidden must be comma-separated layer widths")]
    [InlineData("--data|moons|--epochs|x", "--epochs must be a whole number of at least 1, not 'x'.")]
    [InlineData("--data|moons|--optimizer|rmsprop", "--optimizer")]
    [InlineData("--data|moons|--task|regress", "--task regress needs a regression set")]
    [InlineData("--data|no-such-file.csv", "--data: no such file")]
    [InlineData("--epochs|3", "Option '--data' is required.")]
    public void BadArgumentsFailWithOneLineNamingTheProblem(string arguments, string expected)
    {
        (int exitCode, _, string stderr) = Run(["train", .. arguments.Split('|'), "--out", _directory]);
        Assert.Equal(CliProgram.BadInput, exitCode);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("error: ", stderr);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public void ACsvWithABadCellFailsNamingFileLineAndColumn()
    {
        Directory.CreateDirectory(_directory);
        string csv = Path.Combine(_directory, "bad.csv");
        File.WriteAllText(csv, "x0,x1,label\n1,2,0\n1,abc,1\n");
        (int exitCode, _, string stderr) = Run("train", "--data", csv, "--out", _directory);
        Assert.Equal(CliProgram.BadInput, exitCode);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("bad.csv, line 3, column 'x1': 'abc' is not a number", stderr);
    }

    [Fact]
    public void AColumnNamedLikeMarkupIsEscapedInTheReport()
    {
        Directory.CreateDirectory(_directory);
        string csv = Path.Combine(_directory, "evil.csv");
        var rows = Enumerable.Range(0, 40).Select(i => $"{i % 7 * 0.5},{i % 5 - 2},{(i % 7 * 0.5 > 1.5 ? 1 : 0)}");
        File.WriteAllText(csv, "<script>alert(1)</script>,x1 & <b>,label\n" + string.Join("\n", rows) + "\n");
        string outDir = Path.Combine(_directory, "evil");
        (int exitCode, _, string stderr) = Run("train", "--data", csv, "--epochs", "3", "--out", outDir);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e", html);
        Assert.Equal(2, CountOf(html, "<script")); // the data element and the page script, nothing else
        using JsonDocument report = ReportData(html);
        Assert.Equal("<script>alert(1)</script>", report.RootElement.GetProperty("featureNames")[0].GetString());
        Assert.Equal("x1 & <b>", report.RootElement.GetProperty("featureNames")[1].GetString());
    }

    [Fact]
    public void ACancelledRunStillWritesTheQuickFilesAndExits130()
    {
        string outDir = Path.Combine(_directory, "cancelled");
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = CliProgram.Run(["train", "--data", "xor", "--points", "200", "--epochs", "5", "--out", outDir], stdout, stderr, cancellationToken: cancellation.Token);
        Assert.Equal(CliProgram.Cancelled, exitCode);
        Assert.StartsWith("error: cancelled: ", stderr.ToString());
        Assert.Single(stderr.ToString().TrimEnd().Split('\n'));
        using JsonDocument summary = ReadSummary(outDir);
        Assert.Equal("Cancelled", summary.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(0, summary.RootElement.GetProperty("epochs").GetInt32());
        using JsonDocument report = ReportData(File.ReadAllText(Path.Combine(outDir, "report.html")));
        Assert.Equal(0, report.RootElement.GetProperty("frames")[0].GetProperty("epoch").GetInt32()); // the initial weights
        // Only the quick files: no analysis, no pass over every row.
        Assert.False(File.Exists(Path.Combine(outDir, "bottleneck.csv")));
        Assert.Empty(summary.RootElement.GetProperty("probe_accuracy").EnumerateObject());
    }

    [Fact]
    public void HelpListsEveryOption()
    {
        (int exitCode, string stdout, string stderr) = Run("train", "--help");
        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr);
        foreach (string option in new[] { "--data", "--label", "--task", "--hidden", "--bottleneck", "--activation", "--epochs", "--batch", "--lr", "--optimizer", "--seed", "--classes", "--noise", "--out", "--shuffle-buffer" })
            Assert.Contains(option, stdout);
    }

    private (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = CliProgram.Run(args, stdout, stderr);
        output.WriteLine(stdout.ToString());
        output.WriteLine(stderr.ToString());
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    private static JsonDocument ReadSummary(string directory) => JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "summary.json")));

    private static JsonDocument ReportData(string html)
    {
        const string start = "<script type=\"application/json\" id=\"report-data\">";
        int from = html.IndexOf(start, StringComparison.Ordinal) + start.Length;
        int to = html.IndexOf("</script>", from, StringComparison.Ordinal);
        return JsonDocument.Parse(html[from..to]);
    }

    private static void AssertSelfContained(string html)
    {
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain(" src=", html);
        Assert.DoesNotContain("<link", html);
    }

    private static int CountOf(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal)) count++;
        return count;
    }

    private static string IrisPath()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "samples", "data", "iris.csv");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("samples/data/iris.csv not found above " + AppContext.BaseDirectory);
    }
}
