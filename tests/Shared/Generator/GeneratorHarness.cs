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

    public static GeneratorDriver CreateDriver(bool trackSteps = false, IEnumerable<AdditionalText>? additionalFiles = null) =>
        CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            additionalTexts: additionalFiles,
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Generator diagnostics and the compilation with the generated sources added.</summary>
    public static (ImmutableArray<Diagnostic> GeneratorDiagnostics, Compilation Output, GeneratorDriverRunResult Result) Run(params string[] sources) =>
        Run(sources, []);

    /// <summary><see cref="Run(string[])"/> with additional files (weights files for baked networks).</summary>
    public static (ImmutableArray<Diagnostic> GeneratorDiagnostics, Compilation Output, GeneratorDriverRunResult Result) Run(string[] sources, IEnumerable<AdditionalText> additionalFiles)
    {
        GeneratorDriver driver = CreateDriver(additionalFiles: additionalFiles).RunGeneratorsAndUpdateCompilation(Compilation(sources), out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
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

    /// <summary>An additional file held in memory, as a project's AdditionalFiles item hands it to the generator.</summary>
    public sealed class InMemoryFile(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(System.Threading.CancellationToken cancellationToken = default) =>
            Microsoft.CodeAnalysis.Text.SourceText.From(text, System.Text.Encoding.UTF8);
    }

    /// <summary>Declares a network in source: an attribute list per layer, e.g. <c>Dense(16, Activation.Tanh)</c>.</summary>
    public static string Declaration(string className, string network, params string[] layers) =>
        $"[Network({network})]\n" + string.Concat(layers.Select(l => $"[Dense({l})]\n")) + $"public partial class {className} {{ }}\n";
}
