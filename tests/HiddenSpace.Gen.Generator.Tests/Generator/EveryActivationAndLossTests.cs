using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using HiddenSpace.Tests.Numerics;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Generator;

/// <summary>
/// Every activation, as hidden layer and (for MSE) as output layer, under every loss, in unrolled and in loop
/// form: generated in memory, compiled with zero warnings, loaded, and compared with the reference network.
/// </summary>
public class EveryActivationAndLossTests(ITestOutputHelper output)
{
    [Fact]
    public void GeneratedCodeMatchesReferenceForEveryActivationLossAndForm()
    {
        var declarations = new List<(string Name, int Seed)>();
        var source = new System.Text.StringBuilder("using HiddenSpace;\nnamespace Combos;\n");
        int seed = 100;
        foreach (Activation hidden in Enum.GetValues<Activation>().Where(a => a != Activation.Softmax))
            foreach ((string loss, string outputLayer) in new[]
            {
                ("BinaryCrossEntropy", "2, Activation.Sigmoid"),
                ("SoftmaxCrossEntropy", "3, Activation.Softmax"),
                ("MeanSquaredError", $"2, Activation.{hidden}"),
            })
                foreach (string unrolling in new[] { "Auto", "Never" })
                {
                    string name = $"{hidden}{loss}{unrolling}";
                    source.Append(GeneratorHarness.Declaration(name, $"Inputs = 3, Loss = Loss.{loss}, Unrolling = Unrolling.{unrolling}",
                        $"5, Activation.{hidden}", $"4, Activation.{hidden}, Tap = \"Hidden\"", outputLayer));
                    declarations.Add((name, seed++));
                }

        (var diagnostics, Compilation compiled, _) = GeneratorHarness.Run(source.ToString());
        Assert.Empty(diagnostics);
        Assembly assembly = GeneratorHarness.CompileAndLoad(compiled);
        foreach ((string name, int networkSeed) in declarations)
        {
            var network = (INetwork)Activator.CreateInstance(assembly.GetType("Combos." + name, throwOnError: true)!, networkSeed)!;
            output.WriteLine($"{name,-40} {ReferenceComparison.Compare(network, networkSeed)}");
        }
        Assert.Equal(48, declarations.Count);
    }
}
