using System;

namespace HiddenSpace;

/// <summary>
/// The probe's objective for more than two classes: softmax cross entropy of z = W·x + b plus ‖W‖² / (2C), divided
/// by the number of rows, with the parameters [W (k × d), b (k)]; the intercepts are not penalised.
/// </summary>
internal sealed class SoftmaxCrossEntropy(double[] x, int[] y, int dimension, int classCount, double c) : IObjective
{
    private readonly double[] _scores = new double[classCount]; // [k], scratch

    /// <inheritdoc/>
    public double Evaluate(double[] theta, double[]? gradient)
    {
        int d = dimension, k = classCount, n = y.Length, biases = k * d;
        if (gradient is not null) Array.Clear(gradient);
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> row = x.AsSpan(i * d, d);
            double largest = double.NegativeInfinity;
            for (int cls = 0; cls < k; cls++)
            {
                double z = theta[biases + cls];
                for (int f = 0; f < d; f++) z += theta[cls * d + f] * row[f];
                _scores[cls] = z;
                largest = Math.Max(largest, z);
            }
            double sum = 0;
            for (int cls = 0; cls < k; cls++) sum += Math.Exp(_scores[cls] - largest);
            double logSumExp = largest + Math.Log(sum);
            loss += logSumExp - _scores[y[i]];
            if (gradient is null) continue;
            for (int cls = 0; cls < k; cls++)
            {
                double residual = Math.Exp(_scores[cls] - logSumExp) - (cls == y[i] ? 1 : 0);
                for (int f = 0; f < d; f++) gradient[cls * d + f] += residual * row[f];
                gradient[biases + cls] += residual;
            }
        }
        double penalty = 0;
        for (int j = 0; j < biases; j++) penalty += theta[j] * theta[j];
        loss += penalty / (2 * c);
        if (gradient is not null)
        {
            for (int j = 0; j < biases; j++) gradient[j] += theta[j] / c;
            for (int j = 0; j < gradient.Length; j++) gradient[j] /= n;
        }
        return loss / n;
    }
}
