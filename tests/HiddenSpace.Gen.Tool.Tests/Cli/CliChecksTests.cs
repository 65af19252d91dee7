using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HiddenSpace.Cli;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Cli;

/// <summary>
/// Failing before the work: every limit is checked before training (exit 2, one line naming the option, nothing
/// left behind); the output folder is cleared of the previous run's files only; the tool's messages name its options.
/// </summary>
public sealed class CliChecksTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _directory = new("checks");

    public void Dispose() => _directory.Dispose();

    private string Csv(string name, string text)
    {
        _directory.Create();
        string path = _directory.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Rows of 2 features whose label is row % <paramref name="classes"/>.</summary>
    private string LabelledCsv(string name, int classes, int rows = 60) =>
        Csv(name, "x0,x1,label\n" + string.Concat(Enumerable.Range(0, rows).Select(i => $"{i % 7},{i % 5},{i % classes}\n")));

    private static string Describe(string[] args) => string.Join(' ', args);

    /// <summary>Runs a case that must fail before training: exit 2, one stderr line with <paramref name="expected"/>, no epoch printed, no output folder.</summary>
    private void AssertFailsBeforeTraining(string[] args, string expected, string outDir)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = CliProgram.Run(["train", .. args, "--out", outDir], stdout, stderr);
        output.WriteLine($"{Describe(args)} -> {exitCode}: {stderr}");
        Assert.Equal(CliProgram.BadInput, exitCode);
        Assert.Single(stderr.ToString().TrimEnd().Split('\n'));
        Assert.StartsWith("error: ", stderr.ToString());
        Assert.Contains(expected, stderr.ToString());
        Assert.DoesNotContain("epoch", stdout.ToString());
        Assert.DoesNotContain("at HiddenSpace", stderr.ToString()); // no stack trace
    }

    /// <summary>Runs a command that must be refused before any work: exit 2, exactly <paramref name="expected"/> on stderr, nothing on stdout.</summary>
    private void AssertRefused(string[] args, string expected)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = CliProgram.Run(args, stdout, stderr);
        output.WriteLine($"{Describe(args)} -> {exitCode}: {stderr}");
        Assert.Equal("error: " + expected, stderr.ToString().TrimEnd());
        Assert.Equal(CliProgram.BadInput, exitCode);
        Assert.Equal("", stdout.ToString());
    }

    [Theory]
    [InlineData("train|--data|moons|--out|", "--out must be the path of a folder, not ''.")]
    [InlineData("train|--data|moons|--out|  ", "--out must be the path of a folder, not ' '.")]
    [InlineData("train|--data|moons|--cache|", "--cache must be the path of a folder, not ''.")]
    [InlineData("train|--data|", "--data: unknown data set ''; use one of moons, circles, xor, spiral, blobs, sineridge or the path of a .csv file.")]
    [InlineData("sweep|--data|moons|--out|", "--out must be the path of a folder, not ''.")]
    [InlineData("generate|--out|", "--out must be the path of a folder, not ''.")] // would write into the current folder
    [InlineData("pictures|--out|", "--out must be the path of a folder, not ''.")]
    [InlineData("export|--weights||--out|a.cs", "--weights must be the path of a file, not ''.")]
    [InlineData("export|--weights|weights.json|--out|", "--out must be the path of a file, not ''.")]
    public void AnEmptyPathIsRefusedNamingItsOption(string arguments, string expected) => AssertRefused(arguments.Split('|'), expected);

    [Theory]
    [InlineData("train|--data|{csv}|--noise|0.1", "--noise applies to the built-in data sets only, not to --data {csv}.")]
    [InlineData("train|--data|{csv}|--points|100", "--points applies to the built-in data sets only, not to --data {csv}.")]
    [InlineData("train|--data|{csv}|--classes|3", "--classes applies to --data blobs only, not to --data {csv}.")]
    [InlineData("train|--data|moons|--classes|3", "--classes applies to --data blobs only, not to --data moons.")]
    [InlineData("train|--data|moons|--validation|0.3", "--validation applies with --early-stopping only; add --early-stopping or leave it out.")]
    [InlineData("train|--data|moons|--patience|5", "--patience applies with --early-stopping only; add --early-stopping or leave it out.")]
    [InlineData("sweep|--data|{csv}|--noise|0.1", "--noise applies to the built-in data sets only, not to --data {csv}.")]
    [InlineData("sweep|--data|moons|--validation|0.3", "--validation applies with --early-stopping only; add --early-stopping or leave it out.")]
    [InlineData("generate|--data|{csv}|--inputs|3", "--inputs applies without --data only; --data {csv} gives the inputs.")]
    [InlineData("generate|--data|moons|--classes|3", "--classes applies to --data blobs only, not to --data moons.")]
    [InlineData("train|--data|moons|--label|y", "--label applies to a CSV file only, not to --data moons.")]
    [InlineData("train|--data|moons|--ignore|id", "--ignore applies to a CSV file only, not to --data moons.")]
    [InlineData("train|--data|moons|--missing|skip", "--missing applies to a CSV file only, not to --data moons.")]
    [InlineData("train|--data|moons|--shuffle-buffer|100", "--shuffle-buffer applies to a CSV file only, not to --data moons.")]
    [InlineData("sweep|--data|moons|--label|y", "--label applies to a CSV file only, not to --data moons.")]
    [InlineData("generate|--data|moons|--label|y", "--label applies to a CSV file only, not to --data moons.")]
    [InlineData("generate|--missing|skip", "--missing applies to a CSV file given as --data only.")]
    [InlineData("train|--data|moons|--step-epochs|10", "--step-epochs applies with --schedule step only; add --schedule step or leave it out.")]
    [InlineData("train|--data|moons|--schedule|cosine|--step-factor|0.1", "--step-factor applies with --schedule step only; add --schedule step or leave it out.")]
    public void AnOptionTheDataOrTheSwitchesLeaveUnusedIsRefusedNotIgnored(string arguments, string expected)
    {
        string csv = LabelledCsv("three.csv", 3);
        string outDir = _directory.Combine("unused");
        AssertRefused([.. arguments.Replace("{csv}", csv).Split('|'), "--out", outDir], expected.Replace("{csv}", csv));
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData("--hidden|65536,65536", "--hidden 65536,65536 --bottleneck 2: Layers 0..1 already have 4295229440 parameters, more than one array holds")]
    [InlineData("--hidden|50000,50000", "--hidden 50000,50000 --bottleneck 2: Layers 0..1 already have 2500200000 parameters")]
    [InlineData("--hidden|46000,46000", "parameters need about")] // 2.1 billion parameters: one array, but about 50 GB with Adam

    [InlineData("--points|2000000000", "--points 2000000000: the built-in sets are made in memory")]
    [InlineData("--epochs|2147483647", "--epochs 2147483647: a run keeps every epoch's figures, about 200 bytes an epoch (429.5 GB)")]
    [InlineData("--lr|1e-50", "--lr must be a positive number a float can hold")]
    public void SizesAndOptionsBeyondTheLimitsFailBeforeTrainingAndLeaveNothingBehind(string arguments, string expected)
    {
        string outDir = _directory.Combine("out");
        AssertFailsBeforeTraining(["--data", "moons", .. arguments.Split('|')], expected, outDir);
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData("generate|--hidden|65536,65536")]
    [InlineData("generate|--data|moons|--hidden|65536,65536")]
    public void GenerateRefusesLayersTooWideForOneArrayAsTrainDoes(string arguments)
    {
        string outDir = _directory.Combine("wide");
        AssertRefused([.. arguments.Split('|'), "--out", outDir],
            "--hidden 65536,65536 --bottleneck 2: Layers 0..1 already have 4295229440 parameters, more than one array holds (2147483591); make the layers narrower.");
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData("train|--data|blobs")]
    [InlineData("generate")]
    [InlineData("generate|--data|blobs")]
    public void GenerateTakesTheClassesTrainTakes(string command) =>
        AssertRefused([.. command.Split('|'), "--classes", "50", "--out", _directory.Combine("fifty")], "--classes must be a whole number in 2..10, not '50'.");

    [Fact]
    public void MoreClassesThanThePlotsColourFailAfterReadingAndBeforeTraining()
    {
        string csv = LabelledCsv("eleven.csv", classes: 11, rows: 110);
        string outDir = _directory.Combine("eleven");
        AssertFailsBeforeTraining(["--data", csv], "--label label: the column holds 11 classes, and the plots and the report colour at most 10", outDir);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void AnOutputPathThatIsAFileADeviceOrUnwritableFailsBeforeTraining()
    {
        string file = Csv("occupied", "mine");
        AssertFailsBeforeTraining(["--data", "moons"], $"--out: '{file}' is a regular file, not a folder.", file);
        Assert.Equal("mine", File.ReadAllText(file));
        AssertFailsBeforeTraining(["--data", "moons"], "--out: '/dev/null' is a device, not a folder.", "/dev/null");
        AssertFailsBeforeTraining(["--data", "moons"], $"is a regular file, not a folder", Path.Combine(file, "below"));
        // /proc refuses new files even to root: the stand-in for a read-only folder.
        string readOnly = Path.Combine("/proc", "hsg-" + Guid.NewGuid().ToString("N"));
        AssertFailsBeforeTraining(["--data", "moons"], "--out: Cannot write into '/proc' to create", readOnly);
        Assert.False(Directory.Exists(readOnly));
    }

    [Fact]
    public void AFolderWithSomeoneElsesFilesOfTheSameNamesIsRefusedUntouched()
    {
        string outDir = _directory.Combine("theirs");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "report.html"), "their report");
        AssertFailsBeforeTraining(["--data", "moons"], "already holds report.html, which no earlier run wrote there", outDir);
        Assert.Equal(["report.html"], Directory.GetFiles(outDir).Select(Path.GetFileName));
    }

    [Fact]
    public void TheDataFileIsNeverOneOfTheFilesTheRunReplaces()
    {
        // A run's bottleneck.csv trained on again in the same folder: the run would delete (streamed) or overwrite
        // (in memory) its own input.
        string outDir = _directory.Combine("again");
        Assert.Equal(0, CliProgram.Run(["train", "--data", "moons", "--points", "100", "--epochs", "2", "--out", outDir], new StringWriter(), new StringWriter()));
        string input = Path.Combine(outDir, "bottleneck.csv");
        byte[] before = File.ReadAllBytes(input);
        foreach (string[] streamed in new[] { Array.Empty<string>(), ["--shuffle-buffer", "5"] })
        {
            AssertFailsBeforeTraining(["--data", input, "--ignore", "row,split,prediction", .. streamed],
                $"--out: '{Path.GetFullPath(outDir)}' is where this run writes bottleneck.csv, and '{Path.GetFullPath(input)}' is its input", outDir);
            Assert.Equal(before, File.ReadAllBytes(input));
        }
    }

    [Fact]
    public void CsvOptionsThatCannotWorkNameTheirOption()
    {
        string csv = LabelledCsv("three.csv", 3);
        AssertFailsBeforeTraining(["--data", csv, "--ignore", "x0,x0"], "--ignore: The column to leave out list names 'x0' twice.", _directory.Combine("a"));
        AssertFailsBeforeTraining(["--data", csv, "--label", " "], "--label: The label column name is empty.", _directory.Combine("b"));

        string two = Csv("two.csv", "x0,x1,label\n1,2,0\n3,4,1\n");
        AssertFailsBeforeTraining(["--data", two],
            $"--data: '{two}' is too small: Test fraction 0.3 of data set 'two' (2 rows) gives an empty test set. The tool tests on 30% of each class's rows (of all rows for regression; --test-fraction)", _directory.Combine("d"));
        AssertFailsBeforeTraining(["--data", "moons", "--points", "10", "--test-fraction", "0.01"],
            "--data: moons with --points 10 is too small: Test fraction 0.01 of data set 'moons' (10 rows) gives an empty test set. The tool tests on 1% of each class's rows", _directory.Combine("e"));
        AssertFailsBeforeTraining(["--data", "moons", "--test-fraction", "1"], "--test-fraction must be a number in (0, 1), not '1'.", _directory.Combine("f"));

        // Too few rows to hold out for early stopping is found once the data is split, before the network is compiled:
        // named as the tool's option.
        var stderr = new StringWriter();
        var stdout = new StringWriter();
        Assert.Equal(CliProgram.BadInput, CliProgram.Run(["train", "--data", csv, "--early-stopping", "--validation", "0.99", "--epochs", "2", "--out", _directory.Combine("c")], stdout, stderr));
        Assert.Single(stderr.ToString().TrimEnd().Split('\n'));
        Assert.Contains("for validation (--validation): ", stderr.ToString());
        Assert.DoesNotContain("engine:", stdout.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", stderr.ToString());
    }

    private static string NotAFile(string path) =>
        $"--data: {path}: this is a pipe or a device, not a file: a data set is read more than once (the encoding, the header and the statistics before the rows), so save it to a file first.";

    [Fact]
    public void APipeAsDataIsRefusedNamingDataNotWithAStackTrace()
    {
        if (!OperatingSystem.IsLinux()) return; // the pipe's path is Linux's /proc/self/fd
        using var pipe = new PipePath("x0,x1,label\n1,2,0\n3,4,1\n");
        string outDir = _directory.Combine("piped");
        AssertFailsBeforeTraining(["--data", pipe.Path], "error: " + NotAFile(pipe.Path), outDir);
        Assert.False(Directory.Exists(outDir));
        AssertRefused(["generate", "--data", pipe.Path, "--out", outDir], NotAFile(pipe.Path));
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task ANamedPipeNoOneWritesIntoIsRefusedWithoutWaitingForAWriter()
    {
        if (!OperatingSystem.IsLinux()) return;
        _directory.Create();
        string fifo = _directory.Combine("fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        string outDir = _directory.Combine("fifo-out");
        // Opening the pipe would wait for a writer for ever: a run that has not answered in 30 s (a TimeoutException) is stuck there.
        await Task.Run(() => AssertFailsBeforeTraining(["--data", fifo], "error: " + NotAFile(fifo), outDir)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void ARunReplacesThePreviousRunsFilesAndNothingElse()
    {
        string outDir = _directory.Combine("reused");
        Assert.Equal(0, CliProgram.Run(["train", "--data", "moons", "--points", "100", "--epochs", "2", "--out", outDir], new StringWriter(), new StringWriter()));
        Assert.True(File.Exists(Path.Combine(outDir, "bottleneck.csv")));
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "mine");
        File.WriteAllText(Path.Combine(outDir, ".report.html.0123456789abcdef0123456789abcdef.tmp"), "left by a killed run");

        var stderr = new StringWriter();
        Assert.Equal(0, CliProgram.Run(["train", "--data", "sineridge", "--points", "100", "--epochs", "2", "--out", outDir], new StringWriter(), stderr));
        Assert.Equal("", stderr.ToString());
        // The regression run writes no bottleneck.csv or input.svg: the classification run's are gone (its own
        // bottleneck.svg, the target's bands on the tap plane, replaces the classifier's).
        Assert.Equal([".hiddenspace-output", "bottleneck.svg", "notes.txt", "report.html", "summary.json", "weights.json"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("sineridge", File.ReadAllText(Path.Combine(outDir, "bottleneck.svg")));
        Assert.Equal(Loss.MeanSquaredError, WeightsFile.ReadText(Path.Combine(outDir, "weights.json")).Shape.Loss);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(outDir, "notes.txt")));
    }

    [Fact]
    public void DataErrorsNameTheToolsOptionsNotTheLibrarys()
    {
        string csv = Csv("houses.csv", "area,price\n80,152.5\n40,225.25\n");
        var stderr = new StringWriter();
        Assert.Equal(CliProgram.BadInput, CliProgram.Run(["train", "--data", csv, "--out", _directory.Combine("a")], new StringWriter(), stderr));
        Assert.Contains("column 'label': there is no such column; the columns are 'area', 'price'. Name the label column with --label.", stderr.ToString());
        Assert.DoesNotContain("CsvLoadOptions", stderr.ToString());

        stderr = new StringWriter();
        Assert.Equal(CliProgram.BadInput, CliProgram.Run(["train", "--data", csv, "--label", "price", "--out", _directory.Combine("b")], new StringWriter(), stderr));
        Assert.Contains("label '152.5' is not a whole number; class labels are 0, 1, 2, ... For a real-valued target use --task regress.", stderr.ToString());
        Assert.DoesNotContain("TaskKind", stderr.ToString());
    }

    [Fact]
    public void AUtf16FileWithoutByteOrderMarkTrains()
    {
        _directory.Create();
        string path = _directory.Combine("wide.csv");
        var text = new StringBuilder("x0,x1,label\n");
        for (int i = 0; i < 80; i++) text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i % 9 * 0.25},{i % 4},{(i % 9 > 4 ? 1 : 0)}\n");
        File.WriteAllBytes(path, new UnicodeEncoding(bigEndian: false, byteOrderMark: false).GetBytes(text.ToString()));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(0, CliProgram.Run(["train", "--data", path, "--epochs", "2", "--out", _directory.Combine("wide")], stdout, stderr));
        Assert.Equal("", stderr.ToString());
        Assert.Contains("UTF-16LE without byte order mark", stdout.ToString());
    }

    [Fact]
    public void ACancelledReadExits130AndWritesNothing()
    {
        string csv = LabelledCsv("rows.csv", classes: 2, rows: 40_000);
        string outDir = _directory.Combine("cancelled");
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var stderr = new StringWriter();
        int exitCode = CliProgram.Run(["train", "--data", csv, "--out", outDir], new StringWriter(), stderr, cancellationToken: cancellation.Token);
        Assert.Equal(CliProgram.Cancelled, exitCode);
        Assert.Equal("error: cancelled; the files already written stay, and no file is left half-written.", stderr.ToString().TrimEnd());
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void AWideFileIsMeasuredWithinItsBudget()
    {
        // 3,000 columns × 120 rows: the probe and the separability program run in the span of the rows.
        const int Columns = 3_000, Rows = 120;
        var random = new Random(3);
        var text = new StringBuilder();
        text.AppendJoin(',', Enumerable.Range(0, Columns).Select(c => "f" + c)).Append(",label\n");
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Columns; c++) text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{random.NextDouble():0.###},");
            text.Append(r % 2).Append('\n');
        }
        string csv = Csv("wide.csv", text.ToString());
        string outDir = _directory.Combine("wide");
        var stderr = new StringWriter();
        Assert.Equal(0, CliProgram.Run(["train", "--data", csv, "--epochs", "3", "--out", outDir], new StringWriter(), stderr));
        Assert.Equal("", stderr.ToString());
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        JsonElement input = summary.RootElement.GetProperty("separability").GetProperty("input");
        Assert.Equal(Columns, input.GetProperty("dimension").GetInt32());
        // 36 test points in 3,000 dimensions are in general position: always separable.
        Assert.Equal(JsonValueKind.True, input.GetProperty("separable").ValueKind);
        Assert.InRange(summary.RootElement.GetProperty("probe_accuracy").GetProperty("input").GetDouble(), 0, 1);
    }
}
