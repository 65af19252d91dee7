using System;
using System.Collections.Generic;

namespace HiddenSpace;

public static partial class Trainer
{
    /// <summary>
    /// One optimizer step around a batch's gradients, shared by the in-memory and the streamed trainer: clear the
    /// gradients, then (after the caller has accumulated the batch) step, keeping the parameters from before the step in
    /// the step's own pass, and restore them if the loss or a parameter stopped being finite.
    /// </summary>
    private sealed class BatchStep(INetwork network, Optimizer optimizer)
    {
        private readonly float[] _lastFinite = new float[network.Shape.ParameterCount];

        /// <summary>Before accumulating a batch.</summary>
        public void Begin() => network.Gradients.Clear();

        /// <summary>
        /// After accumulating a batch whose losses sum to <paramref name="batchLoss"/> and whose rows weigh
        /// <paramref name="weightSum"/> (the row count without class weights): one step at <paramref name="learningRate"/>
        /// on the mean gradient (split across the workers of <paramref name="parallel"/> when given); false when training
        /// diverged (the parameters are restored).
        /// </summary>
        public bool Finish(float batchLoss, float weightSum, float learningRate, DataParallel? parallel = null)
        {
            Span<float> parameters = network.Parameters;
            bool finite = parallel?.Step(optimizer, 1f / weightSum, learningRate, _lastFinite)
                ?? optimizer.Step(parameters, network.Gradients, 1f / weightSum, learningRate, _lastFinite);
            if (finite && float.IsFinite(batchLoss)) return true;
            _lastFinite.CopyTo(parameters);
            return false;
        }

        /// <summary>The outcome of a run cancelled before <paramref name="step"/> of <paramref name="epoch"/>.</summary>
        public static TrainingHistory Cancelled(List<EpochStats> epochs, int epoch, int step, TargetScale? scale = null, int? bestEpoch = null) =>
            new(epochs, TrainingOutcome.Cancelled, $"Cancelled in epoch {epoch} at step {step}.", scale, bestEpoch);

        /// <summary>The outcome of a run that diverged at <paramref name="step"/> of <paramref name="epoch"/>.</summary>
        public static TrainingHistory Diverged(List<EpochStats> epochs, int epoch, int step, float batchLoss, TargetScale? scale = null, int? bestEpoch = null) =>
            new(epochs, TrainingOutcome.Diverged,
                $"Training diverged in epoch {epoch} at step {step}: the {(float.IsFinite(batchLoss) ? "parameters" : "loss")} became NaN or infinite. The network holds the weights from before that step; lower the learning rate.",
                scale, bestEpoch);
    }
}
