namespace HiddenSpace.Tests.Numerics;

/// <summary>Targets a loss accepts, for checks that need some: 0/1 labels, one-hot rows (class r mod outputs) or Gaussian values.</summary>
internal static class RandomTargets
{
    public static double[] For(Loss loss, int outputs, int samples, SeededRandom random)
    {
        var targets = new double[samples * outputs];
        for (int r = 0; r < samples; r++)
            for (int j = 0; j < outputs; j++)
                targets[r * outputs + j] = loss switch
                {
                    Loss.BinaryCrossEntropy => random.NextInt(2),
                    Loss.SoftmaxCrossEntropy => j == r % outputs ? 1 : 0,
                    _ => random.NextGaussian(),
                };
        return targets;
    }
}
