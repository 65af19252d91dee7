using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using HiddenSpace.Gen;
using HiddenSpace.Gen.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace HiddenSpace.Tests.Generator;

/// <summary>The incremental pipeline caches: unrelated edits re-run nothing; a width change regenerates that network only.</summary>
public class CachingTests
{
    private const string Networks = """
        using HiddenSpace;
        namespace First { [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(8, Activation.Tanh)][Dense(1, Activation.Sigmoid)] public partial class Net { } }
        namespace Second { [Network(Inputs = 3, Loss = Loss.MeanSquaredError)][Dense(4, Activation.ReLU, Tap = "H")][Dense(1)] public partial class Net { } }
        namespace Third { [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy, Weights = "small.weights.json")][Dense(3, Activation.Tanh)][Dense(1, Activation.Sigmoid)] public partial class Baked { } }
        """;

    private static readonly string[] TrackedSteps =
    [
        TrackingNames.NetworkDeclarations, TrackingNames.NetworkSpecs, TrackingNames.BakeRequests, TrackingNames.WeightsFiles, TrackingNames.BakedNetworks,
        TrackingNames.BakedSpecs, TrackingNames.EmitOptions,
    ];

    // The diagnostic lists are reported against the compilation's syntax trees, so only non-empty lists reach an output:
    // Roslyn records a step only when an output's entries lead back to it, so these show up when some declaration has a
    // diagnostic (see the tests with one).
    private static readonly string[] DiagnosticSteps = [TrackingNames.NetworkDiagnostics, TrackingNames.OrphanDenseDiagnostics, TrackingNames.BakeDiagnostics];

    private static GeneratorHarness.InMemoryFile WeightsFileOf(int seed) =>
        new("/project/small.weights.json", WeightsFile.ToText(new ReferenceNetwork(TestShapes.Small, seed)));

    // An unrelated additional file: read by nobody, it must not disturb the weights file's step.
    private static readonly GeneratorHarness.InMemoryFile Readme = new("/project/README.md", "# readme");

    private static GeneratorDriver Driver() => GeneratorHarness.CreateDriver(trackSteps: true, additionalFiles: [WeightsFileOf(1), Readme]);

