using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace HiddenSpace.Tests.Generator;

/// <summary>
/// The generator and the runtime's NetworkShape check shapes by one set of rules (generator/Shared/ShapeRules.cs):
/// for every loss and output layer, the generator reports HSG0011 exactly when NetworkShape throws, and both say what
/// the loss needs in the same words; a hidden Softmax is HSG0010 in one and an exception in the other.
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
