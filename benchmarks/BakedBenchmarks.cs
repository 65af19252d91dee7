using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Basic.Reference.Assemblies;
using BenchmarkDotNet.Attributes;
using HiddenSpace.Baselines;
using HiddenSpace.Gen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace HiddenSpace.Benchmarks;

/// <summary>
/// Issue 14, forward pass of one sample with trained weights: the baked seed network (weights as constants, taking raw
/// features and standardising them itself) against the parameterised generated network and the naive hand-written
/// loops (jagged arrays), both given the standardised row. Each call takes the next of 4,096 moons rows. Setup checks
/// that the baked class gives the generated network's bits on every row.
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class BakedForwardBenchmarks
{
    private const int Rows = 4096;
    private readonly BakedSeedNet _baked = new();
    private SeedNet _generated = null!;
    private NaiveMlp _naive = null!;
    private float[] _raw = null!, _standardized = null!, _output = null!;
    private int _row;

    /// <summary>Loads the weights file into the parameterised networks and checks the baked class against them.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TrainedWeights weights = WeightsFile.ReadText(Path.Combine(AppContext.BaseDirectory, "moons.weights.json"));
        _generated = new SeedNet(seed: 0);
        weights.Parameters.CopyTo(_generated.Parameters);
        _naive = new NaiveMlp(weights.Shape, NetworkCase.LearningRate);
        _naive.LoadParameters(weights.Parameters);
        _raw = Datasets.Moons(Rows, noise: 0.1, seed: 1).Features.ToArray();
        _standardized = new float[_raw.Length];
        for (int r = 0; r < Rows; r++) weights.PrepareInput(_raw.AsSpan(2 * r, 2), _standardized.AsSpan(2 * r, 2));
        _output = new float[1];
        var expected = new float[1];
        for (int r = 0; r < Rows; r++)
        {
            _generated.Forward(_standardized.AsSpan(2 * r, 2), expected);
            _baked.Forward(_raw.AsSpan(2 * r, 2), _output);
            if (BitConverter.SingleToInt32Bits(expected[0]) != BitConverter.SingleToInt32Bits(_output[0]))
                throw new InvalidOperationException($"row {r}: generated {expected[0]:R}, baked {_output[0]:R}");
        }
    }

    private int NextRow() => _row = (_row + 1) & (Rows - 1);

    /// <summary>Jagged arrays, nested loops, on the standardised row.</summary>
    [Benchmark(Baseline = true)]
    public float Naive()
    {
        int r = NextRow();
        _naive.Forward(_standardized.AsSpan(2 * r, 2), _output);
        return _output[0];
    }

    /// <summary>The generated network (parameters in an array), on the standardised row.</summary>
    [Benchmark]
    public float Generated()
    {
        int r = NextRow();
        _generated.Forward(_standardized.AsSpan(2 * r, 2), _output);
        return _output[0];
    }

    /// <summary>The baked network on the raw row (it standardises it first).</summary>
    [Benchmark]
    public float Baked()
    {
        int r = NextRow();
        _baked.Forward(_raw.AsSpan(2 * r, 2), _output);
        return _output[0];
    }
}

/// <summary>
/// Issue 14, the cost of baking: the generator run on a declaration that names a weights file (the seed network and
/// 784-128-64-10, weights from a fresh network's initialisation written by <see cref="WeightsFile.ToText"/>), and the
/// generator run plus compiling the result to IL (what the build adds). Setup prints the weights file's and the
/// generated file's sizes and checks that the generated code compiles without errors.
/// </summary>
[MemoryDiagnoser]
public class BakeBenchmarks
{
    private readonly CSharpParseOptions _parseOptions = new(LanguageVersion.Latest);
    private CSharpCompilation _compilation = null!;
    private AdditionalText _weights = null!;

    /// <summary>Seed 2-16-16-2-1 or Large 784-128-64-10.</summary>
    [Params("Seed", "Large")]
    public string Network { get; set; } = "Seed";

    /// <summary>Builds the weights file and the compilation; prints the sizes.</summary>
    [GlobalSetup]
    public void Setup()
    {
        NetworkShape shape = BenchmarkShapes.Named(Network);
        string text = WeightsFile.ToText(new ReferenceNetwork(shape, seed: 0));
        _weights = new InMemoryText("net.weights.json", text);
        string declaration = shape.ToDeclaration("BakedNet");
        declaration = declaration.Insert(declaration.IndexOf(")]\n", StringComparison.Ordinal), ", Weights = \"net.weights.json\"");
        _compilation = CSharpCompilation.Create("Declared",
            [CSharpSyntaxTree.ParseText("using HiddenSpace;\n\nnamespace Declared;\n\n" + declaration, _parseOptions)],
            [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(INetwork).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));

        var clock = Stopwatch.StartNew();
        NewDriver().RunGeneratorsAndUpdateCompilation(_compilation, out Compilation output, out var generatorDiagnostics);
        TimeSpan generate = clock.Elapsed;
        SyntaxTree[] generated = [.. output.SyntaxTrees.Skip(1)];
        clock.Restart();
        var emit = output.Emit(Stream.Null);
        TimeSpan compile = clock.Elapsed;
        Diagnostic[] errors = [.. generatorDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning), .. emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)];
        if (generated.Length != 1 || errors.Length != 0)
            throw new InvalidOperationException($"Expected one generated file and no errors, got {generated.Length} files and: {string.Join("; ", errors.Select(e => e.ToString()))}");
        Console.WriteLine($"// {Network}: weights file {text.Length:N0} characters; baked file {generated[0].GetText().Length:N0} characters, " +
            $"{generated[0].GetText().Lines.Count:N0} lines; first run in this process: generator {generate.TotalSeconds:0.00} s, emit {compile.TotalSeconds:0.00} s");
    }

    /// <summary>A new driver running NetworkGenerator with the weights file on the prepared compilation.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriverRunResult RunGenerator() => NewDriver().RunGenerators(_compilation).GetRunResult();

    /// <summary>The generator, then compiling the declaration and the baked file to IL.</summary>
    [Benchmark]
    public bool RunGeneratorAndEmit()
    {
        NewDriver().RunGeneratorsAndUpdateCompilation(_compilation, out Compilation output, out _);
        return output.Emit(Stream.Null).Success;
    }

    private GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create([new NetworkGenerator().AsSourceGenerator()], additionalTexts: [_weights], parseOptions: _parseOptions);

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text, System.Text.Encoding.UTF8);
    }
}
