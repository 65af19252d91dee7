using System;
using HiddenSpace.Baselines;

namespace HiddenSpace.Benchmarks;

/// <summary>
/// Everything one architecture's benchmarks need, built in [GlobalSetup]: the generated network, the
/// runtime's ReferenceNetwork and the three baselines, all holding the same initial parameters, plus a
/// data set of <see cref="SampleCount"/> rows. Nothing here allocates after construction.
/// </summary>
public sealed class NetworkCase
{
    /// <summary>Rows in the data set; a power of two so benchmarks can cycle through rows with a mask.</summary>
    public const int SampleCount = 4096;

    /// <summary>η for SGD and Adam.</summary>
    public const float LearningRate = 0.01f;

    private NetworkCase(string name)
    {
        Shape = BenchmarkShapes.Named(name);
        Generated = name switch
        {
            "Seed" => new SeedNet(seed: 0),
            "Mid" => new MidNet(seed: 0),
            "Tabular" => new TabularNet(seed: 0),
            "Table30" => new Table30Net(seed: 0),
            _ => new LargeNet(seed: 0),
        };
        if (!Generated.Shape.Equals(Shape))
            throw new InvalidOperationException($"Generated {Generated.Shape.Fingerprint()} differs from baseline {Shape.Fingerprint()}.");
        Reference = new ReferenceNetwork(Shape, seed: 0);
        Generated.Parameters.CopyTo(Reference.Parameters);
        Naive = new NaiveMlp(Shape, LearningRate);
        Span = new SpanMlp(Shape, LearningRate);
        Simd = new SimdMlp(Shape, LearningRate);
        foreach (IBaselineMlp baseline in new IBaselineMlp[] { Naive, Span, Simd })
            baseline.LoadParameters(Generated.Parameters);
        Data = TeacherData(Shape);
        Inputs = Data.Features.ToArray();
        Targets = Data.TargetsFor(Shape);
    }

    /// <summary>The architecture.</summary>
    public NetworkShape Shape { get; }

    /// <summary>The generated network (SeedNet, MidNet, TabularNet, Table30Net or LargeNet).</summary>
    public INetwork Generated { get; }

    /// <summary>The runtime's loop-based float network.</summary>
    public ReferenceNetwork Reference { get; }

    /// <summary>Jagged arrays, nested loops.</summary>
    public NaiveMlp Naive { get; }

    /// <summary>Flat array, span loops.</summary>
    public SpanMlp Span { get; }

    /// <summary>Flat array, Vector512 kernels.</summary>
    public SimdMlp Simd { get; }

    /// <summary>The rows as a data set (for Trainer.Train).</summary>
    public Dataset Data { get; }

    /// <summary>Inputs, row-major [SampleCount × Inputs].</summary>
    public float[] Inputs { get; }

    /// <summary>Targets, row-major [SampleCount × Outputs] (label or one-hot).</summary>
    public float[] Targets { get; }

    /// <summary>Builds the case for "Seed", "Mid", "Tabular", "Table30" or "Large".</summary>
    public static NetworkCase Create(string name) => new(name);

    /// <summary>The input row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Input(int row) => Inputs.AsSpan(row * Shape.Inputs, Shape.Inputs);

    /// <summary>The target row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Target(int row) => Targets.AsSpan(row * Shape.Outputs, Shape.Outputs);

    /// <summary>
    /// One epoch of the direct loop every network benchmark shares: batches of <paramref name="batchSize"/> consecutive
    /// rows (the rows are in random order already), each zero gradients → accumulate the batch → one step of
    /// <paramref name="optimizer"/> on the mean gradient. Returns the loss sum.
    /// </summary>
    public float DirectEpoch<TNetwork>(TNetwork network, Optimizer optimizer, int batchSize) where TNetwork : INetwork
    {
        int inputs = Shape.Inputs, outputs = Shape.Outputs;
        float loss = 0f;
        for (int start = 0; start < SampleCount; start += batchSize)
        {
            network.Gradients.Clear();
            loss += network.AccumulateBatchGradients(
                Inputs.AsSpan(start * inputs, batchSize * inputs),
                Targets.AsSpan(start * outputs, batchSize * outputs));
            optimizer.Step(network.Parameters, network.Gradients, 1f / batchSize);
        }
        return loss;
    }

    /// <summary>
    /// Inputs uniform in [-1, 1], labels the argmax of a fixed random linear teacher: learnable, so repeated
    /// training steps keep the parameters in a realistic range instead of drifting.
    /// </summary>
    public static Dataset TeacherData(NetworkShape shape)
    {
        var random = new SeededRandom(42);
        int classes = Math.Max(2, shape.Outputs);
        var teacher = new float[classes * shape.Inputs];
        for (int i = 0; i < teacher.Length; i++) teacher[i] = (float)random.NextGaussian();
        var features = new float[SampleCount * shape.Inputs];
        var labels = new int[SampleCount];
        for (int row = 0; row < SampleCount; row++)
        {
            Span<float> x = features.AsSpan(row * shape.Inputs, shape.Inputs);
            for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble(-1, 1);
            float best = float.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                float score = 0f;
                for (int i = 0; i < x.Length; i++) score += teacher[c * shape.Inputs + i] * x[i];
                if (score > best) (best, labels[row]) = (score, c);
            }
        }
        return Dataset.ForClassification("teacher", shape.Inputs, features, labels, classes);
    }
}
