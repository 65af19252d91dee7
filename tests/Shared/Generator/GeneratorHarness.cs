using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using HiddenSpace.Gen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Sdk;

namespace HiddenSpace.Tests.Generator;

/// <summary>Runs the generator in memory over source text, and compiles and loads what it wrote.</summary>
internal static class GeneratorHarness
{
    private static readonly MetadataReference[] References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(INetwork).Assembly.Location),
    ];

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Compilation(params string[] sources) =>
        Compilation(sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")));

    public static CSharpCompilation Compilation(IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create(
            "Consumer",
            trees,
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999, generalDiagnosticOption: ReportDiagnostic.Default));

    public static GeneratorDriver CreateDriver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Generator diagnostics and the compilation with the generated sources added.</summary>
    public static (ImmutableArray<Diagnostic> GeneratorDiagnostics, Compilation Output, GeneratorDriverRunResult Result) Run(params string[] sources)
    {
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(Compilation(sources), out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorDriverRunResult result = driver.GetRunResult();
        if (result.Results.Any(r => r.Exception is not null))
            throw new XunitException("The generator threw: " + result.Results.First(r => r.Exception is not null).Exception);
        return (diagnostics, output, result);
    }

    /// <summary>Compiles the generated output (failing on any error or warning) and loads it into a collectible context.</summary>
    public static Assembly CompileAndLoad(Compilation output)
    {
        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        List<Diagnostic> problems = emit.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        if (!emit.Success || problems.Count > 0)
            throw new XunitException("Generated code does not compile cleanly:\n" + string.Join("\n", problems));
        stream.Position = 0;
        return new AssemblyLoadContext("generated-" + Guid.NewGuid().ToString("N"), isCollectible: true).LoadFromStream(stream);
    }

    /// <summary>Declares a network in source: an attribute list per layer, e.g. <c>Dense(16, Activation.Tanh)</c>.</summary>
    public static string Declaration(string className, string network, params string[] layers) =>
        $"[Network({network})]\n" + string.Concat(layers.Select(l => $"[Dense({l})]\n")) + $"public partial class {className} {{ }}\n";
}
