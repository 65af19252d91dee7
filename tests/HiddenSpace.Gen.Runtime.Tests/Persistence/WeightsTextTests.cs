using System;
using System.Globalization;
using System.IO;
using System.Linq;
using HiddenSpace.Tests.Fuzzing;
using Xunit;

namespace HiddenSpace.Tests.Persistence;

/// <summary>The text weights format: exact round trips, the documented layout and checksum, and every corruption named.</summary>
public sealed class WeightsTextTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hiddenspace-weights-text-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly NetworkShape Tapped = new(3, Loss.SoftmaxCrossEntropy,
        new LayerShape(8, Activation.ReLU), new LayerShape(2, Activation.Tanh, "Bottleneck"), new LayerShape(3, Activation.Softmax));

    private string Write(string text, string name = "net.weights.json")
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static ReferenceNetwork Network(NetworkShape shape, int seed) => new(shape, seed);

    [Fact]
    public void EveryFloatComesBackBitForBitWithTheMetadata()
    {
        ReferenceNetwork network = Network(Tapped, seed: 3);
        // Values whose shortest round-trip text is unusual: negative zero, the smallest subnormal, the extremes, long mantissas.
        float[] awkward = [-0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1e-38f, 0.1f, 1f / 3, 16777217f, 1.17549435E-38f, 3.4e38f];
        awkward.CopyTo(network.Parameters);
        Standardizer standardizer = Standardizer.Fit([1.5f, -2f, 1e-7f, 2.25f, 3f, 1e-7f, 0.1f, 7f, 1e-7f], 3);
        var metadata = new WeightsMetadata { FeatureNames = ["a", "b \"quoted\"", "ç\n"], InputStandardizer = standardizer, ClassNames = ["setosa", "versicolor", "virginica"] };
        string path = Path.Combine(_directory, "tapped.weights.json");
        WeightsFile.SaveText(path, network, metadata);

        TrainedWeights read = WeightsFile.ReadText(path);
        Assert.Equal(Tapped, read.Shape);
        Assert.Equal(network.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits), read.Parameters.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(metadata.FeatureNames, read.Metadata.FeatureNames);
        Assert.Equal(metadata.ClassNames, read.Metadata.ClassNames);
        Assert.Equal(standardizer.Means, read.Metadata.InputStandardizer!.Means);
        Assert.Equal(standardizer.Deviations, read.Metadata.InputStandardizer.Deviations);
        Assert.Null(read.Metadata.TargetName);

        var other = Network(Tapped, seed: 9);
        WeightsMetadata loaded = WeightsFile.LoadText(path, other);
        Assert.Equal(network.Parameters.ToArray(), other.Parameters.ToArray());
        Assert.Equal(metadata.ClassNames, loaded.ClassNames);
    }

    [Fact]
    public void RegressionFilesRecordTheTargetAndDefaultsAreFilledIn()
    {
        var shape = new NetworkShape(2, Loss.MeanSquaredError, new LayerShape(4, Activation.GELU), new LayerShape(1, Activation.Linear));
        string path = Path.Combine(_directory, "regression.weights.json");
        WeightsFile.SaveText(path, Network(shape, 1), new WeightsMetadata { TargetScale = new TargetScale(152.13348416289594, 77.00574586945044) });
        WeightsMetadata metadata = WeightsFile.ReadText(path).Metadata;
        Assert.Equal(["x0", "x1"], metadata.FeatureNames);
        Assert.Equal("target", metadata.TargetName);
        Assert.Equal(new TargetScale(152.13348416289594, 77.00574586945044), metadata.TargetScale);
        Assert.Null(metadata.ClassNames);
        Assert.Null(metadata.InputStandardizer);
        Assert.Contains("\"target\": {\"name\": \"target\", \"standardization\": {\"mean\": 152.13348416289594, \"deviation\": 77.00574586945044}},\n", File.ReadAllText(path));

        string binary = Path.Combine(_directory, "binary.weights.json");
        WeightsFile.SaveText(binary, Network(TestShapes.Small, 1));
        Assert.Equal(["0", "1"], WeightsFile.ReadText(binary).Metadata.ClassNames);
    }

    [Fact]
    public void LayoutAndChecksumAreTheDocumentedOnes()
    {
        var network = Network(TestShapes.Small, 2);
        string text = WeightsFile.ToText(network);
        string[] lines = text.Split('\n');
        Assert.Equal(
        [
            "{",
            "  \"format\": \"hiddenspace-weights\",",
            "  \"version\": 1,",
            "  \"fingerprint\": \"inputs=2;loss=BinaryCrossEntropy;dense(3,Tanh);dense(1,Sigmoid)\",",
            "  \"inputs\": 2,",
            "  \"loss\": \"BinaryCrossEntropy\",",
            "  \"features\": [\"x0\", \"x1\"],",
            "  \"standardization\": null,",
            "  \"classes\": [\"0\", \"1\"],",
            "  \"target\": null,",
            "  \"layers\": [",
            "    {",
            "      \"units\": 3,",
            "      \"activation\": \"Tanh\",",
            "      \"tap\": null,",
            "      \"weights\": [",
        ], lines[..16]);
        float[] p = network.Parameters.ToArray();
        string R(float f) => f.ToString("R", CultureInfo.InvariantCulture);
        Assert.Equal($"        [{R(p[0])}, {R(p[1])}],", lines[16]);
        Assert.Equal($"      \"biases\": [{R(p[6])}, {R(p[7])}, {R(p[8])}]", lines[20]);
        Assert.Equal(["  ],", "  \"sha256\": \"" + WeightsTextEdits.Reseal(text).Split("\"sha256\": \"")[1][..64] + "\"", "}", ""], lines[^4..]);
        Assert.Equal(WeightsTextEdits.Reseal(text), text);

        // A checkout that turned the line breaks into CRLF keeps its checksum.
        TrainedWeights crlf = WeightsFile.ReadText(Write(text.Replace("\n", "\r\n", StringComparison.Ordinal)));
        Assert.Equal(p, crlf.Parameters);
    }

    public static TheoryData<string, string, string, bool> Corruptions() => new()
    {
        // description, text to replace (every occurrence), replacement, reseal the checksum afterwards; the expected messages are in CorruptionsAreNamed.
        { "not JSON", "{\n  \"format\"", "{\n  format", false },
        { "another format", "\"hiddenspace-weights\"", "\"onnx\"", false },
        { "newer version", "\"version\": 1,", "\"version\": 2,", false },
        { "version zero", "\"version\": 1,", "\"version\": 0,", false },
        { "changed weight", "\"biases\": [", "\"biases\": [1, ", false },
        { "missing member", "  \"target\": null,\n", "", true },
        { "unknown member", "  \"target\": null,\n", "  \"target\": null,\n  \"comment\": \"hi\",\n", true },
        { "short row", "\"weights\": [\n        [", "\"weights\": [\n        [0.5, ", true },
        { "extra bias", "\"biases\": [", "\"biases\": [0.5, ", true },
        { "wrong fingerprint", "dense(3,Tanh)", "dense(4,Tanh)", true },
        { "unknown activation", "\"activation\": \"Tanh\"", "\"activation\": \"Swish\"", true },
        { "hidden softmax", "Tanh", "Softmax", true },
        { "three classes", "\"classes\": [\"0\", \"1\"]", "\"classes\": [\"0\", \"1\", \"2\"]", true },
        { "checksum not last", "\"sha256\": \"", "\"sha\": \"", false },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void CorruptionsAreNamed(string description, string find, string replace, bool reseal)
    {
        string original = WeightsFile.ToText(Network(TestShapes.Small, 2));
        Assert.Contains(find, original);
        string text = original.Replace(find, replace, StringComparison.Ordinal);
        if (reseal) text = WeightsTextEdits.Reseal(text);
        string path = Write(text);
        var network = Network(TestShapes.Small, 7);
        float[] before = network.Parameters.ToArray();
        InvalidDataException error = Assert.Throws<InvalidDataException>(() => WeightsFile.LoadText(path, network));
        Assert.Equal(before, network.Parameters.ToArray());
        string detail = error.Message[$"'{path}': ".Length..];
        string expected = description switch
        {
            "not JSON" => "line 2, column 3: unexpected 'f' where a member name (a string) was expected; it is not valid JSON.",
            "another format" => "line 2, column 13: its \"format\" is \"onnx\", not \"hiddenspace-weights\": it is not a HiddenSpace weights file.",
            "newer version" => "format version 2 is newer than this version of HiddenSpace.Gen reads (version 1); update HiddenSpace.Gen.",
            "version zero" => "format version 0 is not a valid version (this version of HiddenSpace.Gen reads version 1); the file is damaged: write it again.",
            "missing member" => "line 1, column 1: the file has no \"target\" member.",
            "unknown member" => "line 11, column 14: the file has an unknown member \"comment\" (version 1 has \"format\", \"version\", \"fingerprint\", \"inputs\", \"loss\", \"features\", \"standardization\", \"classes\", \"target\", \"layers\", \"sha256\").",
            "short row" => "line 17, column 9: layer 1 \"weights\" row 1 has 3 numbers, not 2.",
            "extra bias" => "line 21, column 17: layer 1 \"biases\" has 4 numbers, not 3.",
            "wrong fingerprint" => "line 4, column 18: the \"fingerprint\" 'inputs=2;loss=BinaryCrossEntropy;dense(4,Tanh);dense(1,Sigmoid)' is not the architecture the file describes ('inputs=2;loss=BinaryCrossEntropy;dense(3,Tanh);dense(1,Sigmoid)').",
            "unknown activation" => "line 14, column 21: layer 1 \"activation\" is \"Swish\", which is not one of Linear, ReLU, LeakyReLU, Tanh, Sigmoid, Softplus, GELU, ELU, Softmax.",
            "hidden softmax" => "the file describes no valid network: Layer 0 uses Softmax, which is allowed on the output layer only. (Parameter 'layers')",
            "three classes" => "line 9, column 14: \"classes\" names 3 classes but the output layer has 1 unit (2 classes).",
            "checksum not last" => "line 1, column 1: its last member must be \"sha256\", the checksum.",
            _ => "",
        };
        if (description == "changed weight")
            Assert.Matches(@"^checksum mismatch: the file stores SHA-256 [0-9a-f]{16}\.\.\. but its content hashes to [0-9a-f]{16}\.\.\.; it was changed after it was written\.$", detail);
        else
            Assert.Equal(expected, detail);
    }

    [Fact]
    public void NonFiniteValuesAreNamedWhereverTheyAre()
    {
        string original = WeightsFile.ToText(Network(TestShapes.Small, 2));
        int at = original.IndexOf("\"biases\": [", StringComparison.Ordinal) + "\"biases\": [".Length;
        string text = WeightsTextEdits.Reseal(original[..at] + "-3.5e38" + original[original.IndexOf(',', at)..]);
        var error = Assert.Throws<InvalidDataException>(() => WeightsFile.ReadText(Write(text)));
        Assert.EndsWith("line 21, column 18: layer 1 \"biases\" item 1 is -3.5e38, beyond the range of a float; every value must be finite.", error.Message);

        var network = Network(TestShapes.Small, 2);
        network.Parameters[4] = float.NaN;
        var refused = Assert.Throws<ArgumentException>(() => WeightsFile.ToText(network));
        Assert.StartsWith("Parameter 4 of the network is NaN; a weights file holds finite values only", refused.Message);
    }

    [Fact]
    public void ArchitectureMismatchSaysWhatDiffers()
    {
        string path = Path.Combine(_directory, "small.weights.json");
        WeightsFile.SaveText(path, Network(TestShapes.Small, 2));
        var error = Assert.Throws<InvalidDataException>(() => WeightsFile.LoadText(path, Network(Tapped, 1)));
        Assert.Equal($"'{path}': the file holds weights for 'inputs=2;loss=BinaryCrossEntropy;dense(3,Tanh);dense(1,Sigmoid)' but the network is '{Tapped.Fingerprint()}'.", error.Message);
        Assert.Throws<FileNotFoundException>(() => WeightsFile.ReadText(Path.Combine(_directory, "missing.json")));
        string latin1 = Path.Combine(_directory, "latin1.json");
        File.WriteAllBytes(latin1, [0x7B, 0xE9, 0x7D]);
        var notText = Assert.Throws<InvalidDataException>(() => WeightsFile.ReadText(latin1));
        Assert.EndsWith("the file is not valid UTF-8 text, so it is not a text weights file.", notText.Message);
    }

    /// <summary>Random edits of valid files (some resealed so they pass the checksum): only InvalidDataException escapes.</summary>
    [Fact]
    public void RandomEditsOnlyEverGiveInvalidDataExceptions()
    {
        string[] originals = [WeightsFile.ToText(Network(TestShapes.Small, 2)), WeightsFile.ToText(Network(Tapped, 4))];
        string path = Path.Combine(_directory, "fuzz.weights.json");
        int loaded = 0;
        FuzzRunner.Run(FuzzRunner.Cases(2000), index => WeightsTextEdits.Mutate(index, originals), text =>
        {
            File.WriteAllText(path, text);
            WeightsFile.ReadText(path);
            loaded++;
        }, text => text.Length > 300 ? text[..300] + "..." : text, typeof(InvalidDataException));
        Assert.True(loaded < FuzzRunner.Cases(2000), "every mutated file loaded");
    }
}
