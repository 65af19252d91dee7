using BenchmarkDotNet.Attributes;

namespace HiddenSpace.Benchmarks;

/// <summary>
/// Training through <see cref="Trainer.Train"/> with batch 1,024 (Adam, η = 0.001), on one worker and on two (each
/// batch's gradients and the per-epoch evaluation split across cores, summed in a fixed order; same seed → same
/// weights for a given worker count): the seed network over 16,384 moons samples, and 784-128-64-10 over 4,096
/// teacher samples (compute-bound, its matrix form per worker). Time per epoch over <see cref="Epochs"/> epochs a
/// call, so the trainer's once-per-call set-up (the workers' replicas and buffers) is spread as in a real run.
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class DataParallelBenchmarks
{
    private const int Epochs = 8;
    private Dataset _data = null!;
    private INetwork _network = null!;

    /// <summary>Seed 2-16-16-2-1 or Large 784-128-64-10.</summary>
    [Params("Seed", "Large")]
    public string Network { get; set; } = "Seed";

    /// <summary>Gradient threads per batch.</summary>
    [Params(1, 2)]
    public int Workers { get; set; }

    /// <summary>Builds the data and the network.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_data, _network) = Network == "Seed"
            ? (Datasets.Moons(16_384, 0.1, seed: 1), new SeedNet(seed: 1))
            : (NetworkCase.Create("Large").Data, (INetwork)new LargeNet(seed: 1));
    }

    /// <summary><see cref="Epochs"/> epochs, reported per epoch; returns the last epoch's mean training loss.</summary>
    [Benchmark(OperationsPerInvoke = Epochs)]
    public double Epoch() =>
        Trainer.Train(_network, _data, null, new TrainingOptions(Epochs, BatchSize: 1024, new OptimizerSettings(LearningRate: 1e-3f)) { Workers = Workers })
            .Epochs[^1].TrainLoss;
}
