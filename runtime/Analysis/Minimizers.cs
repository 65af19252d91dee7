using System;
using System.Threading;

namespace HiddenSpace;

/// <summary>A smooth function of a parameter vector, to be minimised.</summary>
internal interface IObjective
{
    /// <summary>The value at <paramref name="theta"/>; fills <paramref name="gradient"/> when it is given.</summary>
    double Evaluate(double[] theta, double[]? gradient);
}

/// <summary>An objective that can also give its Hessian, for Newton's method.</summary>
internal interface ISecondOrderObjective : IObjective
{
    /// <summary>The value at <paramref name="theta"/>; fills the gradient and the Hessian [p × p], row-major, when they are given.</summary>
    double Evaluate(double[] theta, double[]? gradient, double[]? hessian);
}

/// <summary>
/// The minimisers of <see cref="LinearProbe"/>: damped Newton's method and L-BFGS, each with a backtracking
/// (Armijo) line search, in double. Both update the parameters in place and stop when the gradient's Euclidean norm
/// is below the tolerance, after the iteration cap, or when double precision allows no further decrease.
/// </summary>
internal static class Minimizers
{
    private const int LbfgsMemory = 10;
    private const double ArmijoFraction = 1e-4;
    private const int MaxStepHalvings = 60;

    /// <summary>Damped Newton's method: O(p³) a step for p parameters, few steps.</summary>
    public static (int Iterations, double GradientNorm) Newton(ISecondOrderObjective objective, double[] theta, double gradientTolerance,
        int maxIterations, CancellationToken cancellationToken)
    {
        int p = theta.Length;
        var gradient = new double[p];
        var hessian = new double[p * p]; // [p × p], row-major
        var step = new double[p];
        var trial = new double[p];
        for (int iteration = 0; ; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double value = objective.Evaluate(theta, gradient, hessian);
            double norm = Norm(gradient);
            if (norm < gradientTolerance || iteration == maxIterations)
                return (iteration, norm);
            Cholesky.SolveAddingRidgeAsNeeded(hessian, gradient, step, p);
            for (int j = 0; j < p; j++) step[j] = -step[j];
            if (double.IsNaN(LineSearch(objective, theta, value, gradient, step, trial, null)))
                return (iteration, norm);
            trial.CopyTo(theta, 0);
        }
    }

    /// <summary>L-BFGS with the last <see cref="LbfgsMemory"/> steps: O(p) a step beyond the objective's own cost.</summary>
    public static (int Iterations, double GradientNorm) Lbfgs(IObjective objective, double[] theta, double gradientTolerance,
        int maxIterations, CancellationToken cancellationToken)
    {
        int p = theta.Length;
        var gradient = new double[p];
        var trialGradient = new double[p];
        var direction = new double[p];
        var trial = new double[p];
        var s = new double[LbfgsMemory][]; // parameter changes of the last steps
        var y = new double[LbfgsMemory][]; // gradient changes of the last steps
        var rho = new double[LbfgsMemory];
        var alpha = new double[LbfgsMemory];
        for (int m = 0; m < LbfgsMemory; m++)
        {
            s[m] = new double[p];
            y[m] = new double[p];
        }
        int stored = 0, newest = -1;
        double value = objective.Evaluate(theta, gradient);
        for (int iteration = 0; ; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double norm = Norm(gradient);
            if (norm < gradientTolerance || iteration == maxIterations)
                return (iteration, norm);

            // Two-loop recursion: direction = −H·gradient with H the inverse-Hessian estimate.
            for (int j = 0; j < p; j++) direction[j] = -gradient[j];
            for (int back = 0; back < stored; back++)
            {
                int m = (newest - back + LbfgsMemory) % LbfgsMemory;
                alpha[m] = rho[m] * Dot(s[m], direction);
                for (int j = 0; j < p; j++) direction[j] -= alpha[m] * y[m][j];
            }
            if (stored > 0)
            {
                double scale = Dot(s[newest], y[newest]) / Dot(y[newest], y[newest]);
                for (int j = 0; j < p; j++) direction[j] *= scale;
            }
            for (int forward = stored - 1; forward >= 0; forward--)
            {
                int m = (newest - forward + LbfgsMemory) % LbfgsMemory;
                double beta = rho[m] * Dot(y[m], direction);
                for (int j = 0; j < p; j++) direction[j] += (alpha[m] - beta) * s[m][j];
            }

            double trialValue = LineSearch(objective, theta, value, gradient, direction, trial, trialGradient);
            if (double.IsNaN(trialValue))
                return (iteration, norm);

            // Keep the pair only when it has positive curvature, which keeps the estimate positive definite.
            int next = (newest + 1) % LbfgsMemory;
            double curvature = 0;
            for (int j = 0; j < p; j++)
            {
                s[next][j] = trial[j] - theta[j];
                y[next][j] = trialGradient[j] - gradient[j];
                curvature += s[next][j] * y[next][j];
            }
            if (curvature > 1e-12 * Dot(y[next], y[next]))
            {
                rho[next] = 1 / curvature;
                newest = next;
                stored = Math.Min(stored + 1, LbfgsMemory);
            }
            trial.CopyTo(theta, 0);
            trialGradient.CopyTo(gradient, 0);
            value = trialValue;
        }
    }

    /// <summary>
    /// Halves the step along <paramref name="direction"/> from <paramref name="theta"/> until the objective falls
    /// enough (Armijo). Returns the new value, with the new point in <paramref name="trial"/> and its gradient in
    /// <paramref name="trialGradient"/>; NaN when the direction does not descend or no step decreases the value.
    /// </summary>
    private static double LineSearch(IObjective objective, double[] theta, double value, double[] gradient, double[] direction, double[] trial, double[]? trialGradient)
    {
        double slope = Dot(gradient, direction);
        if (!(slope < 0)) return double.NaN;
        double stepSize = 1;
        for (int halving = 0; halving < MaxStepHalvings; halving++, stepSize *= 0.5)
        {
            for (int j = 0; j < theta.Length; j++) trial[j] = theta[j] + stepSize * direction[j];
            double trialValue = objective.Evaluate(trial, trialGradient);
            if (trialValue <= value + ArmijoFraction * stepSize * slope)
                return trialValue;
        }
        return double.NaN;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int j = 0; j < a.Length; j++) sum += a[j] * b[j];
        return sum;
    }

    private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));
}
