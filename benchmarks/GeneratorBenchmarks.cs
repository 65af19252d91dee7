using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Basic.Reference.Assemblies;
using HiddenSpace.Baselines;
using HiddenSpace.Gen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HiddenSpace.Benchmarks;

/// <summary>
/// (e) The cost of the source generator itself on one declaration: the seed network (typical) and the
/// 784-128-64-10 network. <see cref="RunGenerator"/> runs a fresh driver on an already-bound compilation
/// (what a build pays for the generator); <see cref="ParseCompileAndRunGenerator"/> also parses the file
/// and creates the compilation (references are reused).
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private readonly CSharpParseOptions _parseOptions = new(LanguageVersion.Latest);
    private List<MetadataReference> _references = null!;
    private string _source = null!;
    private CSharpCompilation _compilation = null!;

    /// <summary>Seed 2-16-16-2-1 or Large 784-128-64-10.</summary>
    [Params("Seed", "Large")]
    public string Network { get; set; } = "Seed";

    /// <summary>
    /// Builds the compilation and checks that the generator writes one file that compiles, with no warning or
    /// error (the Large network gets the info HSG0017 for its looped layers, which is expected).
    /// </summary>
    [GlobalSetup]
    public void Setup()
    {
        _references = [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(INetwork).Assembly.Location)];
        _source = "using HiddenSpace;\n\nnamespace Declared;\n\n" + BenchmarkShapes.Named(Network).ToDeclaration("DeclaredNet");
        _compilation = Compile(_source);
        GeneratorDriverRunResult result = RunGenerator();
        Compilation output = _compilation.AddSyntaxTrees(result.GeneratedTrees);
        Diagnostic[] errors = [.. result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning), .. output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];
        if (result.GeneratedTrees.Length != 1 || errors.Length != 0)
            throw new InvalidOperationException($"Expected one generated file and no errors, got {result.GeneratedTrees.Length} files and: {string.Join("; ", errors.Select(e => e.ToString()))}");
    }

    /// <summary>A new driver running NetworkGenerator on the prepared compilation.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriverRunResult RunGenerator() => NewDriver().RunGenerators(_compilation).GetRunResult();

    /// <summary>Parse, create the compilation, run the generator.</summary>
    [Benchmark]
    public GeneratorDriverRunResult ParseCompileAndRunGenerator() => NewDriver().RunGenerators(Compile(_source)).GetRunResult();

    private GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create([new NetworkGenerator().AsSourceGenerator()], parseOptions: _parseOptions);

    private CSharpCompilation Compile(string source) => CSharpCompilation.Create(
        "Declared",
        [CSharpSyntaxTree.ParseText(source, _parseOptions)],
        _references,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
}