    [Fact]
    public void UnrelatedEditLeavesEveryStepCachedOrUnchanged()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Networks, "public class Unrelated { }");
        GeneratorDriver driver = Driver().RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();
        Assert.Equal(3, first.GeneratedSources.Length);

        CSharpCompilation edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Last(),
            CSharpSyntaxTree.ParseText("public class Unrelated { public int Added; }", GeneratorHarness.ParseOptions, path: "Source1.cs"));
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in TrackedSteps)
        {
            Assert.True(second.TrackedSteps.ContainsKey(step), $"step {step} was not tracked (tracked: {string.Join(", ", second.TrackedSteps.Keys)})");
            Assert.All(second.TrackedSteps[step].SelectMany(s => s.Outputs), o =>
                Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
        Assert.All(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void UnrelatedEditLeavesTheDiagnosticStepsCachedAndStillReportsThem()
    {
        const string withDiagnostics = """
            using HiddenSpace;
            namespace Looped { [Network(Inputs = 64, Loss = Loss.MeanSquaredError)][Dense(16, Activation.ReLU)][Dense(1)] public partial class Wide { } }
            namespace Orphans { [Dense(2)] public partial class Orphan { } }
            namespace Unbaked { [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy, Weights = "missing.weights.json")][Dense(1, Activation.Sigmoid)] public partial class Baked { } }
            """;
        CSharpCompilation compilation = GeneratorHarness.Compilation(withDiagnostics, "public class Unrelated { }");
        GeneratorDriver driver = Driver().RunGenerators(compilation);
        string[] firstIds = [.. driver.GetRunResult().Diagnostics.Select(d => d.Id).Order()];
        Assert.Equal(3, firstIds.Length);

        CSharpCompilation edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Last(),
            CSharpSyntaxTree.ParseText("public class Unrelated { public int Added; }", GeneratorHarness.ParseOptions, path: "Source1.cs"));
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in DiagnosticSteps)
        {
            Assert.True(second.TrackedSteps.ContainsKey(step), $"step {step} was not tracked (tracked: {string.Join(", ", second.TrackedSteps.Keys)})");
            Assert.All(second.TrackedSteps[step].SelectMany(s => s.Outputs), o =>
                Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
        // The report itself meets the new compilation (its trees are where the diagnostics are placed), so it runs again.
        Assert.Equal(firstIds, second.Diagnostics.Select(d => d.Id).Order());
    }

    [Fact]
    public void ChangingOneLayerWidthRegeneratesThatNetworkOnly()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Networks);
        GeneratorDriver driver = Driver().RunGenerators(compilation);
        string firstBefore = driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == "First.Net.g.cs").SourceText.ToString();

        CSharpCompilation edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(Networks.Replace("Dense(8, Activation.Tanh)", "Dense(9, Activation.Tanh)"), GeneratorHarness.ParseOptions, path: "Source0.cs"));
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        IncrementalStepRunReason[] specReasons = second.TrackedSteps[TrackingNames.NetworkSpecs].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
        Assert.Equal(2, specReasons.Length); // the baked network is not a trainable spec
        Assert.Equal(IncrementalStepRunReason.Modified, specReasons[0]);
        Assert.True(specReasons[1] is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"second network: {specReasons[1]}");
        string firstAfter = second.GeneratedSources.Single(s => s.HintName == "First.Net.g.cs").SourceText.ToString();
        Assert.NotEqual(firstBefore, firstAfter);
        Assert.Contains("Dense 2 -> 9, Tanh", firstAfter);
    }

    [Fact]
    public void EditingTheWeightsFileRebakesThatNetworkOnly()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Networks);
        GeneratorHarness.InMemoryFile weights = WeightsFileOf(1);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true, additionalFiles: [weights, Readme]).RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();
        string before = first.GeneratedSources.Single(s => s.HintName == "Third.Baked.g.cs").SourceText.ToString();

        GeneratorRunResult second = driver.ReplaceAdditionalText(weights, WeightsFileOf(2)).RunGenerators(compilation).GetRunResult().Results.Single();

        foreach (string step in new[] { TrackingNames.WeightsFiles, TrackingNames.BakedNetworks, TrackingNames.BakedSpecs })
            Assert.Equal([IncrementalStepRunReason.Modified], second.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason));
        foreach (string step in new[] { TrackingNames.NetworkDeclarations, TrackingNames.NetworkSpecs, TrackingNames.BakeRequests })
            Assert.All(second.TrackedSteps[step].SelectMany(s => s.Outputs), o =>
                Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        string after = second.GeneratedSources.Single(s => s.HintName == "Third.Baked.g.cs").SourceText.ToString();
        Assert.NotEqual(before, after);
        Assert.Equal(first.GeneratedSources.Single(s => s.HintName == "First.Net.g.cs").SourceText.ToString(),
            second.GeneratedSources.Single(s => s.HintName == "First.Net.g.cs").SourceText.ToString());
    }

    [Fact]
    public void ALaneWidthOptionWritesThatLaneFormOnly()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Networks);
        string all = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single()
            .GeneratedSources.Single(s => s.HintName == "First.Net.g.cs").SourceText.ToString();
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true)
            .WithUpdatedAnalyzerConfigOptions(new GlobalOptionsProvider(EmitOptions.LaneWidthOption, "256"))
            .RunGenerators(compilation);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        string one = result.GeneratedSources.Single(s => s.HintName == "First.Net.g.cs").SourceText.ToString();

        foreach (string width in new[] { "512", "256", "128" })
            Assert.Contains($"void ForwardLayer1Lanes{width}(", all);
        Assert.Contains("void ForwardLayer1Lanes256(", one);
        Assert.DoesNotContain("Lanes512", one);
        Assert.DoesNotContain("Lanes128", one);
        Assert.Contains("int batchRows = LaneKernels.Lanes == 8 ? LaneKernels.LaneRows(rows) : 0;", one);
        Assert.True(one.Length < all.Length / 2, $"{one.Length} characters with one width, {all.Length} with three");
        Assert.Equal(new EmitOptions("256"), result.TrackedSteps[TrackingNames.EmitOptions].Single().Outputs.Single().Value);
    }

    [Theory]
    [InlineData("64")]
    [InlineData("")]
    [InlineData("512,256")]
    public void AnyOtherLaneWidthValueWritesAllThree(string value) =>
        Assert.Equal(EmitOptions.AllWidths, EmitOptions.From(new GlobalOptionsProvider(EmitOptions.LaneWidthOption, value).GlobalOptions));

    [Fact]
    public void StepOutputsHoldNoSymbolsSyntaxOrCompilations()
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(Networks, "using HiddenSpace; [Dense(2)] public partial class Orphan { }",
            "using HiddenSpace; [Network(Inputs = 0)][Dense(1)] public partial class Broken { }");
        GeneratorRunResult result = Driver().RunGenerators(compilation).GetRunResult().Results.Single();
        int visited = 0;
        foreach (string step in TrackedSteps.Concat([TrackingNames.NetworkDiagnostics, TrackingNames.OrphanDenseDiagnostics]))
            foreach (object value in result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value))
                visited += AssertValueOnly(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
        Assert.True(visited > 10, $"only {visited} objects visited");
    }

    [Fact]
    public void SameSimpleNameInTwoNamespacesGetsTwoFilesAndOutputIsDeterministic()
    {
        GeneratorRunResult first = GeneratorHarness.Run(Networks).Result.Results.Single();
        GeneratorRunResult again = GeneratorHarness.Run(Networks).Result.Results.Single();
        Assert.Equal(["First.Net.g.cs", "Second.Net.g.cs"], first.GeneratedSources.Select(s => s.HintName).Order()); // Third.Baked has no weights file here
        Assert.Equal(first.GeneratedSources.Select(s => s.SourceText.ToString()), again.GeneratedSources.Select(s => s.SourceText.ToString()));
    }

    [Fact]
    public void NamesThatMangleToTheSameHintNameGetDistinctFiles()
    {
        (var diagnostics, Compilation output, var result) = GeneratorHarness.Run("""
            using HiddenSpace;
            namespace Names
            {
                public partial class @class { [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Sigmoid)] public partial class Net { } }
                public partial class _class { [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)][Dense(1, Activation.Sigmoid)] public partial class Net { } }
            }
            """);
        Assert.Empty(diagnostics);
        Assert.Equal(["Names._class.Net.095955a2ed441b3ba.g.cs", "Names._class.Net.g.cs"], result.Results.Single().GeneratedSources.Select(s => s.HintName).Order());
        GeneratorHarness.CompileAndLoad(output);
    }

    private static int AssertValueOnly(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value)) return 0;
        Type type = value.GetType();
        Assert.False(value is ISymbol or SyntaxNode or SyntaxTree or Location or Compilation or SemanticModel,
            $"{path} holds a {type.FullName}");
        Assert.False(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(System.Collections.Immutable.ImmutableArray<>),
            $"{path} holds an ImmutableArray (not equatable by content)");
        int count = 1;
        if (value is IEnumerable sequence)
            foreach (object? item in sequence) count += AssertValueOnly(item, path + "[]", seen);
        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            count += AssertValueOnly(field.GetValue(value), path + "." + field.Name, seen);
        return count;
    }
}

/// <summary>Global analyzer options with one key, as a build property gives them.</summary>
internal sealed class GlobalOptionsProvider(string key, string value) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider
{
    private readonly Options _global = new(key, value);

    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GlobalOptions => _global;

    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options("", "");

    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options("", "");

    private sealed class Options(string key, string value) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
    {
        public override bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? found)
        {
            found = name == key ? value : null;
            return found is not null;
        }
    }
}
