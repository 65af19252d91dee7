using System;
using System.IO;
using System.Linq;
using System.Reflection;
using HiddenSpace.Cli;
using HiddenSpace.Tests.Baking;
using HiddenSpace.Tests.Export;
using HiddenSpace.Tests.Generator;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Cli;

/// <summary>
/// The loop through the tool: <c>train</c> writes weights.json (here from a streamed CSV file, so with its input
/// standardisation), <c>export</c> turns it into a standalone C# file and an ONNX model, and both compute on every raw
/// row what the generated class holding the file's weights computes: the C# file its bits, ONNX Runtime within 1e-6.
/// </summary>
public sealed class ExportCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _directory = new("export");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TrainedWeightsExportAsCSharpAndOnnxThatComputeTheTrainedNetwork()
    {
        string run = _directory.Combine("iris");
        (int exitCode, string stdout, string stderr) = Run("train", "--data", CliTests.IrisPath(), "--epochs", "30", "--shuffle-buffer", "30", "--out", run);
        Assert.Equal((0, ""), (exitCode, stderr));
        Assert.Contains("streamed through a shuffle buffer of 30 rows", stdout);
        string weightsPath = Path.Combine(run, "weights.json");
        TrainedWeights weights = WeightsFile.ReadText(weightsPath);
        Assert.Equal(["x0", "x1", "x2", "x3"], weights.Metadata.FeatureNames);
        Assert.NotNull(weights.Metadata.InputStandardizer);

        string csharp = _directory.Combine("Iris.cs"), onnx = _directory.Combine("iris.onnx");
        (exitCode, stdout, stderr) = Run("export", "--weights", weightsPath, "--class", "IrisClassifier", "--namespace", "Models.Iris", "--out", csharp);
        Assert.Equal((0, ""), (exitCode, stderr));
        Assert.Contains("class Models.Iris.IrisClassifier, standalone C#", stdout);
        (exitCode, stdout, stderr) = Run("export", "--weights", weightsPath, "--format", "onnx", "--out", onnx);
        Assert.Equal((0, ""), (exitCode, stderr));
        Assert.Contains("ONNX model, opset 13", stdout);

        Assembly generated = GeneratorHarness.CompileAndLoad(GeneratorHarness.Run("using HiddenSpace;\n" + weights.Shape.ToDeclaration("Trainable")).Output);
        var trainable = (INetwork)Activator.CreateInstance(generated.GetType("Trainable")!, 0)!;
        weights.Parameters.CopyTo(trainable.Parameters);
        Type type = StandaloneBuild.CompileAndLoad(File.ReadAllText(csharp), StandaloneTarget.Net100).GetType("Models.Iris.IrisClassifier")!;
        object exported = Activator.CreateInstance(type)!;
        var forward = type.GetMethod("Forward", [typeof(float[])])!.CreateDelegate<Func<float[], float[]>>(exported);
        var predict = type.GetMethod("Predict")!.CreateDelegate<Func<float[], int>>(exported);

        Dataset iris = CsvDataLoader.Load(CliTests.IrisPath());
        var x = new float[weights.Shape.Inputs];
        var expected = new float[weights.Shape.Outputs];
        for (int r = 0; r < iris.Count; r++)
        {
            float[] raw = iris.Row(r).ToArray();
            weights.PrepareInput(raw, x);
            trainable.Forward(x, expected);
            float[] actual = forward(raw);
            for (int j = 0; j < expected.Length; j++)
                Assert.True(BitConverter.SingleToInt32Bits(expected[j]) == BitConverter.SingleToInt32Bits(actual[j]), $"row {r}[{j}]: generated {expected[j]:R}, exported {actual[j]:R}");
            Assert.Equal(Metrics.PredictedClass(expected), predict(raw));
        }
        double worst = OnnxExportTests.Compare(File.ReadAllBytes(onnx), trainable, iris.Features.ToArray(), weights.Metadata.InputStandardizer, 1e-6, floor: 0);
        output.WriteLine($"ONNX Runtime on {iris.Count} rows: largest difference {worst:E2} of the row's scale");
    }

    [Theory]
    [InlineData("--weights|missing.json", CliProgram.BadInput, "error: --weights: no such file '")]
    [InlineData("--weights|corrupt.json", CliProgram.BadInput, "error: --weights: '")]
    [InlineData("--class|2nd", CliProgram.BadInput, "error: --class must be a C# identifier")]
    [InlineData("--namespace|My..Nets", CliProgram.BadInput, "error: --namespace must be dot-separated C# identifiers")]
    [InlineData("--class|Predict", CliProgram.BadInput, "error: --class: 'Predict' is the name of one of the class's members")]
    [InlineData("--class|Kernels", CliProgram.BadInput, "error: --class: 'Kernels' is the name of one of the class's members")]
    [InlineData("--class|System", CliProgram.BadInput, "error: --class: 'System' names a type or namespace the exported code uses")]
    [InlineData("--class|Bottleneck", CliProgram.BadInput, "error: --class: 'Bottleneck' is the name of one of the network's taps")]
    [InlineData("--format|xml", CliProgram.BadInput, "error: --format")]
    [InlineData("--out|.", CliProgram.BadInput, "error: --out: Cannot write '")]
    [InlineData("--out|models/", CliProgram.BadInput, "error: --out: '")]
    [InlineData("--out|file.txt/Net.cs", CliProgram.Failed, "error: --out: ")]
    public void BadArgumentsFailWithOneLineNamingTheArgument(string arguments, int expectedCode, string expected)
    {
        _directory.Create();
        File.WriteAllText(_directory.Combine("file.txt"), "a file, not a folder");
        File.WriteAllText(_directory.Combine("corrupt.json"), File.ReadAllText(BakedMoonsNet.CommittedPath).Replace("\"Tanh\"", "\"ReLU\"", StringComparison.Ordinal));
        string option = arguments.Split('|')[0];
        string[] given = [.. arguments.Split('|').Select((part, i) => i == 1 && option is "--weights" or "--out" ? _directory.Combine(part) : part)];
        string[] defaults = ["--weights", BakedMoonsNet.CommittedPath, "--out", _directory.Combine("Net.cs")];
        for (int i = 0; i < defaults.Length; i += 2)
            if (!given.Contains(defaults[i])) given = [.. given, defaults[i], defaults[i + 1]];

        (int exitCode, _, string stderr) = Run(["export", .. given]);
        Assert.Equal(expectedCode, exitCode);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith(expected, stderr);
        Assert.False(File.Exists(_directory.Combine("Net.cs")));
    }

    [Fact]
    public void AFolderOrAPipeAsTheWeightsFileIsNamedForWhatItIs()
    {
        _directory.Create();
        (int exitCode, _, string stderr) = Run(["export", "--weights", _directory.Path, "--out", _directory.Combine("Net.cs")]);
        Assert.Equal(CliProgram.BadInput, exitCode);
        Assert.Equal($"error: --weights: '{_directory.Path}' is a folder; name the weights file in it (train writes weights.json).", stderr.TrimEnd());
        if (!OperatingSystem.IsLinux()) return; // the pipe's path is Linux's /proc/self/fd
        using var pipe = new PipePath(File.ReadAllText(BakedMoonsNet.CommittedPath));
        (exitCode, _, stderr) = Run(["export", "--weights", pipe.Path, "--out", _directory.Combine("Net.cs")]);
        Assert.Equal(CliProgram.BadInput, exitCode);
        Assert.Equal($"error: --weights: '{pipe.Path}' is a pipe or a device, not a file; the export reads it more than once, so save it to a file first.", stderr.TrimEnd());
        Assert.False(File.Exists(_directory.Combine("Net.cs")));
    }

    private (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => CliTests.Run(output, args);
}
