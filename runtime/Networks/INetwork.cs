using System;

namespace HiddenSpace;

/// <summary>
/// What every trainable network offers, generated or reference: the trainer, the analysis, the exporters,
/// the tests and the benchmarks are generic over it. One interface call per sample or per batch, none per neuron.
/// The forward members come from <see cref="IForwardNetwork"/>.
/// An instance is not thread-safe: it holds the scratch activations of its last forward pass.
/// </summary>
public interface INetwork : IForwardNetwork
{
    /// <summary>All weights and biases, in the layout <see cref="NetworkShape"/> documents.</summary>
    Span<float> Parameters { get; }

    /// <summary>Accumulated gradients, same layout as <see cref="Parameters"/>. The caller zeroes them.</summary>
    Span<float> Gradients { get; }

    /// <summary>
    /// Forward and backward pass for one sample: adds dLoss/dParameters into <see cref="Gradients"/>
    /// and returns the sample's loss. <paramref name="target"/> has one value per output (a one-hot
    /// row for <see cref="Loss.SoftmaxCrossEntropy"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A span's length does not match the network.</exception>
    float AccumulateGradients(ReadOnlySpan<float> input, ReadOnlySpan<float> target);

    /// <summary>
    /// <see cref="AccumulateGradients"/> for a mini-batch: <paramref name="inputs"/> holds
    /// <c>rows × Shape.Inputs</c> values row-major, <paramref name="targets"/> <c>rows × Shape.Outputs</c>.
    /// Adds the sum of the per-sample gradients and returns the sum of the per-sample losses. A non-empty
    /// <paramref name="outputs"/> (<c>rows × Shape.Outputs</c>) receives each row's outputs from the forward pass, the
    /// values <see cref="IForwardNetwork.ForwardBatch(ReadOnlySpan{float}, Span{float})"/> gives for the same rows: a trainer counts the batch's right
    /// predictions from them without running the rows again.
    /// </summary>
    /// <exception cref="ArgumentException">The spans do not hold the same whole number of rows.</exception>
    float AccumulateBatchGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> outputs = default);

    /// <summary>
    /// A network of the same architecture that shares this one's parameter storage (it reads the parameters,
    /// never writes them) and has its own gradients and scratch memory: for computing the gradients of
    /// separate shards of a batch on separate threads. Updating this network's parameters updates the worker's.
    /// </summary>
    INetwork CreateWorker();
}
