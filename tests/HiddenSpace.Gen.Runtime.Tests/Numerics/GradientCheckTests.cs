using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Numerics;

/// <summary>The double reference network's analytic gradients against central finite differences.</summary>
public class GradientCheckTests(ITestOutputHelper output)
{
    private static readonly Activation[] ElementWise = Enum.GetValues<Activation>().Where(a => a != Activation.Softmax).ToArray();

    public static IEnumerable<object[]> Architectures()
    {
        foreach (Activation hidden in ElementWise)
        {
            yield return [hidden, Loss.BinaryCrossEntropy, Activation.Sigmoid];
            yield return [hidden, Loss.SoftmaxCrossEntropy, Activation.Softmax];
            foreach (Activation outputActivation in ElementWise)
                yield return [hidden, Loss.MeanSquaredError, outputActivation];
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void AnalyticGradientsMatchCentralDifferences(Activation hidden, Loss loss, Activation outputActivation)
    {
        int outputs = loss == Loss.BinaryCrossEntropy ? 2 : 3;
        var shape = new NetworkShape(3, loss,
            new LayerShape(5, hidden), new LayerShape(4, hidden), new LayerShape(outputs, outputActivation));
        int seed = (int)hidden * 31 + (int)outputActivation * 7 + (int)loss;
        var network = new ReferenceNetwork<double>(shape, seed);
        var random = new SeededRandom(seed + 1000);
        // Biases start at zero; give them values so their gradients are exercised away from symmetry.
        for (int l = 0; l < shape.Layers.Count; l++)
            for (int j = 0; j < shape.Layers[l].Units; j++)
                network.Parameters[shape.BiasOffset(l) + j] = 0.3 * random.NextGaussian();

        const int Samples = 3;
        double[] inputs = Enumerable.Range(0, Samples * 3).Select(_ => random.NextGaussian()).ToArray();
        double[] targets = RandomTargets.For(loss, outputs, Samples, random);

        network.Gradients.Clear();
        network.AccumulateBatchGradients(inputs, targets);
        double[] analytic = network.Gradients.ToArray();

        const double Epsilon = 1e-6;
        var numeric = new double[shape.ParameterCount];
        for (int k = 0; k < numeric.Length; k++)
        {
            double saved = network.Parameters[k];
            network.Parameters[k] = saved + Epsilon;
            double plus = BatchLoss(network, inputs, targets);
            network.Parameters[k] = saved - Epsilon;
            double minus = BatchLoss(network, inputs, targets);
            network.Parameters[k] = saved;
            numeric[k] = (plus - minus) / (2 * Epsilon);
        }

        double largest = TensorCheck.AssertClose($"{hidden}/{loss}/{outputActivation}", analytic, numeric, tolerance: 1e-4);
        output.WriteLine($"{hidden,-9} {loss,-19} {outputActivation,-9} largest relative difference {largest:E2}");
    }

    private static double BatchLoss(ReferenceNetwork<double> network, double[] inputs, double[] targets)
    {
        int inputsPerRow = network.Shape.Inputs, outputs = network.Shape.Outputs;
        double sum = 0;
        for (int r = 0; r < inputs.Length / inputsPerRow; r++)
            sum += network.Loss(inputs.AsSpan(r * inputsPerRow, inputsPerRow), targets.AsSpan(r * outputs, outputs));
        return sum;
    }
}
