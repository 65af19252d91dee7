using BenchmarkDotNet.Attributes;
using HiddenSpace.Compiler;

namespace HiddenSpace.Benchmarks;

/// <summary>
/// (e) What the hiddenspace tool runs for an architecture nobody declared: the network compiled at run time by
/// <see cref="NetworkCompiler"/> against the runtime's ReferenceNetwork, one epoch each through
/// <see cref="Trainer.Train"/> (4,096 rows, batch 32, Adam η = 0.01, the training set evaluated after the epoch).
/// Wide is a 30-feature CSV's default network, Digits a 64-feature, 10-class one (its first layer, 1,024
/// weights, is written as loops).
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class CompiledNetworkBenchmarks
{
    private INetwork _compiled = null!;
    private ReferenceNetwork _reference = null!;
    private Dataset _data = null!;
    private TrainingOptions _options = null!;

    /// <summary>Wide 30-16-16-2-1 (sigmoid, BCE), Digits 64-16-16-2-10 (softmax).</summary>
    [Params("Wide", "Digits")]
    public string Network { get; set; } = "Wide";

    /// <summary>Compiles the network in memory (no cache) and builds the reference and the data.</summary>
    [GlobalSetup]
    public void Setup()
    {
        LayerShape[] hidden = [new(16, Activation.Tanh), new(16, Activation.Tanh), new(2, Activation.Tanh, "Bottleneck")];
        NetworkShape shape = Network == "Wide"
            ? new NetworkShape(30, Loss.BinaryCrossEntropy, [.. hidden, new LayerShape(1, Activation.Sigmoid)])
            : new NetworkShape(64, Loss.SoftmaxCrossEntropy, [.. hidden, new LayerShape(10, Activation.Softmax)]);
        _compiled = new NetworkCompiler(new NetworkCompilerOptions { UseCache = false }).Compile(shape).Create(seed: 0);
        _reference = new ReferenceNetwork(shape, seed: 0);
        _data = NetworkCase.TeacherData(shape);
        _options = new TrainingOptions(Epochs: 1, BatchSize: 32, Optimizer: new OptimizerSettings(OptimizerKind.Adam, NetworkCase.LearningRate));
    }

    /// <summary>The runtime's ReferenceNetwork (plain loops): what the tool ran before it compiled networks.</summary>
    [Benchmark(Baseline = true)]
    public double Reference() => Trainer.Train(_reference, _data, null, _options).Epochs[0].TrainLoss;

    /// <summary>The generated code compiled at run time.</summary>
    [Benchmark]
    public double Compiled() => Trainer.Train(_compiled, _data, null, _options).Epochs[0].TrainLoss;
}
