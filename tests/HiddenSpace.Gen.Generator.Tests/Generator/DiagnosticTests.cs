using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace HiddenSpace.Tests.Generator;

/// <summary>Each bad declaration: the exact ID, message and the source text the diagnostic points at.</summary>
public class DiagnosticTests
{
    private const string Usings = "using HiddenSpace;\n";

    public static IEnumerable<object[]> Cases() => new (string Source, string Id, string Message, string Span)[]
    {
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Sigmoid)] public class Plain { }",
            "HSG0001", "The class 'Plain' declares a network but is not partial; add the 'partial' modifier so the generator can add the network code to it", "Plain"),
        ("public class Outer { [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Sigmoid)] public partial class Inner { } }",
            "HSG0002", "The type 'Outer' contains the network class 'Inner' but is not partial; add the 'partial' modifier to 'Outer'", "Outer"),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Sigmoid)] public partial class Generic<T> { }",
            "HSG0003", "'Generic' cannot hold a network because it is generic; declare the network on a plain (non-generic, non-static, non-abstract) partial class", "Generic"),
        ("public partial class Box<T> { [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Sigmoid)] public partial class InGeneric { } }",
            "HSG0003", "'InGeneric' cannot hold a network because it is nested in the generic type 'Box'; declare the network on a plain (non-generic, non-static, non-abstract) partial class", "InGeneric"),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Sigmoid)] public static partial class Static { }",
            "HSG0003", "'Static' cannot hold a network because it is static; declare the network on a plain (non-generic, non-static, non-abstract) partial class", "Static"),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Sigmoid)] public abstract partial class Abstract { }",
            "HSG0003", "'Abstract' cannot hold a network because it is abstract; declare the network on a plain (non-generic, non-static, non-abstract) partial class", "Abstract"),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Sigmoid)] public partial record Rec { }",
            "HSG0003", "'Rec' cannot hold a network because it is a record; declare the network on a plain (non-generic, non-static, non-abstract) partial class", "Rec"),
        ("[Dense(4, Activation.Tanh)][Dense(1, Activation.Sigmoid)] public partial class Orphan { }",
            "HSG0004", "The class 'Orphan' has [Dense] layers but no [Network] attribute; add [Network(Inputs = ..., Loss = ...)] to declare the network", "Dense(4, Activation.Tanh)"),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)] public partial class Empty { }",
            "HSG0005", "The network 'Empty' has no [Dense] layers; add at least one [Dense(units, activation)] attribute (the last one is the output layer)", "Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)"),
        ("[Network(Inputs = 0, Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Sigmoid)] public partial class NoInputs { }",
            "HSG0006", "The network 'NoInputs' has Inputs = 0; set Inputs to the number of input features (at least 1)", "Inputs = 0"),
        ("[Network(Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Sigmoid)] public partial class MissingInputs { }",
            "HSG0006", "The network 'MissingInputs' has Inputs = 0; set Inputs to the number of input features (at least 1)", "Network(Loss = Loss.BinaryCrossEntropy)"),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(-3, Activation.Tanh)][Dense(1, Activation.Sigmoid)] public partial class Negative { }",
            "HSG0007", "Layer 1 of 'Negative' has -3 units; a layer needs at least 1 unit", "-3"),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(4, (Activation)42)][Dense(1, Activation.Sigmoid)] public partial class CastActivation { }",
            "HSG0008", "Layer 1 of 'CastActivation' has activation value 42, which is not a member of HiddenSpace.Activation; use one of Linear, ReLU, LeakyReLU, Tanh, Sigmoid, Softplus, GELU, ELU, Softmax", "(Activation)42"),
        ("[Network(Inputs = 2, Loss = (Loss)7)][Dense(1, Activation.Sigmoid)] public partial class CastLoss { }",
            "HSG0009", "The network 'CastLoss' has loss value 7, which is not a member of HiddenSpace.Loss; use BinaryCrossEntropy, MeanSquaredError or SoftmaxCrossEntropy", "Loss = (Loss)7"),
        ("[Network(Inputs = 2, Loss = Loss.SoftmaxCrossEntropy)][Dense(4, Activation.Softmax)][Dense(3, Activation.Softmax)] public partial class EarlySoftmax { }",
            "HSG0010", "Layer 1 of 'EarlySoftmax' uses Softmax, which is allowed on the output (last) layer only; use another activation here", "Activation.Softmax"),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Tanh)] public partial class BceTanh { }",
            "HSG0011", "The loss BinaryCrossEntropy of 'BceTanh' needs a Sigmoid output layer, but the output layer is Tanh with 1 unit; change the loss or the last [Dense] layer", "Loss = Loss.BinaryCrossEntropy"),
        ("[Network(Inputs = 2, Loss = Loss.SoftmaxCrossEntropy)][Dense(1, Activation.Softmax)] public partial class OneSoftmax { }",
            "HSG0011", "The loss SoftmaxCrossEntropy of 'OneSoftmax' needs a Softmax output layer of at least 2 units, but the output layer is Softmax with 1 unit; change the loss or the last [Dense] layer", "Loss = Loss.SoftmaxCrossEntropy"),
        ("[Network(Inputs = 2, Loss = Loss.MeanSquaredError)][Dense(3, Activation.Softmax)] public partial class MseSoftmax { }",
            "HSG0011", "The loss MeanSquaredError of 'MseSoftmax' needs an output layer that is not Softmax (Softmax goes with SoftmaxCrossEntropy), but the output layer is Softmax with 3 units; change the loss or the last [Dense] layer", "Loss = Loss.MeanSquaredError"),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(2, Activation.Tanh, Tap = \"2nd layer\")][Dense(1, Activation.Sigmoid)] public partial class BadTap { }",
            "HSG0012", "Tap name \"2nd layer\" on layer 1 of 'BadTap' is not a valid C# identifier; the tap becomes a property of that name, so use letters, digits and '_' and do not start with a digit", "Tap = \"2nd layer\""),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(2, Activation.Tanh, Tap = \"\")][Dense(1, Activation.Sigmoid)] public partial class EmptyTap { }",
            "HSG0012", "Tap name \"\" on layer 1 of 'EmptyTap' is not a valid C# identifier; the tap becomes a property of that name, so use letters, digits and '_' and do not start with a digit", "Tap = \"\""),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(2, Activation.Tanh, Tap = \"class\")][Dense(1, Activation.Sigmoid)] public partial class KeywordTap { }",
            "HSG0012", "Tap name \"class\" on layer 1 of 'KeywordTap' is not a valid C# identifier; the tap becomes a property of that name, so use letters, digits and '_' and do not start with a digit", "Tap = \"class\""),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(2, Activation.Tanh, Tap = \"H\")][Dense(2, Activation.Tanh, Tap = \"H\")][Dense(1, Activation.Sigmoid)] public partial class TwiceTap { }",
            "HSG0013", "Tap name \"H\" is used on layers 1 and 2 of 'TwiceTap'; give every tap its own name", "Tap = \"H\""),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(2, Activation.Tanh, Tap = \"Forward\")][Dense(1, Activation.Sigmoid)] public partial class ForwardTap { }",
            "HSG0014", "Tap name \"Forward\" of 'ForwardTap' is also the name of a member the generator writes (or of the class); choose another name", "Tap = \"Forward\""),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(2, Activation.Tanh, Tap = \"ForwardBatch\")][Dense(1, Activation.Sigmoid)] public partial class BatchTap { }",
            "HSG0014", "Tap name \"ForwardBatch\" of 'BatchTap' is also the name of a member the generator writes (or of the class); choose another name", "Tap = \"ForwardBatch\""),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(2, Activation.Tanh, Tap = \"MathF\")][Dense(1, Activation.Sigmoid)] public partial class AliasTap { }",
            "HSG0014", "Tap name \"MathF\" of 'AliasTap' is also the name of a member the generator writes (or of the class); choose another name", "Tap = \"MathF\""),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Sigmoid)] public partial class OwnAlias { private static int Unsafe; }",
            "HSG0016", "'OwnAlias' already declares 'Unsafe', which the generator writes for every network; rename or remove the member", "Unsafe"),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Sigmoid)] public partial class OwnForward { public void Forward() { } }",
            "HSG0016", "'OwnForward' already declares 'Forward', which the generator writes for every network; rename or remove the member", "Forward"),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Sigmoid)] public partial class OwnConstructor { public OwnConstructor(int size) { } }",
            "HSG0016", "'OwnConstructor' already declares 'OwnConstructor(int)', which the generator writes for every network; rename or remove the member", "OwnConstructor"),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(2, Activation.Tanh, Tap = \"ToString\")][Dense(1, Activation.Sigmoid)] public partial class ObjectTap { }",
            "HSG0014", "Tap name \"ToString\" of 'ObjectTap' is also the name of a member the generator writes (or of the class); choose another name", "Tap = \"ToString\""),
        ("public class Base { public int Parameters; } [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Sigmoid)] public partial class Derived : Base { }",
            "HSG0016", "'Derived' already declares 'Parameters (inherited from Base)', which the generator writes for every network; rename or remove the member", "Derived"),
        // Unrolling.Never: a layer this wide would also get the HSG0017 info, and each case expects one diagnostic only.
        ("[Network(Inputs = int.MaxValue, Loss = Loss.BinaryCrossEntropy, Unrolling = Unrolling.Never)][Dense(2, Activation.Tanh)][Dense(1, Activation.Sigmoid)] public partial class Huge { }",
            "HSG0019", "The network 'Huge' needs 4294967299 parameters and 2147483656 floats of scratch, more than one array can hold (2147483591); use fewer inputs or narrower layers", "Network(Inputs = int.MaxValue, Loss = Loss.BinaryCrossEntropy, Unrolling = Unrolling.Never)"),
        ("[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy, Unrolling = (Unrolling)5)][Dense(1, Activation.Sigmoid)] public partial class CastUnrolling { }",
            "HSG0018", "The network 'CastUnrolling' has Unrolling value 5, which is not a member of HiddenSpace.Unrolling; use Auto, Always or Never", "Unrolling = (Unrolling)5"),
        ("[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy, Unrolling = Unrolling.Always)][Dense(128, Activation.ReLU)][Dense(10, Activation.Softmax)] public partial class AlwaysHuge { }",
            "HSG0020", "Layer 1 of 'AlwaysHuge' has 100352 weights; Unrolling.Always unrolls at most 16384 weights a layer (beyond that the generated file runs to hundreds of thousands of lines that the JIT compiles unoptimised); use Unrolling.Auto, which writes this layer as vectorised loops", "Dense(128, Activation.ReLU)"),
    }.Select(c => new object[] { c.Source, c.Id, c.Message, c.Span });

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadDeclarationGetsExactlyThisDiagnostic(string source, string id, string message, string span)
    {
        (var diagnostics, Compilation output, _) = GeneratorHarness.Run(Usings + source);
        Diagnostic diagnostic = Assert.Single(diagnostics); // this one and no other
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage());
        Assert.Equal(span, SpanText(diagnostic, output));
        Assert.DoesNotContain(output.SyntaxTrees, tree => tree.FilePath.EndsWith(".g.cs")); // nothing emitted for a bad declaration
    }

    [Fact]
    public void DenseSplitAcrossPartialDeclarationsIsAmbiguous()
    {
        (var diagnostics, Compilation output, _) = GeneratorHarness.Run(
            Usings + "[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(4, Activation.Tanh)] public partial class Split { }",
            Usings + "[Dense(1, Activation.Sigmoid)] public partial class Split { }");
        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal("HSG0015", diagnostic.Id);
        Assert.Equal("The [Dense] layers of 'Split' are spread over several partial declarations, so their order is ambiguous; put all [Dense] attributes on one declaration", diagnostic.GetMessage());
        Assert.Equal("Source1.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal("Dense(1, Activation.Sigmoid)", SpanText(diagnostic, output));
    }

    [Fact]
    public void LayersOnAnotherPartialDeclarationThanNetworkAreFine()
    {
        (var diagnostics, Compilation output, _) = GeneratorHarness.Run(
            Usings + "[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)] public partial class Parts { }",
            Usings + "[Dense(3, Activation.Tanh)][Dense(1, Activation.Sigmoid)] public partial class Parts { }");
        Assert.Empty(diagnostics);
        GeneratorHarness.CompileAndLoad(output);
    }

    [Fact]
    public void KeywordNamesAreEscapedInTheGeneratedCode()
    {
        (var diagnostics, Compilation output, _) = GeneratorHarness.Run(
            Usings + "namespace @namespace { public partial class @class { [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Sigmoid)] public partial class @event { } } }");
        Assert.Empty(diagnostics);
        GeneratorHarness.CompileAndLoad(output);
    }

    [Fact]
    public void LargeLayerIsLoopedWithAnInfoThatSaysHowToOverride()
    {
        (var diagnostics, Compilation output, _) = GeneratorHarness.Run(
            Usings + "[Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy)][Dense(128, Activation.ReLU)][Dense(10, Activation.Softmax)] public partial class Digits { }");
        Assert.Equal(["HSG0017", "HSG0017"], diagnostics.Select(d => d.Id));
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Info, d.Severity));
        Assert.Equal("Layer 1 of 'Digits' has 100352 weights, more than the unroll limit of 512, so it is written as vectorised loops instead of unrolled code; set Unrolling = Unrolling.Always on [Network] to unroll it anyway",
            diagnostics[0].GetMessage());
        Assert.Equal("Dense(128, Activation.ReLU)", SpanText(diagnostics[0], output));
        GeneratorHarness.CompileAndLoad(output);
    }

    [Fact]
    public void NetworkRepeatedOnTwoPartsIsTheCompilersErrorAndTheGeneratorStillEmitsOnce()
    {
        (var diagnostics, Compilation output, var result) = GeneratorHarness.Run(
            Usings + "[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Sigmoid)] public partial class Twice { }",
            Usings + "[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)] public partial class Twice { }");
        Assert.Empty(diagnostics);
        Assert.Single(result.GeneratedTrees);
        Assert.Contains(output.GetDiagnostics(), d => d.Id == "CS0579");
    }

    [Fact]
    public void NetworkRepeatedWithTheLayersOnTheSecondPartStillEmitsOnce()
    {
        // Found by the fuzz test (seed 102046): both declarations were emitted, a duplicate hint name (CS8785) dropped all output.
        (var diagnostics, Compilation output, var result) = GeneratorHarness.Run(
            Usings + "[Network(Inputs = 1)] public partial class Twice { }\n"
                   + "[Network(Loss = Loss.BinaryCrossEntropy, Inputs = 4)][Dense(3, Activation.Sigmoid)] public partial class Twice { }\n"
                   + "public partial class Twice { }\n");
        Assert.Empty(diagnostics);
        Assert.Single(result.GeneratedTrees);
        Assert.Contains(output.GetDiagnostics(), d => d.Id == "CS0579");
    }

    [Fact]
    public void EveryDescriptorIsReleaseTracked()
    {
        string unshipped = System.IO.File.ReadAllText(System.IO.Path.Combine(Repository.Root(), "generator", "AnalyzerReleases.Unshipped.md"));
        foreach (DiagnosticDescriptor descriptor in HiddenSpace.Gen.Diagnostics.DiagnosticDescriptors.All)
            Assert.Contains($"{descriptor.Id} | HiddenSpace.Gen | {descriptor.DefaultSeverity} | {descriptor.Title}", unshipped);
    }

    /// <summary>
    /// The source text a diagnostic points at, which must lie in the compilation's own syntax tree of the file (there
    /// #pragma warning and .editorconfig severities apply to it).
    /// </summary>
    internal static string SpanText(Diagnostic diagnostic, Compilation compilation)
    {
        FileLinePositionSpan lines = diagnostic.Location.GetLineSpan();
        SyntaxTree tree = compilation.SyntaxTrees.Single(t => t.FilePath == lines.Path);
        Assert.Same(tree, diagnostic.Location.SourceTree);
        Assert.Equal(lines.Span, tree.GetText().Lines.GetLinePositionSpan(diagnostic.Location.SourceSpan));
        return tree.GetText().ToString(diagnostic.Location.SourceSpan);
    }
}
