using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using System.Threading;
using HiddenSpace.Gen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HiddenSpace.Compiler;

/// <summary>One file the generator wrote: its hint name and its text.</summary>
/// <param name="HintName">The name the generator gave the file (ends in <c>.g.cs</c>).</param>
/// <param name="Text">The generated C#.</param>
public sealed record GeneratedFile(string HintName, string Text);

/// <summary>What <see cref="RoslynBuild"/> produced: the generator's files and the compiled assembly.</summary>
internal sealed record BuildOutput(IReadOnlyList<GeneratedFile> Files, byte[]? Assembly, IReadOnlyList<string> Errors);

/// <summary>
/// The only place that touches Roslyn: runs the same <see cref="NetworkGenerator"/> a build runs, through Roslyn's
/// generator driver, over a declaration, and compiles the result against the running HiddenSpace.Gen runtime.
/// Kept apart so a cache hit never loads Microsoft.CodeAnalysis.
/// </summary>
internal static class RoslynBuild
{
    // The framework assemblies generated code and the runtime's public API touch, taken from the running runtime
    // (fewer references, less metadata to read: measured, see benchmarks/RESULTS.md).
    private static readonly string[] FrameworkAssemblies =
    [
        "System.Private.CoreLib", "System.Runtime", "System.Runtime.Intrinsics", "System.Numerics.Vectors",
        "System.Memory", "System.Runtime.InteropServices", "System.Collections",
    ];

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    // The generator's option for one lane width (generator/Model/EmitOptions.cs), as a build property would reach it.
    private const string LaneWidthOption = "build_property.HiddenSpace_LaneWidth";

    private static readonly Lazy<MetadataReference[]> References = new(CreateReferences);

    /// <summary>
    /// Runs the generator over <paramref name="declaration"/> and, unless the generator rejects it (then
    /// <see cref="ArchitectureRejectedException"/>), compiles declaration and output into an assembly named
    /// <paramref name="assemblyName"/>. Compiler errors in the output are returned, not thrown: they are our bug.
    /// <paramref name="laneWidth"/> ("512", "256" or "128") asks the generator for that lane form only, null for all
    /// three (what a build writes).
    /// </summary>
    public static BuildOutput Build(string assemblyName, string declaration, bool emit, string? laneWidth, CancellationToken cancellationToken)
    {
        SyntaxTree tree = CSharpSyntaxTree.ParseText(declaration, ParseOptions, path: "Declaration.cs", cancellationToken: cancellationToken);
        CSharpCompilation compilation = CSharpCompilation.Create(assemblyName, [tree], References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable,
                deterministic: true));
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new NetworkGenerator().AsSourceGenerator()], parseOptions: ParseOptions,
                optionsProvider: new GlobalOptionsProvider(laneWidth is null ? [] : new Dictionary<string, string> { [LaneWidthOption] = laneWidth }))
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics, cancellationToken);
        GeneratorRunResult run = driver.GetRunResult().Results.Single();
        var files = run.GeneratedSources.Select(s => new GeneratedFile(s.HintName, s.SourceText.ToString())).ToList();
        if (run.Exception is not null)
            return new BuildOutput(files, null, [$"the generator threw {run.Exception.GetType().Name}: {run.Exception.Message}"]);

        Diagnostic? rejection = generatorDiagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        if (rejection is not null)
            throw new ArchitectureRejectedException(rejection.Id, rejection.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        if (!emit) return new BuildOutput(files, null, []);

        using var stream = new MemoryStream();
        var result = output.Emit(stream, cancellationToken: cancellationToken);
        List<string> errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        return new BuildOutput(files, result.Success ? stream.ToArray() : null, errors);
    }

    private static MetadataReference[] CreateReferences()
    {
        string trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string
            ?? throw new InvalidOperationException("The runtime lists no trusted platform assemblies (a single-file app?); the network compiler needs the framework's assemblies on disk.");
        var byName = trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .GroupBy(path => Path.GetFileNameWithoutExtension(path), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var references = new List<MetadataReference>();
        foreach (string name in FrameworkAssemblies)
        {
            if (!byName.TryGetValue(name, out string? path))
                throw new InvalidOperationException($"The framework assembly '{name}' was not found among the runtime's trusted platform assemblies.");
            references.Add(MetadataReference.CreateFromFile(path));
        }
        string runtime = typeof(INetwork).Assembly.Location;
        if (runtime.Length == 0)
            throw new InvalidOperationException("The HiddenSpace.Gen runtime assembly was not loaded from a file (a single-file app?); the network compiler needs its path.");
        references.Add(MetadataReference.CreateFromFile(runtime));
        return [.. references];
    }

    /// <summary>Global analyzer options, as an .editorconfig or a build property would give them; none per file.</summary>
    private sealed class GlobalOptionsProvider(Dictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _global = new(values);

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new([]);

            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
