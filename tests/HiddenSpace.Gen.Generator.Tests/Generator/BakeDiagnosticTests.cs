using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace HiddenSpace.Tests.Generator;

/// <summary>Every reason a weights file cannot be baked: the exact ID, message and the source text the diagnostic points at.</summary>
public class BakeDiagnosticTests
{
    private const string Declaration = """
        using HiddenSpace;
        [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy, Weights = "small.weights.json")]
        [Dense(3, Activation.Tanh)]
        [Dense(1, Activation.Sigmoid)]
        public partial class Baked { }
        """;

    private static readonly string Valid = WeightsFile.ToText(new ReferenceNetwork(TestShapes.Small, seed: 2));

    private static string Edit(string find, string replace, bool reseal)
    {
        Assert.Contains(find, Valid);
        string text = Valid.Replace(find, replace, StringComparison.Ordinal);
        return reseal ? WeightsTextEdits.Reseal(text) : text;
    }

    private static readonly string Edited = Edit("\"biases\": [0, ", "\"biases\": [-0, ", reseal: false);

    /// <summary>The checksum message for <see cref="Edited"/>: the stored hash and the one its text has, as the documentation defines it.</summary>
    private static string ChecksumMessage()
    {
        string stored = Valid[(Valid.IndexOf("\"sha256\": \"", StringComparison.Ordinal) + 11)..][..16];
        string computed = WeightsTextEdits.Reseal(Edited)[(Edited.IndexOf("\"sha256\": \"", StringComparison.Ordinal) + 11)..][..16];
        return $"HSG0024: The weights file 'small.weights.json' of 'Baked' fails its check: checksum mismatch: the file stores SHA-256 {stored}... but its content hashes to {computed}...; " +
            "it was changed after it was written; restore the file, or if the change was meant, write it again with WeightsFile.SaveText (a hand edit is not baked)";
    }

