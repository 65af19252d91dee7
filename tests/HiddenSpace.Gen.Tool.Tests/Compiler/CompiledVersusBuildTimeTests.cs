using System;
using System.Linq;
using HiddenSpace.Compiler;
using HiddenSpace.Tests.Generated;
using HiddenSpace.Tests.Numerics;
using Xunit;

namespace HiddenSpace.Tests.Compiler;

// Build-time twins for the activations and losses the networks in TestNetworks.cs do not use.

[Network(Inputs = 3, Loss = Loss.BinaryCrossEntropy)]
[Dense(6, Activation.LeakyReLU)]
[Dense(5, Activation.Softplus, Tap = "Soft")]
[Dense(2, Activation.Sigmoid)]
public partial class LeakySoftplusNet { }

[Network(Inputs = 5, Loss = Loss.SoftmaxCrossEntropy)]
[Dense(7, Activation.ReLU, Tap = "First")]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.Softmax)]
public partial class SigmoidSoftmaxNet { }

[Network(Inputs = 2, Loss = Loss.MeanSquaredError)]
[Dense(9, Activation.Softplus)]
[Dense(3, Activation.LeakyReLU, Tap = "Narrow")]
[Dense(1, Activation.Linear)]
public partial class LinearRegressionNet { }

/// <summary>
/// A network compiled at run time runs the generator's own code: for the same architecture and seed it computes
/// exactly — bit for bit — what the network generated at build time computes.
/// </summary>
public class CompiledVersusBuildTimeTests
{
    public static TheoryData<string> BuildTimeNetworks => [nameof(SeedNet), nameof(DigitsNet), nameof(MixedNet), nameof(LeakySoftplusNet), nameof(SigmoidSoftmaxNet), nameof(LinearRegressionNet)];

    [Theory]
    [MemberData(nameof(BuildTimeNetworks))]
    public void TheCompiledNetworkIsTheBuildTimeNetworkBitForBit(string name)
    {
        const int Seed = 11;
        INetwork buildTime = name switch
        {
            nameof(SeedNet) => new SeedNet(Seed),
            nameof(DigitsNet) => new DigitsNet(Seed),
            nameof(MixedNet) => new MixedNet(Seed),
            nameof(LeakySoftplusNet) => new LeakySoftplusNet(Seed),
            nameof(SigmoidSoftmaxNet) => new SigmoidSoftmaxNet(Seed),
            _ => new LinearRegressionNet(Seed),
        };
        CompiledNetwork compiled = TestCompiler.Shared.Compile(buildTime.Shape);
        INetwork runTime = compiled.Create(Seed);
        Assert.Equal(buildTime.Shape, runTime.Shape);
        Assert.Equal(buildTime.Parameters.ToArray(), runTime.Parameters.ToArray());

        NetworkShape shape = buildTime.Shape;
        var random = new SeededRandom(Seed);
        const int Rows = 37; // pairs of lane groups and a remainder, whatever the vector width
        float[] inputs = Enumerable.Range(0, Rows * shape.Inputs).Select(_ => (float)random.NextGaussian()).ToArray();
        float[] targets = RandomTargets.For(shape.Loss, shape.Outputs, Rows, random).Select(t => (float)t).ToArray();

        var expected = new float[shape.Outputs];
        var actual = new float[shape.Outputs];
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<float> row = inputs.AsSpan(r * shape.Inputs, shape.Inputs);
            buildTime.Forward(row, expected);
            runTime.Forward(row, actual);
            Assert.Equal(expected, actual);
            for (int t = 0; t < shape.Taps.Count; t++)
                Assert.Equal(buildTime.TapActivations(t).ToArray(), runTime.TapActivations(t).ToArray());
        }

        var expectedBatch = new float[Rows * shape.Outputs];
        var actualBatch = new float[Rows * shape.Outputs];
        buildTime.ForwardBatch(inputs, expectedBatch);
        runTime.ForwardBatch(inputs, actualBatch);
        Assert.Equal(expectedBatch, actualBatch);

        buildTime.Gradients.Clear();
        runTime.Gradients.Clear();
        for (int r = 0; r < Rows; r++)
        {
            float expectedLoss = buildTime.AccumulateGradients(inputs.AsSpan(r * shape.Inputs, shape.Inputs), targets.AsSpan(r * shape.Outputs, shape.Outputs));
            float actualLoss = runTime.AccumulateGradients(inputs.AsSpan(r * shape.Inputs, shape.Inputs), targets.AsSpan(r * shape.Outputs, shape.Outputs));
            Assert.Equal(expectedLoss, actualLoss);
        }
        Assert.Equal(buildTime.Gradients.ToArray(), runTime.Gradients.ToArray());

        buildTime.Gradients.Clear();
        runTime.Gradients.Clear();
        Assert.Equal(buildTime.AccumulateBatchGradients(inputs, targets), runTime.AccumulateBatchGradients(inputs, targets));
        Assert.Equal(buildTime.Gradients.ToArray(), runTime.Gradients.ToArray());
    }

    [Fact]
    public void WorkersOfACompiledNetworkShareItsParameters()
    {
        INetwork network = TestCompiler.Shared.Compile(SeedNet.Architecture).Create(3);
        INetwork worker = network.CreateWorker();
        Assert.Equal(network.GetType(), worker.GetType());
        network.Parameters[5] = 42f;
        Assert.Equal(42f, worker.Parameters[5]);
        Assert.False(network.Gradients == worker.Gradients);
    }
}
