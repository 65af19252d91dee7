using System;
using BenchmarkDotNet.Attributes;
using HiddenSpace.Baselines;
using Microsoft.ML.OnnxRuntime;

namespace HiddenSpace.Benchmarks;

/// <summary>
/// Inference of a batch of rows: the generated network's ForwardBatch against ONNX Runtime (one thread, the same
/// weights written as an ONNX model of plain operators by the runtime's <see cref="OnnxExport"/> (<see cref="OnnxForm.Operators"/>, as a
/// model from elsewhere would be), inputs and outputs bound once with an OrtIoBinding so
/// a call allocates nothing) and the batched hand-written baseline. Setup checks that all three give the same
/// outputs. Samples per second = batch / mean.
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class InferenceBenchmarks
{
    private NetworkCase _case = null!;
    private BatchedMlp _batched = null!;
    private float[] _inputs = null!, _outputs = null!, _ortOutputs = null!;
    private InferenceSession _session = null!;
    private SessionOptions _options = null!;
    private RunOptions _runOptions = null!;
    private OrtValue _ortInput = null!, _ortOutput = null!;
    private OrtIoBinding _binding = null!;

    /// <summary>Network/batch size.</summary>
    [Params("Seed/1", "Seed/256", "Seed/4096", "Tabular/4096", "Large/1", "Large/256")]
    public string Case { get; set; } = "Seed/256";

    /// <summary>Builds the network, the ONNX Runtime session and the baseline, and checks they agree.</summary>
    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Case.Split('/');
        _case = NetworkCase.Create(parts[0]);
        int batch = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        NetworkShape shape = _case.Shape;
        _inputs = _case.Inputs.AsSpan(0, batch * shape.Inputs).ToArray();
        _outputs = new float[batch * shape.Outputs];
        _ortOutputs = new float[batch * shape.Outputs];
        _batched = new BatchedMlp(shape, NetworkCase.LearningRate, batch);
        _batched.LoadParameters(_case.Generated.Parameters);

        _options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        _session = new InferenceSession(OnnxExport.ToBytes(shape, _case.Generated.Parameters, form: OnnxForm.Operators), _options);
        _runOptions = new RunOptions();
        _ortInput = OrtValue.CreateTensorValueFromMemory(_inputs, [batch, shape.Inputs]);
        _ortOutput = OrtValue.CreateTensorValueFromMemory(_ortOutputs, [batch, shape.Outputs]);
        _binding = _session.CreateIoBinding();
        _binding.BindInput("x", _ortInput);
        _binding.BindOutput("y", _ortOutput);

        OnnxRuntime();
        Generated();
        var baseline = new float[_outputs.Length];
        _batched.ForwardBatch(_inputs, baseline);
        CheckSame("ONNX Runtime", _ortOutputs);
        CheckSame("batched baseline", baseline);
    }

    /// <summary>Releases the ONNX Runtime objects.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _binding.Dispose();
        _ortInput.Dispose();
        _ortOutput.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        _options.Dispose();
    }

    /// <summary>ONNX Runtime 1.31.1, CPU, one thread, bound inputs and outputs.</summary>
    [Benchmark(Baseline = true)]
    public float OnnxRuntime()
    {
        _session.RunWithBinding(_runOptions, _binding);
        return _ortOutputs[0];
    }

    /// <summary>The generated network's ForwardBatch (per-sample code for one row).</summary>
    [Benchmark]
    public float Generated()
    {
        _case.Generated.ForwardBatch(_inputs, _outputs);
        return _outputs[0];
    }

    /// <summary>The batched hand-written baseline.</summary>
    [Benchmark]
    public float BatchedBaseline()
    {
        _batched.ForwardBatch(_inputs, _outputs);
        return _outputs[0];
    }

    /// <summary>Outputs are probabilities: they must agree with the generated network's to 1e-5.</summary>
    private void CheckSame(string name, float[] other)
    {
        Generated();
        for (int i = 0; i < _outputs.Length; i++)
            if (!(Math.Abs(other[i] - _outputs[i]) <= 1e-5f))
                throw new InvalidOperationException($"{name} output [{i}] is {other[i]}, the generated network's {_outputs[i]}.");
    }
}
