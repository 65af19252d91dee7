using System;
using System.Linq;
using Xunit;

namespace HiddenSpace.Tests.Numerics;

/// <summary>
/// Generated networks against the plain reference: same initial weights, same outputs, taps, losses and
/// gradients. Against the float reference (exact MathF functions, the generated code uses a tanh approximation
/// good to 1e-6), outputs agree element by element within 1e-5 relative, taps and gradients within 1e-5 of the
/// tensor's largest magnitude (single elements that are small by cancellation differ more, relatively);
/// against the double reference, every element within 1e-4 relative (gradient elements below 1% of the tensor's
/// largest are judged against that 1%).
/// </summary>
internal static class ReferenceComparison
{
    public static string Compare(INetwork generated, int seed)
    {
        NetworkShape shape = generated.Shape;
        var reference = new ReferenceNetwork(shape, seed);
        var oracle = new ReferenceNetwork<double>(shape, seed);
        Assert.Equal(reference.Parameters.ToArray(), generated.Parameters.ToArray()); // same initialisation

        var random = new SeededRandom(seed);
        for (int k = 0; k < shape.ParameterCount; k++)
            if (random.NextInt(4) == 0) generated.Parameters[k] += (float)(0.1 * random.NextGaussian()); // non-zero biases too
        generated.Parameters.CopyTo(reference.Parameters);
        for (int k = 0; k < shape.ParameterCount; k++) oracle.Parameters[k] = generated.Parameters[k];

        const int Rows = 4;
        float[] inputs = Enumerable.Range(0, Rows * shape.Inputs).Select(_ => (float)random.NextGaussian()).ToArray();
        double[] targetsDouble = RandomTargets.For(shape.Loss, shape.Outputs, Rows, random);
        float[] targets = targetsDouble.Select(t => (float)t).ToArray();
        double[] inputsDouble = inputs.Select(x => (double)x).ToArray();

        var generatedOutput = new float[shape.Outputs];
        var referenceOutput = new float[shape.Outputs];
        var oracleOutput = new double[shape.Outputs];
        double worstForward = 0, worstTap = 0;
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<float> row = inputs.AsSpan(r * shape.Inputs, shape.Inputs);
            generated.Forward(row, generatedOutput);
            reference.Forward(row, referenceOutput);
            oracle.Forward(inputsDouble.AsSpan(r * shape.Inputs, shape.Inputs), oracleOutput);
            worstForward = Math.Max(worstForward, TensorCheck.AssertClose("forward vs float reference", TensorCheck.ToDouble(generatedOutput), TensorCheck.ToDouble(referenceOutput), 1e-5));
            TensorCheck.AssertClose("forward vs double reference", TensorCheck.ToDouble(generatedOutput), oracleOutput, 1e-4);
            for (int t = 0; t < shape.Taps.Count; t++)
                worstTap = Math.Max(worstTap, TensorCheck.AssertClose($"tap {shape.Taps[t].Name}", TensorCheck.ToDouble(generated.TapActivations(t)), TensorCheck.ToDouble(reference.TapActivations(t)), 1e-5, floor: 1));
        }

        generated.Gradients.Clear();
        reference.Gradients.Clear();
        oracle.Gradients.Clear();
        float generatedLoss = generated.AccumulateBatchGradients(inputs, targets);
        var referenceOutputs = new float[Rows * shape.Outputs];
        float referenceLoss = reference.AccumulateBatchGradients(inputs, targets, referenceOutputs);
        for (int r = 0; r < Rows; r++)
        {
            reference.Forward(inputs.AsSpan(r * shape.Inputs, shape.Inputs), referenceOutput);
            Assert.Equal(referenceOutput, referenceOutputs.AsSpan(r * shape.Outputs, shape.Outputs).ToArray());
        }
        double oracleLoss = oracle.AccumulateBatchGradients(inputsDouble, targetsDouble);
        Assert.Equal(referenceLoss, generatedLoss, 1e-5 * Math.Max(1, Math.Abs(referenceLoss)));
        Assert.Equal(oracleLoss, generatedLoss, 1e-4 * Math.Max(1, Math.Abs(oracleLoss)));
        double worstGradient = TensorCheck.AssertClose("gradients vs float reference", TensorCheck.ToDouble(generated.Gradients), TensorCheck.ToDouble(reference.Gradients), 1e-5, floor: 1);
        double worstOracle = TensorCheck.AssertClose("gradients vs double reference", TensorCheck.ToDouble(generated.Gradients), oracle.Gradients.ToArray(), 1e-4, floor: 1e-2);
        double worstBatch = CompareBatchWithPerSample(generated, random);
        return $"{shape}: forward {worstForward:E2}, taps {worstTap:E2}, gradients {worstGradient:E2} (vs double {worstOracle:E2}), batch vs per-sample {worstBatch:E2}";
    }

    /// <summary>
    /// A 37-row batch (pairs of Vector&lt;float&gt;.Count-row lane groups through the lane form where the network has one,
    /// then single rows) against 37 single-sample calls: ForwardBatch against Forward row by row, and
    /// AccumulateBatchGradients against the sum of the per-sample gradients.
    /// </summary>
    private static double CompareBatchWithPerSample(INetwork network, SeededRandom random)
    {
        NetworkShape shape = network.Shape;
        const int Rows = 37;
        float[] inputs = Enumerable.Range(0, Rows * shape.Inputs).Select(_ => (float)random.NextGaussian()).ToArray();
        float[] targets = RandomTargets.For(shape.Loss, shape.Outputs, Rows, random).Select(t => (float)t).ToArray();

        var batchOutputs = new float[Rows * shape.Outputs];
        network.ForwardBatch(inputs, batchOutputs);
        var rowOutputs = new float[Rows * shape.Outputs];
        for (int r = 0; r < Rows; r++)
            network.Forward(inputs.AsSpan(r * shape.Inputs, shape.Inputs), rowOutputs.AsSpan(r * shape.Outputs, shape.Outputs));
        // Relative to the batch's largest output (floor 1): the matrix form of networks with looped layers sums each
        // dot product in another order than the per-sample kernels, which moves outputs near 0 by a few ulps of the largest.
        TensorCheck.AssertClose("ForwardBatch vs Forward per row", TensorCheck.ToDouble(batchOutputs), TensorCheck.ToDouble(rowOutputs), 1e-6, floor: 1);

        network.Gradients.Clear();
        double perSampleLoss = 0;
        for (int r = 0; r < Rows; r++)
            perSampleLoss += network.AccumulateGradients(inputs.AsSpan(r * shape.Inputs, shape.Inputs), targets.AsSpan(r * shape.Outputs, shape.Outputs));
        double[] perSample = TensorCheck.ToDouble(network.Gradients);

        network.Gradients.Clear();
        float batchLoss = network.AccumulateBatchGradients(inputs, targets);
        Assert.Equal(perSampleLoss, batchLoss, 1e-5 * Math.Max(1, Math.Abs(perSampleLoss)));
        double worst = TensorCheck.AssertClose("batch gradients vs sum of per-sample gradients", TensorCheck.ToDouble(network.Gradients), perSample, 1e-5, floor: 1);
        float[] gradients = network.Gradients.ToArray();

        // Asked for the outputs too: ForwardBatch's bits for every row, and the same loss and gradients bit for bit.
        var trainingOutputs = new float[Rows * shape.Outputs];
        network.Gradients.Clear();
        Assert.Equal(batchLoss, network.AccumulateBatchGradients(inputs, targets, trainingOutputs));
        Assert.Equal(batchOutputs, trainingOutputs);
        Assert.Equal(gradients, network.Gradients.ToArray());
        return worst;
    }
}
