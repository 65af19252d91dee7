using BenchmarkDotNet.Attributes;

namespace HiddenSpace.Benchmarks;

/// <summary>(a) Forward pass of one sample. Each call takes the next of 4,096 rows.</summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class ForwardBenchmarks
{
    private NetworkCase _case = null!;
    private float[] _output = null!;
    private int _row;

    /// <summary>Seed 2-16-16-2-1, Mid 8-64-64-2-4, Large 784-128-64-10.</summary>
    [Params("Seed", "Mid", "Large")]
    public string Network { get; set; } = "Seed";

    /// <summary>Builds the networks and data.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _case = NetworkCase.Create(Network);
        _output = new float[_case.Shape.Outputs];
    }

    private int NextRow() => _row = (_row + 1) & (NetworkCase.SampleCount - 1);

    /// <summary>Jagged arrays, nested loops.</summary>
    [Benchmark(Baseline = true)]
    public float Naive()
    {
        _case.Naive.Forward(_case.Input(NextRow()), _output);
        return _output[0];
    }

    /// <summary>Flat array, span loops.</summary>
    [Benchmark]
    public float Span()
    {
        _case.Span.Forward(_case.Input(NextRow()), _output);
        return _output[0];
    }

    /// <summary>Flat array, Vector512 kernels.</summary>
    [Benchmark]
    public float Simd()
    {
        _case.Simd.Forward(_case.Input(NextRow()), _output);
        return _output[0];
    }

    /// <summary>The runtime's ReferenceNetwork (float).</summary>
    [Benchmark]
    public float Reference()
    {
        _case.Reference.Forward(_case.Input(NextRow()), _output);
        return _output[0];
    }

    /// <summary>The generated network.</summary>
    [Benchmark]
    public float Generated()
    {
        _case.Generated.Forward(_case.Input(NextRow()), _output);
        return _output[0];
    }
}
