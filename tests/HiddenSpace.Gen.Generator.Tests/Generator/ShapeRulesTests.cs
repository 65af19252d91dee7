using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace HiddenSpace.Tests.Generator;

/// <summary>
/// The generator and the runtime's NetworkShape check shapes by one set of rules (generator/Shared/ShapeRules.cs):
/// for every loss and output layer, the generator reports HSG0011 exactly when NetworkShape throws, and both say what
/// the loss needs in the same words; a hidden Softmax is HSG0010 in one and an exception in the other; a tap name is
/// refused by both exactly when Roslyn says it is not an identifier or is a keyword.
/// </summary>
public class ShapeRulesTests
{
    public static IEnumerable<object[]> OutputLayers() =>
        from loss in Enum.GetValues<Loss>()
        from activation in Enum.GetValues<Activation>()
        from units in new[] { 1, 3 }
        select new object[] { loss, activation, units };

    [Theory]
    [MemberData(nameof(OutputLayers))]
    public void LossAgainstOutputLayerAgrees(Loss loss, Activation activation, int units)
    {
        string? runtimeMessage = null;
        try
        {
            _ = new NetworkShape(2, loss, new LayerShape(4, Activation.Tanh), new LayerShape(units, activation));
        }
        catch (ArgumentException exception)
        {
            runtimeMessage = exception.Message;
        }
        (var diagnostics, _, _) = GeneratorHarness.Run(
            $"using HiddenSpace; [Network(Inputs = 2, Loss = Loss.{loss})][Dense(4, Activation.Tanh)][Dense({units}, Activation.{activation})] public partial class Net {{ }}");
        Diagnostic? generatorError = diagnostics.SingleOrDefault(d => d.Severity == DiagnosticSeverity.Error);

        Assert.Equal(runtimeMessage is not null, generatorError is not null);
        if (generatorError is null) return;
        Assert.Equal("HSG0011", generatorError.Id);
        string needs = generatorError.GetMessage().Split(" needs ")[1].Split(", but")[0];
        Assert.StartsWith($"{loss} needs {needs}, not {activation} with {units} unit", runtimeMessage);
    }

    /// <summary>Keywords, contextual keywords, Unicode edge cases and 2,000 seeded random strings.</summary>
    private static IEnumerable<string> TapNameCorpus()
    {
        foreach (SyntaxKind kind in SyntaxFacts.GetKeywordKinds().Concat(SyntaxFacts.GetContextualKeywordKinds()))
            yield return SyntaxFacts.GetText(kind);
        string[] edges = ["", "_", "__", "1a", "a1", "a-b", "a b", "a.b", "@class", "é", "Δx", "x\u0301", "a\u200D", "\u200Da",
            "ǅ", "ʰ", "Ⅻ", "a٣", "a‿b", "‿a", "\uD83D\uDE00", "a\0", "Bottleneck", "__arglist"];
        foreach (string edge in edges) yield return edge;
        var random = new SeededRandom(12);
        for (int i = 0; i < 2000; i++)
        {
            var chars = new char[1 + random.NextInt(4)];
            for (int c = 0; c < chars.Length; c++)
                chars[c] = random.NextInt(4) == 0 ? (char)('a' + random.NextInt(26)) : (char)(0x20 + random.NextInt(0x3000));
            yield return new string(chars);
        }
    }

    [Fact]
    public void TapNamesAreRefusedExactlyWhereRoslynSaysTheyAreNotIdentifiers()
    {
        foreach (string name in TapNameCorpus())
        {
            bool expected = SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None;
            bool accepted = true;
            try
            {
                _ = new NetworkShape(2, Loss.BinaryCrossEntropy, new LayerShape(4, Activation.Tanh, name), new LayerShape(1, Activation.Sigmoid));
            }
            catch (ArgumentException exception)
            {
                accepted = false;
                Assert.Contains("is not a C# identifier", exception.Message, StringComparison.Ordinal);
            }
            Assert.True(expected == accepted, $"tap name \"{name}\" (U+{string.Join(" U+", name.Select(c => ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture)))}): Roslyn {expected}, NetworkShape {accepted}");
        }
    }

    [Theory]
    [InlineData("class", true)]
    [InlineData("var", false)]
    [InlineData("Δx", false)]
    [InlineData("a\u200D", false)]
    [InlineData("1a", true)]
    public void TheGeneratorRefusesTheTapNamesNetworkShapeRefuses(string name, bool refused)
    {
        (var diagnostics, _, _) = GeneratorHarness.Run(
            $"using HiddenSpace; [Network(Inputs = 2)][Dense(4, Activation.Tanh, Tap = \"{name}\")][Dense(1, Activation.Sigmoid)] public partial class Net {{ }}");
        Assert.Equal(refused, diagnostics.Any(d => d.Id == "HSG0012"));
        Assert.Equal(refused, Record.Exception(() => new NetworkShape(2, Loss.BinaryCrossEntropy,
            new LayerShape(4, Activation.Tanh, name), new LayerShape(1, Activation.Sigmoid))) is ArgumentException);
    }

    [Fact]
    public void SoftmaxBeforeTheOutputLayerIsRefusedByBoth()
    {
        Assert.Throws<ArgumentException>(() => new NetworkShape(2, Loss.SoftmaxCrossEntropy,
            new LayerShape(4, Activation.Softmax), new LayerShape(3, Activation.Softmax)));
        (var diagnostics, _, _) = GeneratorHarness.Run(
            "using HiddenSpace; [Network(Inputs = 2, Loss = Loss.SoftmaxCrossEntropy)][Dense(4, Activation.Softmax)][Dense(3, Activation.Softmax)] public partial class Net { }");
        Assert.Equal("HSG0010", Assert.Single(diagnostics, d => d.Severity == DiagnosticSeverity.Error).Id);
    }
}
