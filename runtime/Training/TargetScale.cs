using System;

namespace HiddenSpace;

/// <summary>
/// The statistics a regression network was trained with (<see cref="TrainingOptions.StandardizeTargets"/>): the mean
/// and population deviation of the training rows' targets (deviation 1 for a constant target, as
/// <see cref="Standardizer"/>).
/// </summary>
/// <remarks>
/// A linear output layer that must reach targets around 152 with a spread of 77 from weights initialised near 0
/// needs thousands of steps just to move its bias, while the hidden layers see gradients 77 times too large. So
/// the trainer fits z = (y − Mean) / Deviation instead, and keeps the network predicting y itself: at the start of
/// every epoch it rewrites the output layer into z units (W ← W / Deviation, b ← (b − Mean) / Deviation), and after
/// the epoch's updates back into y units (W ← W·Deviation, b ← b·Deviation + Mean). Between epochs, in the progress
/// report and after training, <see cref="IForwardNetwork.Forward"/> therefore predicts on the original scale, and the
/// reported losses are in the targets' units. Weights saved after an epoch and loaded to resume go through the
/// same rewrite as an uninterrupted run, so resuming stays bit-exact.
/// A run from epoch 1 (not resumed) starts the output layer at W = 0, b = Mean (<see cref="StartAtTheMean"/>): in z
/// units all zeros, so the run is the same at every target scale. The layer as initialised for outputs of order 1,
/// read as y units and rewritten, predicted z values of order 1/Deviation + Mean/Deviation: targets with a spread of
/// 0.001 trained to a test R² of −7.7, a spread of 10⁻²⁰ diverged at the first step. Zero rather than the
/// initialised weights taken as z units: the tool on the diabetes data with early stopping, seeds 0–4, test R²
/// 0.368–0.538 (mean 0.461) from zero, 0.314–0.487 (mean 0.374) from the initialised weights, 0.367–0.524 (mean 0.442)
/// with the rewrite; on sineridge 0.967–0.983 from zero, 0.978–0.979 and 0.961–0.978 (seeds 0–2).
/// </remarks>
/// <param name="Mean">Mean of the training targets.</param>
/// <param name="Deviation">Population standard deviation of the training targets, &gt; 0.</param>
public sealed record TargetScale(double Mean, double Deviation)
{
    /// <summary>The scale for <paramref name="train"/>'s targets when the options ask for it and the data is a regression set; else null.</summary>
    /// <exception cref="ArgumentException">Standardisation is asked for but the output layer is not linear.</exception>
    internal static TargetScale? For(NetworkShape shape, Dataset train, TrainingOptions options)
    {
        if (!options.StandardizeTargets || train.Task != TaskKind.Regression) return null;
        Activation output = shape.Layers[^1].Activation;
        if (output != Activation.Linear)
            throw new ArgumentException(
                $"TrainingOptions.StandardizeTargets (on by default) trains a regression network on standardised targets and rescales its output layer, " +
                $"which needs a Linear output layer; this network's output layer is {output}. Set StandardizeTargets = false and scale the targets " +
                "into the activation's range yourself.", nameof(options));
        Standardizer statistics = Standardizer.Fit(train.Values, 1);
        return new TargetScale(statistics.Means[0], statistics.Deviations[0]);
    }

    /// <summary>The targets in z units, in place.</summary>
    internal void Standardize(Span<float> targets)
    {
        for (int i = 0; i < targets.Length; i++) targets[i] = (float)((targets[i] - Mean) / Deviation);
    }

    /// <summary>
    /// Before a run's first epoch: when the run starts at epoch 1 (not resumed), the output layer of
    /// <paramref name="parameters"/> is set to predict the training targets' mean from any input (W = 0, b = Mean:
    /// zeros in z units).
    /// </summary>
    internal void StartAtTheMean(NetworkShape shape, Span<float> parameters, TrainingOptions options)
    {
        if (options.StartEpoch != 1) return;
        OutputWeights(shape, parameters).Clear();
        OutputBiases(shape, parameters).Fill((float)Mean);
    }

    /// <summary>Rewrites the output layer of <paramref name="parameters"/> to predict z = (y − Mean) / Deviation.</summary>
    internal void ToModelUnits(NetworkShape shape, Span<float> parameters)
    {
        foreach (ref float weight in OutputWeights(shape, parameters)) weight = (float)(weight / Deviation);
        foreach (ref float bias in OutputBiases(shape, parameters)) bias = (float)((bias - Mean) / Deviation);
    }

    /// <summary>Rewrites the output layer of <paramref name="parameters"/> back to predict y.</summary>
    internal void ToOriginalUnits(NetworkShape shape, Span<float> parameters)
    {
        foreach (ref float weight in OutputWeights(shape, parameters)) weight = (float)(weight * Deviation);
        foreach (ref float bias in OutputBiases(shape, parameters)) bias = (float)(bias * Deviation + Mean);
    }

    private static Span<float> OutputWeights(NetworkShape shape, Span<float> parameters)
    {
        int layer = shape.Layers.Count - 1;
        return parameters.Slice(shape.WeightOffset(layer), shape.Layers[layer].Units * shape.FanIn(layer));
    }

    private static Span<float> OutputBiases(NetworkShape shape, Span<float> parameters)
    {
        int layer = shape.Layers.Count - 1;
        return parameters.Slice(shape.BiasOffset(layer), shape.Layers[layer].Units);
    }
}
