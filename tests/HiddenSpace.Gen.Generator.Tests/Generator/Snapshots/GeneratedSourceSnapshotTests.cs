using System.Linq;
using System.Reflection;
using ApprovalTests;
using ApprovalTests.Reporters;
using ApprovalTests.Reporters.TestFrameworks;
using HiddenSpace.Gen.Emitting;
using Microsoft.CodeAnalysis;
using Xunit;

// A mismatch fails the test with xunit's string diff and launches nothing (no diff tool on a headless machine).
[assembly: UseReporter(typeof(XUnit2Reporter))]

namespace HiddenSpace.Tests.Generator.Snapshots;

/// <summary>
/// The exact text the generator writes for representative networks, against approved files beside this
/// source (<c>GeneratedSourceSnapshotTests.&lt;Method&gt;.approved.txt</c>). After an intended emitter change, run
/// the tests once and approve with <c>tests/approve-snapshots.sh</c> (see README, "Snapshots").
/// </summary>
public class GeneratedSourceSnapshotTests
{
    private const string Usings = "using HiddenSpace;\n";

    private const string SeedDeclaration = """
        namespace HiddenSpace.Samples.Moons;

        [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]
        [Dense(16, Activation.Tanh)]
        [Dense(16, Activation.Tanh)]
        [Dense(2, Activation.Tanh, Tap = "Bottleneck")]
        [Dense(1, Activation.Sigmoid)]
        public partial class MoonsNet { }
        """;

    [Fact]
    public void SeedNetworkWithTap() => VerifyGenerated(Usings + SeedDeclaration);

    [Fact]
    public void EveryHiddenActivationWithMeanSquaredError() => VerifyGenerated(Usings + """
        namespace Snapshots;

        [Network(Inputs = 3, Loss = Loss.MeanSquaredError)]
        [Dense(3, Activation.Linear, Tap = "Projected")]
        [Dense(3, Activation.ReLU)]
        [Dense(3, Activation.LeakyReLU)]
        [Dense(3, Activation.Tanh)]
        [Dense(3, Activation.Sigmoid)]
        [Dense(3, Activation.Softplus)]
        [Dense(3, Activation.GELU, Tap = "Smooth")]
        [Dense(3, Activation.ELU)]
        [Dense(2)]
        public partial class EveryActivation { }
        """);

    [Fact]
    public void SoftmaxWithSoftmaxCrossEntropy() => VerifyGenerated(Usings + """
        namespace Snapshots;

        [Network(Inputs = 4, Loss = Loss.SoftmaxCrossEntropy)]
        [Dense(5, Activation.ReLU)]
        [Dense(3, Activation.Softmax)]
        public partial class Iris { }
        """);

    [Fact]
    public void BinaryCrossEntropyWithSeveralSigmoidOutputs() => VerifyGenerated(Usings + """
        namespace Snapshots;

        [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]
        [Dense(3, Activation.ELU)]
        [Dense(2, Activation.Sigmoid, Tap = "Probabilities")]
        public partial class MultiLabel { }
        """);

    [Fact]
    public void NestedInPartialClass() => VerifyGenerated(Usings + """
        namespace Snapshots;

        public static partial class Models
        {
            internal partial class Outer
            {
                [Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
                [Dense(2, Activation.Tanh, Tap = "Hidden")]
                [Dense(1)]
                public partial class Regressor { }
            }
        }
        """);

    [Fact]
    public void NestedInPartialRecord() => VerifyGenerated(Usings + """
        namespace Snapshots;

        public partial record Experiment(string Name)
        {
            [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]
            [Dense(2, Activation.Sigmoid)]
            [Dense(1, Activation.Sigmoid)]
            private sealed partial class Net { }
        }
        """);

    [Fact]
    public void GlobalNamespace() => VerifyGenerated(Usings + """
        [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]
        [Dense(3, Activation.Softplus)]
        [Dense(1, Activation.Sigmoid)]
        internal partial class GlobalNet { }
        """);

    [Fact]
    public void LargeNetworkIsLooped() => VerifyGenerated(Usings + """
        namespace Snapshots;

        [Network(Inputs = 784, Loss = Loss.SoftmaxCrossEntropy)]
        [Dense(128, Activation.ReLU)]
        [Dense(64, Activation.ReLU, Tap = "Features")]
        [Dense(10, Activation.Softmax)]
        public partial class Digits { }
        """);

    [Fact]
    public void UnrollingNeverLoopsSmallLayers() => VerifyGenerated(Usings + """
        namespace Snapshots;

        [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy, Unrolling = Unrolling.Never)]
        [Dense(4, Activation.GELU)]
        [Dense(1, Activation.Sigmoid)]
        public partial class AlwaysLooped { }
        """);

    [Fact]
    public void UnrollingAlwaysUnrollsLargeLayers() => VerifyGenerated(Usings + """
        namespace Snapshots;

        [Network(Inputs = 33, Loss = Loss.MeanSquaredError, Unrolling = Unrolling.Always)]
        [Dense(16, Activation.LeakyReLU)]
        [Dense(1)]
        public partial class WideUnrolled { }
        """);

    [Fact]
    public void SeedNetworkLinesFitTheWidth()
    {
        string[] lines = GenerateSeed().Split('\n');
        string longest = lines.OrderByDescending(line => line.Length).First();
        Assert.True(longest.Length <= SourceWriter.MaxLineLength, $"{longest.Length} characters: {longest}");
    }

    [Fact]
    public void GeneratedCodeCarriesTheGeneratorAssemblysVersion()
    {
        string informational = typeof(NetworkEmitter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(informational.Split('+')[0], NetworkEmitter.GeneratorVersion);
        Assert.Contains($"[global::System.CodeDom.Compiler.GeneratedCode(\"HiddenSpace.Gen\", \"{NetworkEmitter.GeneratorVersion}\")]", GenerateSeed());
    }

    /// <summary>The seed network's generated file, unscrubbed.</summary>
    internal static string GenerateSeed()
    {
        (_, _, var result) = GeneratorHarness.Run(Usings + SeedDeclaration);
        return result.Results.Single().GeneratedSources.Single().SourceText.ToString();
    }

    /// <summary>The generator's version replaced by "{version}", so a version bump does not change the snapshots.</summary>
    internal static string ScrubVersion(string generated) => generated
        .Replace($"\"{NetworkEmitter.GeneratorName}\", \"{NetworkEmitter.GeneratorVersion}\"", $"\"{NetworkEmitter.GeneratorName}\", \"{{version}}\"")
        .Replace($"// {NetworkEmitter.GeneratorName} {NetworkEmitter.GeneratorVersion}:", $"// {NetworkEmitter.GeneratorName} {{version}}:");

    /// <summary>Runs the generator, checks the output compiles without a warning, and verifies the one generated file.</summary>
    private static void VerifyGenerated(string source)
    {
        (var diagnostics, Compilation output, var result) = GeneratorHarness.Run(source);
        Assert.DoesNotContain(diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        GeneratorHarness.CompileAndLoad(output);
        GeneratedSourceResult generated = Assert.Single(result.Results.Single().GeneratedSources);
        Approvals.Verify(ScrubVersion(generated.SourceText.ToString()));
    }
}
