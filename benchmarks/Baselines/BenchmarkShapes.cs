namespace HiddenSpace.Baselines;

/// <summary>
/// The three architectures the benchmarks run. The benchmark project declares the same ones with
/// attributes for the generator and checks at setup that the generated shapes equal these.
/// </summary>
public static class BenchmarkShapes
{
    /// <summary>2-16-16-2-1: tanh, tanh, tanh bottleneck, sigmoid output, binary cross-entropy (the seed network).</summary>
    public static NetworkShape Seed { get; } = new(2, Loss.BinaryCrossEntropy,
        new LayerShape(16, Activation.Tanh),
        new LayerShape(16, Activation.Tanh),
        new LayerShape(2, Activation.Tanh, "Bottleneck"),
        new LayerShape(1, Activation.Sigmoid));

    /// <summary>8-64-64-2-4: ReLU, ReLU, 2-unit ReLU bottleneck, softmax over 4 classes.</summary>
    public static NetworkShape Mid { get; } = new(8, Loss.SoftmaxCrossEntropy,
        new LayerShape(64, Activation.ReLU),
        new LayerShape(64, Activation.ReLU),
        new LayerShape(2, Activation.ReLU, "Bottleneck"),
        new LayerShape(4, Activation.Softmax));

    /// <summary>784-128-64-10: MNIST-sized, ReLU, ReLU, softmax over 10 classes.</summary>
    public static NetworkShape Large { get; } = new(784, Loss.SoftmaxCrossEntropy,
        new LayerShape(128, Activation.ReLU),
        new LayerShape(64, Activation.ReLU),
        new LayerShape(10, Activation.Softmax));

    /// <summary>The shape called <paramref name="name"/>: "Seed", "Mid" or "Large".</summary>
    public static NetworkShape Named(string name) => name switch
    {
        "Seed" => Seed,
        "Mid" => Mid,
        "Large" => Large,
        _ => throw new System.ArgumentOutOfRangeException(nameof(name), name, "Expected Seed, Mid or Large."),
    };
}
