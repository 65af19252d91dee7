using BenchmarkDotNet.Attributes;

namespace HiddenSpace.Benchmarks;

/// <summary>
/// One epoch of the seed network over 16,384 moons samples with batch 1,024 (Adam) through
/// <see cref="Trainer.Train"/>, on one worker and on two (each batch's gradients and the per-epoch evaluation
/// split across cores, summed in a fixed order). Same seed → same weights for a given worker count.
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class DataParallelBenchmarks
{
    private Dataset _data = null!;
    private SeedNet _network = null!;

    /// <summary>Gradient threads per batch.</summary>
    [Params(1, 2)]
    public int Workers { get; set; }

    /// <summary>Builds the data and the network.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _data = Datasets.Moons(16_384, 0.1, seed: 1);
        _network = new SeedNet(seed: 1);
    }

    /// <summary>One epoch; returns the epoch's mean training loss.</summary>
    [Benchmark]
    public double Epoch() =>
        Trainer.Train(_network, _data, null, new TrainingOptions(Epochs: 1, BatchSize: 1024, new OptimizerSettings(LearningRate: 1e-3f)) { Workers = Workers })
            .Epochs[0].TrainLoss;
}
