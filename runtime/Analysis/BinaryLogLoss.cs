using System;

namespace HiddenSpace;

/// <summary>
/// The two-class probe's objective: binary log loss of z = w·x + b plus ‖w‖² / (2C), divided by the number of rows,
/// with the parameters [w (d), b]; the intercept is not penalised.
/// </summary>
internal sealed class BinaryLogLoss(double[] x, int[] y, int dimension, double c) : ISecondOrderObjective
{
    /// <inheritdoc/>
    public double Evaluate(double[] theta, double[]? gradient) => Evaluate(theta, gradient, null);

    /// <inheritdoc/>
    public double Evaluate(double[] theta, double[]? gradient, double[]? hessian)
    {
        int d = dimension, n = y.Length, p = d + 1;
        if (gradient is not null) Array.Clear(gradient);
        if (hessian is not null) Array.Clear(hessian);
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> row = x.AsSpan(i * d, d);
            double z = theta[d];
            for (int f = 0; f < d; f++) z += theta[f] * row[f];
            loss += Softplus(z) - y[i] * z;
            if (gradient is null) continue;
            double probability = Sigmoid(z);
            double residual = probability - y[i];
            for (int f = 0; f < d; f++) gradient[f] += residual * row[f];
            gradient[d] += residual;
            if (hessian is null) continue;
            double weight = probability * (1 - probability);
            for (int a = 0; a < p; a++)
            {
                double xa = a < d ? row[a] : 1;
                for (int b = 0; b <= a; b++)
                    hessian[a * p + b] += weight * xa * (b < d ? row[b] : 1);
            }
        }
        double penalty = 0;
        for (int f = 0; f < d; f++) penalty += theta[f] * theta[f];
        loss += penalty / (2 * c);
        if (gradient is not null)
        {
            for (int f = 0; f < d; f++) gradient[f] += theta[f] / c;
            for (int j = 0; j < p; j++) gradient[j] /= n;
        }
        if (hessian is not null)
        {
            for (int f = 0; f < d; f++) hessian[f * p + f] += 1 / c;
            for (int a = 0; a < p; a++)
                for (int b = 0; b <= a; b++)
                {
                    hessian[a * p + b] /= n;
                    hessian[b * p + a] = hessian[a * p + b];
                }
        }
        return loss / n;
    }

    /// <summary>ln(1 + eᶻ) without overflow.</summary>
    private static double Softplus(double z) => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}