    public static TheoryData<string, string, string, string> Cases() => new()
    {
        // description, source, files ("path|text" items joined by ';;'), expected "ID: message"
        { "not in AdditionalFiles", Declaration, "", "HSG0021: The network 'Baked' names the weights file 'small.weights.json', which is not among the project's AdditionalFiles; add <AdditionalFiles Include=\"small.weights.json\" /> to the project file (the name is matched against the end of each additional file's path)" },
        { "a longer path names another file", Declaration.Replace("\"small.weights.json\"", "\"models/small.weights.json\"", StringComparison.Ordinal), "/p/small.weights.json|" + Valid,
            "HSG0021: The network 'Baked' names the weights file 'models/small.weights.json', which is not among the project's AdditionalFiles; add <AdditionalFiles Include=\"models/small.weights.json\" /> to the project file (the name is matched against the end of each additional file's path)" },
        { "two files of that name", Declaration, "/p/a/small.weights.json|" + Valid + ";;/p/b/small.weights.json|" + Valid,
            "HSG0028: The network 'Baked' names the weights file 'small.weights.json', which matches several AdditionalFiles (/p/a/small.weights.json, /p/b/small.weights.json); name it by a longer part of its path" },
        { "not JSON", Declaration, "/p/small.weights.json|not a weights file",
            "HSG0022: The weights file 'small.weights.json' of 'Baked' cannot be read: line 1, column 1: unexpected 'n' where a value was expected; it is not valid JSON; write it again with WeightsFile.SaveText or hiddenspace train" },
        { "a member missing", Declaration, "/p/small.weights.json|" + Edit("  \"classes\": [\"0\", \"1\"],\n", "", reseal: true),
            "HSG0022: The weights file 'small.weights.json' of 'Baked' cannot be read: line 1, column 1: the file has no \"classes\" member; write it again with WeightsFile.SaveText or hiddenspace train" },
        { "newer version", Declaration, "/p/small.weights.json|" + Edit("\"version\": 1,", "\"version\": 2,", reseal: false),
            "HSG0023: The weights file 'small.weights.json' of 'Baked' cannot be baked: format version 2 is newer than this version of HiddenSpace.Gen reads (version 1); update HiddenSpace.Gen" },
        { "edited weight", Declaration, "/p/small.weights.json|" + Edited, ChecksumMessage() },
        { "another architecture", Declaration.Replace("[Dense(3, Activation.Tanh)]", "[Dense(4, Activation.Tanh)]", StringComparison.Ordinal), "/p/small.weights.json|" + Valid,
            "HSG0025: The weights file 'small.weights.json' holds weights for 'inputs=2;loss=BinaryCrossEntropy;dense(3,Tanh);dense(1,Sigmoid)' but 'Baked' declares 'inputs=2;loss=BinaryCrossEntropy;dense(4,Tanh);dense(1,Sigmoid)' (layer 1 differs: dense(3,Tanh) in the file, dense(4,Tanh) declared); declare the architecture the file was trained with, or name this network's file" },
        { "another tap", Declaration.Replace("[Dense(3, Activation.Tanh)]", "[Dense(3, Activation.Tanh, Tap = \"Hidden\")]", StringComparison.Ordinal), "/p/small.weights.json|" + Valid,
            "HSG0025: The weights file 'small.weights.json' holds weights for 'inputs=2;loss=BinaryCrossEntropy;dense(3,Tanh);dense(1,Sigmoid)' but 'Baked' declares 'inputs=2;loss=BinaryCrossEntropy;dense(3,Tanh,tap=Hidden);dense(1,Sigmoid)' (layer 1 differs: dense(3,Tanh) in the file, dense(3,Tanh,tap=Hidden) declared); declare the architecture the file was trained with, or name this network's file" },
        { "overflowing weight", Declaration, "/p/small.weights.json|" + Edit("\"biases\": [0, ", "\"biases\": [1e39, ", reseal: true),
            "HSG0026: The weights file 'small.weights.json' of 'Baked' holds a value that is not finite: line 21, column 18: layer 1 \"biases\" item 1 is 1e39, beyond the range of a float; every value must be finite; a baked network needs finite weights: train again (a lower learning rate often helps) and save the file again" },
        { "layer too large", """
            using HiddenSpace;
            [Network(Inputs = 1024, Loss = Loss.SoftmaxCrossEntropy, Weights = "large.weights.json", Unrolling = Unrolling.Never)]
            [Dense(512, Activation.ReLU)]
            [Dense(10, Activation.Softmax)]
            public partial class Large { }
            """, "",
            "HSG0027: Layer 1 of 'Large' has 524288 weights; a baked network holds at most 262144 weights a layer (this one alone would add about 7.5 MB of C# to the build); remove Weights from [Network] and load the file at run time with WeightsFile.LoadText, or export it with hiddenspace export --format onnx" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FileThatCannotBeBakedGetsExactlyThisDiagnostic(string description, string source, string files, string expected)
    {
        List<GeneratorHarness.InMemoryFile> additional = files.Length == 0 ? []
            : [.. files.Split(";;").Select(f => new GeneratorHarness.InMemoryFile(f[..f.IndexOf('|', StringComparison.Ordinal)], f[(f.IndexOf('|', StringComparison.Ordinal) + 1)..]))];
        (var diagnostics, Compilation output, var result) = GeneratorHarness.Run([source], additional);
        Diagnostic diagnostic = Assert.Single(diagnostics); // this one and no other
        Assert.True(expected.Length > 7, description);
        Assert.Equal(expected[..7], diagnostic.Id);
        Assert.Equal(expected[9..], diagnostic.GetMessage());
        string span = description == "layer too large" ? "Dense(512, Activation.ReLU)" : System.Text.RegularExpressions.Regex.Match(source, "Weights = \"[^\"]*\"").Value;
        Assert.Equal(span, DiagnosticTests.SpanText(diagnostic, output));
        Assert.Empty(result.GeneratedTrees);
    }

    [Fact]
    public void BakedMembersAreReservedAndTrainingMembersAreNot()
    {
        (var diagnostics, Compilation output, _) = GeneratorHarness.Run(Declaration.Replace("public partial class Baked { }", "public partial class Baked { public int Predict() => 0; }", StringComparison.Ordinal));
        Diagnostic collision = Assert.Single(diagnostics);
        Assert.Equal("HSG0016", collision.Id);
        Assert.Equal("'Baked' already declares 'Predict', which the generator writes for every network; rename or remove the member", collision.GetMessage());
        Assert.Equal("Predict", DiagnosticTests.SpanText(collision, output));

        (diagnostics, output, _) = GeneratorHarness.Run(Declaration.Replace("[Dense(3, Activation.Tanh)]", "[Dense(3, Activation.Tanh, Tap = \"Layer1Weights\")]", StringComparison.Ordinal));
        Diagnostic tap = Assert.Single(diagnostics);
        Assert.Equal("HSG0014", tap.Id);
        Assert.Equal("Tap = \"Layer1Weights\"", DiagnosticTests.SpanText(tap, output));

        // A baked class has no gradients, no seed constructor: the names a trainable network needs are the user's.
        string ownMembers = Declaration.Replace("[Dense(3, Activation.Tanh)]", "[Dense(3, Activation.Tanh, Tap = \"Gradients\")]", StringComparison.Ordinal)
            .Replace("{ }", "{ public Baked(int seed) { } public Baked() { } public void AccumulateGradients() { } }", StringComparison.Ordinal);
        string file = WeightsFile.ToText(new ReferenceNetwork(new NetworkShape(2, Loss.BinaryCrossEntropy, new LayerShape(3, Activation.Tanh, "Gradients"), new LayerShape(1, Activation.Sigmoid)), seed: 2));
        (diagnostics, output, _) = GeneratorHarness.Run([ownMembers], [new GeneratorHarness.InMemoryFile("/p/small.weights.json", file)]);
        Assert.Empty(diagnostics);
        GeneratorHarness.CompileAndLoad(output);
    }
}
