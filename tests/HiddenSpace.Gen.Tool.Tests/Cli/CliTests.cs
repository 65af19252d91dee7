using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using HiddenSpace.Cli;
using HiddenSpace.Tests.Compiler;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Cli;

/// <summary>The <c>hiddenspace</c> tool end to end, in-process, on small runs.</summary>
public sealed class CliTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _directory = new("cli");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void BinaryBuiltInSetWritesEveryFileAndTheReportHasOneFramePerEpoch()
    {
        string outDir = _directory.Combine("moons");
        (int exitCode, string stdout, string stderr) = Run("train", "--data", "moons", "--points", "300", "--epochs", "12", "--out", outDir);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        Assert.Contains("engine: generated (", stdout);
        foreach (string file in new[] { "summary.json", "report.html", "bottleneck.csv", "bottleneck.svg", "input.svg", "weights.json" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);

        using JsonDocument summary = ReadSummary(outDir);
        JsonElement root = summary.RootElement;
        Assert.Equal("classification", root.GetProperty("task").GetString());
        Assert.Equal("generated", root.GetProperty("engine").GetString());
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
        // Moons is not linearly separable in the input plane, whatever the training did; the verdict says how close.
        JsonElement input = separability.GetProperty("input");
        Assert.Equal(JsonValueKind.False, input.GetProperty("separable").ValueKind);
        int wrong = input.GetProperty("pairs")[0].GetProperty("fewest_wrong").GetInt32();
        Assert.InRange(wrong, 1, 45);
        Assert.Equal($"separable except {wrong} of 90 ({100.0 * wrong / 90:0.0} %)", input.GetProperty("verdict").GetString());
        Assert.StartsWith($"input: the best line gets {100.0 * (90 - wrong) / 90:0.0} % of the 90 test points right, separable except {wrong} of 90", root.GetProperty("claim").GetString());
        Assert.Contains(root.GetProperty("claim").GetString()!, stdout);
        Assert.Equal(210, root.GetProperty("separability_train").GetProperty("input").GetProperty("rows").GetInt32());
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
        string outDir = _directory.Combine("blobs");
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
        JsonElement firstFrame = report.RootElement.GetProperty("frames")[0];
        Assert.Equal(3, firstFrame.GetProperty("b").GetArrayLength());
        // The output layer's regions on the tap plane travel as exact polygons, one per class, inside the frames' shared view.
        Assert.Equal(3, firstFrame.GetProperty("regions").GetArrayLength());
        Assert.Equal(4, report.RootElement.GetProperty("tapBounds").GetArrayLength());
        string svg = File.ReadAllText(Path.Combine(outDir, "bottleneck.svg"));
        Assert.InRange(CountOf(svg, "<polygon class=\"region\""), 1, 3);
    }

    [Theory]
    [InlineData("moons", 0.5, 100, 100)]
    [InlineData("moons", 0.1, 180, 20)]
    [InlineData("iris", 0.2, 120, 30)]
    public void TestFractionSetsTheShareOfEachClassHeldOutForTesting(string data, double fraction, int train, int test)
    {
        string outDir = _directory.Combine($"split-{data}-{fraction}");
        string[] dataArguments = data == "iris" ? ["--data", IrisPath()] : ["--data", data, "--points", "200"];
        (int exitCode, _, string stderr) = Run(["train", .. dataArguments, "--test-fraction", fraction.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--epochs", "2", "--engine", "reference", "--out", outDir]);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        using JsonDocument summary = ReadSummary(outDir);
        JsonElement rows = summary.RootElement.GetProperty("rows");
        Assert.Equal(train, rows.GetProperty("train").GetInt32());
        Assert.Equal(test, rows.GetProperty("test").GetInt32());
    }

    [Fact]
    public void IrisCsvRunsOnGeneratedCodeCompiledForItsFourFeatures()
    {
        string outDir = _directory.Combine("iris");
        (int exitCode, string stdout, string stderr) = Run("train", "--data", IrisPath(), "--epochs", "100", "--out", outDir);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        Assert.Contains("engine: generated (", stdout);
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
    public void ClassNamesInTheLabelColumnNameTheClassesInEveryFile()
    {
        // iris with its species written out, under another label column name: what a downloaded copy looks like.
        string[] species = ["setosa", "versicolor", "virginica"];
        string[] lines = File.ReadAllLines(IrisPath());
        _directory.Create();
        string csv = _directory.Combine("iris-species.csv");
        File.WriteAllLines(csv, ["sepal_length,sepal_width,petal_length,petal_width,species",
            .. lines[1..].Select(line => line[..line.LastIndexOf(',')] + "," + species[int.Parse(line[(line.LastIndexOf(',') + 1)..], System.Globalization.CultureInfo.InvariantCulture)])]);
        string outDir = _directory.Combine("species");

        (int exitCode, _, string stderr) = Run("train", "--data", csv, "--label", "species", "--epochs", "30", "--out", outDir);

        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        using JsonDocument summary = ReadSummary(outDir);
        Assert.Equal(species, summary.RootElement.GetProperty("class_names").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(species, WeightsFile.ReadText(Path.Combine(outDir, "weights.json")).Metadata.ClassNames);
        using JsonDocument report = ReportData(File.ReadAllText(Path.Combine(outDir, "report.html")));
        Assert.Equal(species, report.RootElement.GetProperty("classNames").EnumerateArray().Select(e => e.GetString()));
        // bottleneck.csv: each row's label is the species of the source row it names.
        string[] records = File.ReadAllLines(Path.Combine(outDir, "bottleneck.csv"));
        Assert.Equal(150, records.Length - 1);
        foreach (string record in records[1..])
        {
            string[] fields = record.Split(',');
            int row = int.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(lines[row + 1][(lines[row + 1].LastIndexOf(',') + 1)..], Array.IndexOf(species, fields[^2]).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains(fields[^1], species);
        }
        // Weights per class are in the names' order, which the error says.
        (exitCode, _, stderr) = Run("train", "--data", csv, "--label", "species", "--class-weights", "1,2", "--out", outDir);
        Assert.Equal(2, exitCode);
        Assert.Contains("--class-weights gives 2 weights but the data has 3 classes (setosa, versicolor, virginica, in that order).", stderr);
    }

    [Fact]
    public void RowsWithMissingValuesStopTheRunOrAreSkippedAndCounted()
    {
        _directory.Create();
        string csv = _directory.Combine("gaps.csv");
        var random = new SeededRandom(7);
        // Every 10th data row misses a value: "", "?" or "NA" in a feature, or an empty label.
        string[] gaps = ["", "?", "NA"];
        File.WriteAllLines(csv, ["a,b,label", .. Enumerable.Range(0, 300).Select(r =>
        {
            string a = (random.NextGaussian() + 2 * (r % 2)).ToString("R", System.Globalization.CultureInfo.InvariantCulture), b = random.NextGaussian().ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            return r % 10 != 3 ? $"{a},{b},{r % 2}" : r % 40 == 33 ? $"{a},{b}," : $"{a},{gaps[r % 3]},{r % 2}";
        })]);
        string outDir = _directory.Combine("gaps");

        (int exitCode, _, string stderr) = Run("train", "--data", csv, "--epochs", "5", "--out", outDir);
        Assert.Equal(2, exitCode);
        Assert.Contains("gaps.csv, line 5, column 'b': ", stderr);
        Assert.Contains("To leave out the rows with a missing value, use --missing skip.", stderr);

        (exitCode, string stdout, stderr) = Run("train", "--data", csv, "--missing", "skip", "--epochs", "5", "--out", outDir);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        Assert.Contains("gaps.csv: 270 rows (30 more skipped for a missing value, the first on line 5)", stdout);
        // bottleneck.csv's rows are the kept ones, each named by its place among the file's data rows.
        string[] rows = File.ReadAllLines(Path.Combine(outDir, "bottleneck.csv"))[1..];
        Assert.Equal(270, rows.Length);
        Assert.All(rows, row => Assert.NotEqual(3, int.Parse(row[..row.IndexOf(',')], System.Globalization.CultureInfo.InvariantCulture) % 10));
        using (JsonDocument summary = ReadSummary(outDir))
            Assert.Equal(30, summary.RootElement.GetProperty("rows").GetProperty("skipped").GetInt64());
        // Streamed through a small shuffle buffer: the same count.
        (exitCode, _, stderr) = Run("train", "--data", csv, "--missing", "skip", "--shuffle-buffer", "50", "--epochs", "3", "--out", outDir);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        using (JsonDocument summary = ReadSummary(outDir))
        {
            Assert.Equal(30, summary.RootElement.GetProperty("rows").GetProperty("skipped").GetInt64());
            Assert.Equal(270, summary.RootElement.GetProperty("rows").GetProperty("train").GetInt64() + summary.RootElement.GetProperty("rows").GetProperty("test").GetInt64());
        }
    }

    [Fact]
    public void ColumnsOfIdsAndNamesAreNamedAndLeftOutWithIgnore()
    {
        _directory.Create();
        string csv = _directory.Combine("with-ids.csv");
        var random = new SeededRandom(5);
        File.WriteAllLines(csv, ["id,name,a,b,label", .. Enumerable.Range(0, 200).Select(r =>
            $"r{r},\"Name {r}\",{random.NextGaussian() + 2 * (r % 2):R},{random.NextGaussian():R},{r % 2}")]);
        string outDir = _directory.Combine("with-ids");

        (int exitCode, _, string stderr) = Run("train", "--data", csv, "--epochs", "5", "--out", outDir);
        Assert.Equal(2, exitCode);
        Assert.Contains("with-ids.csv, line 2, column 'id': 'r0' is not a number;", stderr);
        Assert.Contains("The first row has text in 2 feature columns: 'id', 'name'. If they are not features, leave them out with --ignore id,name.", stderr);

        (exitCode, _, stderr) = Run("train", "--data", csv, "--ignore", "id, name", "--epochs", "5", "--out", outDir);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        Assert.Equal(["a", "b"], WeightsFile.ReadText(Path.Combine(outDir, "weights.json")).Metadata.FeatureNames);

        (exitCode, _, stderr) = Run("train", "--data", csv, "--ignore", "id,nosuch", "--out", outDir);
        Assert.Equal(2, exitCode);
        Assert.Contains("column 'nosuch': --ignore leaves this column out but the file has no such column", stderr);
    }

    [Fact]
    public void RegressionBottleneckExplainsTheTargetLinearlyWhereTheInputCannot()
    {
        string outDir = _directory.Combine("sineridge");
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

    [Fact]
    public void ACsvWithThirtyFeaturesTrainsOnGeneratedCodeAsWellAsOnTheReferenceNetwork()
    {
        string csv = ThirtyFeatureCsv();
        var accuracy = new System.Collections.Generic.Dictionary<string, double>();
        foreach (string engine in new[] { "generated", "reference" })
        {
            string outDir = _directory.Combine(engine);
            (int exitCode, string stdout, string stderr) = Run("train", "--data", csv, "--epochs", "30", "--engine", engine, "--out", outDir);
            Assert.Equal("", stderr);
            Assert.Equal(0, exitCode);
            Assert.Contains($"engine: {engine} (", stdout);
            using JsonDocument summary = ReadSummary(outDir);
            Assert.Equal(engine, summary.RootElement.GetProperty("engine").GetString());
            Assert.Equal("30-16-16-2-1", summary.RootElement.GetProperty("network").GetString());
            accuracy[engine] = summary.RootElement.GetProperty("test_accuracy").GetDouble();
        }
        Assert.InRange(accuracy["generated"], 0.9, 1.0);
        // Same initial weights and batches; only the generated tanh approximation and summation order differ.
        Assert.InRange(accuracy["generated"] - accuracy["reference"], -0.02, 0.02);
    }

    [Fact]
    public void GenerateWritesTheDeclarationAndExactlyTheFileABuildGenerates()
    {
        string outDir = _directory.Combine("generated");
        (int exitCode, string stdout, string stderr) = Run("generate", "--inputs", "3", "--task", "regress", "--hidden", "4", "--class", "Demo", "--namespace", "My.Nets", "--out", outDir);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        string declaration = File.ReadAllText(Path.Combine(outDir, "Demo.cs"));
        Assert.Contains(declaration, stdout);
        Assert.Contains("[Network(Inputs = 3, Loss = Loss.MeanSquaredError)]\n[Dense(4, Activation.ReLU)]\n[Dense(2, Activation.Linear, Tap = \"Bottleneck\")]\n[Dense(1, Activation.Linear)]\npublic partial class Demo { }", declaration);
        Assert.Contains("namespace My.Nets;", declaration);

        var (diagnostics, _, result) = HiddenSpace.Tests.Generator.GeneratorHarness.Run(declaration);
        Assert.DoesNotContain(diagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        var built = Assert.Single(result.Results.Single().GeneratedSources);
        Assert.Equal("My.Nets.Demo.g.cs", built.HintName);
        Assert.Equal(built.SourceText.ToString(), File.ReadAllText(Path.Combine(outDir, built.HintName)));
    }

    [Fact]
    public void GenerateInfersInputsAndClassesFromTheData()
    {
        (int exitCode, string stdout, string stderr) = Run("generate", "--data", "blobs", "--classes", "4", "--out", _directory.Combine("blobs"));
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        Assert.Contains("hiddenspace: 2-16-16-2-4 (SoftmaxCrossEntropy", stdout);
        Assert.Contains("[Dense(4, Activation.Softmax)]", stdout);
    }

    [Fact]
    public void AnArchitectureTheGeneratorRejectsFailsWithItsDiagnostic()
    {
        // 1 input, 715,827,862 hidden units, a 1-unit bottleneck and a linear output: 2,147,483,589 parameters fit one array,
        // but the scratch buffer (2,147,483,593 floats) does not, which the generator reports as HSG0019 at build time.
        (int exitCode, _, string stderr) = Run("generate", "--inputs", "1", "--task", "regress", "--hidden", "715827862", "--bottleneck", "1", "--out", _directory.Path);
        Assert.Equal(CliProgram.BadInput, exitCode);
        string declaration = "using HiddenSpace;\n\n[Network(Inputs = 1, Loss = Loss.MeanSquaredError)]\n[Dense(715827862, Activation.ReLU)]\n[Dense(1, Activation.Linear, Tap = \"Bottleneck\")]\n[Dense(1, Activation.Linear)]\npublic partial class Network { }\n";
        var build = HiddenSpace.Tests.Generator.GeneratorHarness.Run(declaration).GeneratorDiagnostics.Single(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        Assert.Equal("HSG0019", build.Id);
        Assert.Equal($"error: HSG0019: {build.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}\n", stderr.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("--class|2nd", "--class must be a C# identifier")]
    [InlineData("--class|class", "--class must be a C# identifier")]
    [InlineData("--namespace|My..Nets", "--namespace must be dot-separated C# identifiers")]
    [InlineData("--classes|1", "--classes must be a whole number in 2..10, not '1'.")]
    // Names the generated code would not compile with (CS0542, CS0426, CS0117): a member's, the declaration's types', the namespace's.
    [InlineData("--class|Forward", "--class: 'Forward' is the name of one of the class's members")]
    [InlineData("--class|Loss", "--class: 'Loss' names a type or namespace the generated code uses")]
    [InlineData("--class|HiddenSpace", "--class: 'HiddenSpace' names a type or namespace the generated code uses")]
    [InlineData("--class|V512", "--class: 'V512' names a type or namespace the generated code uses")]
    public void BadGenerateArgumentsFailWithOneLineNamingTheProblem(string arguments, string expected)
    {
        (int exitCode, _, string stderr) = Run(["generate", .. arguments.Split('|'), "--out", _directory.Path]);
        Assert.Equal(CliProgram.BadInput, exitCode);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains(expected, stderr);
    }

    [Theory]
    [InlineData("--data|nope", "--data: unknown data set 'nope'")]
    [InlineData("--data|moons|--lr|-1", "--lr must be a positive number a float can hold (1.4e-45 to 3.4e38), not '-1'.")]
    [InlineData("--data|moons|--hidden|abc", "--hidden must be comma-separated layer widths")]
    [InlineData("--data|moons|--epochs|x", "--epochs must be a whole number of at least 1, not 'x'.")]
    [InlineData("--data|moons|--optimizer|rmsprop", "--optimizer")]
    [InlineData("--data|moons|--engine|fast", "--engine")]
    [InlineData("--data|moons|--task|regress", "--task regress needs a regression set")]
    [InlineData("--data|no-such-file.csv", "--data: no such file")]
    [InlineData("--epochs|3", "Option '--data' is required.")]
    [InlineData("--data|moons|--class-weights|heavy", "--class-weights must be 'balanced' or positive numbers separated by commas, such as 1,4; not 'heavy'.")]
    [InlineData("--data|moons|--class-weights|1,2,3", "--class-weights gives 3 weights but the data has 2 classes.")]
    [InlineData("--data|moons|--class-weights|1", "--class-weights gives 1 weight but the data has 2 classes.")]
    [InlineData("--data|moons|--seed|abc", "--seed must be a whole number, not 'abc'.")]
    [InlineData("--data|sineridge|--class-weights|balanced", "--class-weights needs class labels; this is a regression run.")]
    [InlineData("--data|moons|--schedule|linear", "--schedule")]
    [InlineData("--data|moons|--schedule|step|--step-factor|2", "--step-factor must be a number in (0, 1], not '2'.")]
    [InlineData("--data|moons|--early-stopping|--validation|1", "--validation must be a number in (0, 1), not '1'.")]
    [InlineData("--data|moons|--l1|-0.1", "--l1 must be a number of at least 0, not '-0.1'.")]
    public void BadArgumentsFailWithOneLineNamingTheProblem(string arguments, string expected)
    {
        (int exitCode, _, string stderr) = Run(["train", .. arguments.Split('|'), "--out", _directory.Path]);
        Assert.Equal(CliProgram.BadInput, exitCode);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("error: ", stderr);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public void ACsvWithABadCellFailsNamingFileLineAndColumn()
    {
        _directory.Create();
        string csv = _directory.Combine("bad.csv");
        File.WriteAllText(csv, "x0,x1,label\n1,2,0\n1,abc,1\n");
        (int exitCode, _, string stderr) = Run("train", "--data", csv, "--out", _directory.Path);
        Assert.Equal(CliProgram.BadInput, exitCode);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("bad.csv, line 3, column 'x1': 'abc' is not a number", stderr);
    }

    [Fact]
    public void AColumnNamedLikeMarkupIsEscapedInTheReport()
    {
        _directory.Create();
        string csv = _directory.Combine("evil.csv");
        var rows = Enumerable.Range(0, 40).Select(i => $"{i % 7 * 0.5},{i % 5 - 2},{(i % 7 * 0.5 > 1.5 ? 1 : 0)}");
        File.WriteAllText(csv, "<script>alert(1)</script>,x1 & <b>,label\n" + string.Join("\n", rows) + "\n");
        string outDir = _directory.Combine("evil");
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
        string outDir = _directory.Combine("cancelled");
        TestCompiler.Shared.Compile(TestCompiler.ToolDefault(16, 16)).Dispose(); // xor's network: a cache hit, which cancellation does not interrupt
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = CliProgram.Run(["train", "--data", "xor", "--points", "200", "--epochs", "5", "--out", outDir, "--cache", TestCompiler.CacheDirectory], stdout, stderr, cancellationToken: cancellation.Token);
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
    public void ARunCancelledWhileCompilingWritesNothingAndExitsNonZero()
    {
        string outDir = _directory.Combine("cancelled-compile");
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = CliProgram.Run(["train", "--data", "xor", "--points", "200", "--hidden", "3,3", "--out", outDir, "--cache", _directory.Combine("empty-cache")],
            stdout, stderr, cancellationToken: cancellation.Token);
        Assert.Equal(CliProgram.Cancelled, exitCode);
        Assert.Equal("error: cancelled while compiling the network; nothing was written.\n", stderr.ToString().ReplaceLineEndings("\n"));
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void ADiabetesLikeCsvTrainsWithTheDefaultsAndGeneralisesWithEarlyStopping()
    {
        _directory.Create();
        string csv = _directory.Combine("diabetes-like.csv");
        Training.DiabetesLike.WriteCsv(csv);
        string plain = _directory.Combine("plain"), stopped = _directory.Combine("stopped");
        Assert.Equal(0, Run("train", "--data", csv, "--label", "target", "--task", "regress", "--out", plain).ExitCode);
        Assert.Equal(0, Run("train", "--data", csv, "--label", "target", "--task", "regress", "--early-stopping", "--out", stopped).ExitCode);

        using JsonDocument plainSummary = ReadSummary(plain), stoppedSummary = ReadSummary(stopped);
        JsonElement defaults = plainSummary.RootElement, early = stoppedSummary.RootElement;
        Assert.True(defaults.GetProperty("train_r_squared").GetDouble() >= 0.5, $"train R² {defaults.GetProperty("train_r_squared")}");
        Assert.True(early.GetProperty("test_r_squared").GetDouble() >= 0.3, $"test R² {early.GetProperty("test_r_squared")}");
        Assert.Equal(JsonValueKind.Number, early.GetProperty("r_squared").GetProperty("Bottleneck").ValueKind);
        Assert.True(early.GetProperty("best_epoch").GetInt32() < early.GetProperty("epochs").GetInt32());
        Assert.Equal(0.2, early.GetProperty("training").GetProperty("early_stopping").GetProperty("validation_fraction").GetDouble());
        JsonElement scale = defaults.GetProperty("target_standardization");
        Dataset data = Training.DiabetesLike.Create();
        (Dataset train, _) = data.StratifiedSplit(0.3, seed: 0);
        double mean = train.Values.ToArray().Average(v => (double)v);
        Assert.Equal(mean, scale.GetProperty("mean").GetDouble(), 1e-9);
        Assert.Equal(Math.Sqrt(train.Values.ToArray().Average(v => (v - mean) * (v - mean))), scale.GetProperty("deviation").GetDouble(), 1e-9);
        Assert.Equal("train", scale.GetProperty("fitted_on").GetString());
    }

    [Fact]
    public void TrainingFlagsReachTheTrainer()
    {
        string outDir = _directory.Combine("flags");
        (int exitCode, _, string stderr) = Run("train", "--data", "xor", "--points", "200", "--epochs", "5", "--lr", "0.02", "--schedule", "step",
            "--step-epochs", "2", "--step-factor", "0.5", "--l1", "0.001", "--l2", "0.002", "--class-weights", "1,3", "--out", outDir);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        using JsonDocument summary = ReadSummary(outDir);
        JsonElement root = summary.RootElement;
        Assert.Equal([0.02, 0.02, 0.01, 0.01, 0.005], root.GetProperty("history").EnumerateArray().Select(e => Math.Round(e.GetProperty("learning_rate").GetDouble(), 6)));
        JsonElement training = root.GetProperty("training");
        Assert.Equal(0.001, training.GetProperty("l1").GetDouble(), 1e-9);
        Assert.Equal(0.002, training.GetProperty("l2").GetDouble(), 1e-9);
        Assert.Equal([1.0, 3.0], training.GetProperty("class_weights").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal("Step", training.GetProperty("schedule").GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, training.GetProperty("early_stopping").ValueKind);
    }

    /// <summary>
    /// Defaults that work: with nothing but --data (and --seed), the two hardest built-in sets reach test accuracy 0.97
    /// for seeds 0, 1 and 2. The README's table has every set; these two run here to keep the suite fast.
    /// </summary>
    [Theory]
    [InlineData("spiral", 0)]
    [InlineData("spiral", 1)]
    [InlineData("spiral", 2)]
    [InlineData("blobs|--classes|5", 0)]
    [InlineData("blobs|--classes|5", 1)]
    [InlineData("blobs|--classes|5", 2)]
    public void TheDefaultsReachTheBarOnTheHardestBuiltInSets(string data, int seed)
    {
        string outDir = _directory.Combine("defaults");
        (int exitCode, _, string stderr) = Run(["train", "--data", .. data.Split('|'), "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", outDir]);
        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        using JsonDocument summary = ReadSummary(outDir);
        double accuracy = summary.RootElement.GetProperty("test_accuracy").GetDouble();
        Assert.True(accuracy >= 0.97, $"{data} seed {seed}: test accuracy {accuracy}");
    }

    [Fact]
    public void HelpListsEveryOption()
    {
        (int exitCode, string stdout, string stderr) = Run("train", "--help");
        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr);
        foreach (string option in new[] { "--data", "--label", "--task", "--hidden", "--bottleneck", "--activation", "--bottleneck-activation", "--epochs", "--batch",
            "--lr", "--optimizer", "--seed", "--classes", "--noise", "--out", "--l1", "--l2", "--schedule", "--warmup", "--step-epochs", "--step-factor",
            "--early-stopping", "--validation", "--patience", "--class-weights", "--engine", "--cache", "--shuffle-buffer" })
            Assert.Contains(option, stdout);
    }

    private (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => Run(output, args);

    /// <summary>Runs the tool in-process (with the test run's shared cache of compiled networks: <see cref="TestCompiler"/>).</summary>
    internal static (int ExitCode, string Stdout, string Stderr) Run(ITestOutputHelper output, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = CliProgram.Run(args, stdout, stderr);
        output.WriteLine(stdout.ToString());
        output.WriteLine(stderr.ToString());
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    internal static JsonDocument ReadSummary(string directory) => JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "summary.json")));

    private static JsonDocument ReportData(string html) => EmbeddedData(html, "report-data");

    /// <summary>The JSON of a page's <c>&lt;script type="application/json" id="…"&gt;</c> element.</summary>
    internal static JsonDocument EmbeddedData(string html, string id)
    {
        string start = $"<script type=\"application/json\" id=\"{id}\">";
        int from = html.IndexOf(start, StringComparison.Ordinal) + start.Length;
        int to = html.IndexOf("</script>", from, StringComparison.Ordinal);
        return JsonDocument.Parse(html[from..to]);
    }

    internal static void AssertSelfContained(string html)
    {
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain(" src=", html);
        Assert.DoesNotContain("<link", html);
    }

    internal static int CountOf(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal)) count++;
        return count;
    }

    /// <summary>400 rows of 30 features: two classes whose means differ in the first five features, label in the last column.</summary>
    private string ThirtyFeatureCsv()
    {
        _directory.Create();
        string path = _directory.Combine("thirty.csv");
        var random = new SeededRandom(30);
        var lines = new System.Collections.Generic.List<string> { string.Join(",", Enumerable.Range(0, 30).Select(i => $"f{i}")) + ",label" };
        for (int r = 0; r < 400; r++)
        {
            int label = r % 2;
            var cells = Enumerable.Range(0, 30).Select(i => (random.NextGaussian() + (i < 5 ? 2.0 * label : 0)).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            lines.Add(string.Join(",", cells) + "," + label);
        }
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    internal static string IrisPath()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "samples", "data", "iris.csv");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("samples/data/iris.csv not found above " + AppContext.BaseDirectory);
    }
}
