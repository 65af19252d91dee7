namespace HiddenSpace.Baselines;

/// <summary>
/// The five architectures the benchmarks run. The benchmark project declares the same ones with
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

    /// <summary>
    /// 13-16-16-2-3: a table's 13 features (the wine data's count), tanh, tanh, 2-unit tanh bottleneck, softmax over 3
    /// classes; small enough for the lane form, whose rows of 13 (and targets of 3) are not the seed's 2-value points.
    /// </summary>
    public static NetworkShape Tabular { get; } = new(13, Loss.SoftmaxCrossEntropy,
        new LayerShape(16, Activation.Tanh),
        new LayerShape(16, Activation.Tanh),
        new LayerShape(2, Activation.Tanh, "Bottleneck"),
        new LayerShape(3, Activation.Softmax));

    /// <summary>
    /// 30-16-16-2-1: what <c>hiddenspace train</c> builds by default for a table of 30 features and two classes (the
    /// breast-cancer data's count): ReLU, ReLU, 2-unit linear bottleneck, sigmoid output, binary cross-entropy; its
    /// first layer's fan-in is not whole vectors at 16 or 8 lanes.
    /// </summary>
    public static NetworkShape Table30 { get; } = new(30, Loss.BinaryCrossEntropy,
        new LayerShape(16, Activation.ReLU),
        new LayerShape(16, Activation.ReLU),
        new LayerShape(2, Activation.Linear, "Bottleneck"),
        new LayerShape(1, Activation.Sigmoid));

    /// <summary>784-128-64-10: MNIST-sized, ReLU, ReLU, softmax over 10 classes.</summary>
    public static NetworkShape Large { get; } = new(784, Loss.SoftmaxCrossEntropy,
        new LayerShape(128, Activation.ReLU),
        new LayerShape(64, Activation.ReLU),
        new LayerShape(10, Activation.Softmax));

    /// <summary>The shape called <paramref name="name"/>: "Seed", "Mid", "Tabular", "Table30" or "Large".</summary>
    public static NetworkShape Named(string name) => name switch
    {
        "Seed" => Seed,
        "Mid" => Mid,
        "Tabular" => Tabular,
        "Table30" => Table30,
        "Large" => Large,
        _ => throw new System.ArgumentOutOfRangeException(nameof(name), name, "Expected Seed, Mid, Tabular, Table30 or Large."),
    };
}
