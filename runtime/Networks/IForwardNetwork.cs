using System;

namespace HiddenSpace;

/// <summary>
/// A network that runs forward: the part of <see cref="INetwork"/> that needs no gradients and no writable parameters.
/// Trainable networks (generated or reference) implement it through <see cref="INetwork"/>; a baked network
/// (<c>[Network(Weights = ...)]</c>, weights compiled in as constants) implements only this.
/// An instance is not thread-safe: it holds the scratch activations of its last forward pass.
/// </summary>
public interface IForwardNetwork
{
    /// <summary>The architecture, including the parameter layout.</summary>
    NetworkShape Shape { get; }

    /// <summary>Computes the outputs for one sample.</summary>
    /// <exception cref="ArgumentException">A span's length does not match the network.</exception>
    void Forward(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>
    /// <see cref="Forward"/> for many samples: <paramref name="inputs"/> holds <c>rows × Shape.Inputs</c> values
    /// row-major, <paramref name="outputs"/> receives <c>rows × Shape.Outputs</c>. Generated networks run the rows
    /// through their batch path in passes (<see cref="Kernels.LaneKernels.RowsPerPass"/> rows a pass in their lane form,
    /// up to <see cref="Kernels.MatrixKernels.RowsPerPass"/> in their matrix form), so the taps are not a particular
    /// row's afterwards: read taps after <see cref="Forward"/>, or take them from the overload with a tap index.
    /// </summary>
    /// <exception cref="ArgumentException">The spans do not hold the same whole number of rows.</exception>
    void ForwardBatch(ReadOnlySpan<float> inputs, Span<float> outputs);

    /// <summary>
    /// <see cref="ForwardBatch(ReadOnlySpan{float}, Span{float})"/> that also writes each row's activations of tap
    /// <paramref name="tapIndex"/> into <paramref name="taps"/> (<c>rows × the tap's width</c>, row-major): what
    /// <see cref="Forward"/> then <see cref="TapActivations"/> give row by row, from the batch path. Generated networks
    /// compute them in their passes (the matrix form's sums in another order, so equal to within rounding); this default
    /// runs the rows one at a time.
    /// </summary>
    /// <exception cref="ArgumentException">The spans do not hold the same whole number of rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException">No such tap.</exception>
    /// <exception cref="InvalidOperationException">The network returned a tap of the wrong width.</exception>
    void ForwardBatch(ReadOnlySpan<float> inputs, Span<float> outputs, int tapIndex, Span<float> taps)
    {
        NetworkShape shape = Shape;
        int rows = NetworkArguments.BatchTapRows(inputs.Length, outputs.Length, taps.Length, tapIndex, shape);
        TapInfo tap = shape.Taps[tapIndex];
        for (int row = 0; row < rows; row++)
        {
            Forward(inputs.Slice(row * shape.Inputs, shape.Inputs), outputs.Slice(row * shape.Outputs, shape.Outputs));
            ReadOnlySpan<float> values = TapActivations(tapIndex);
            if (values.Length != tap.Width)
                throw new InvalidOperationException($"The network returned {values.Length} activations for tap \"{tap.Name}\", whose width is {tap.Width}.");
            values.CopyTo(taps.Slice(row * tap.Width, tap.Width));
        }
    }

    /// <summary>
    /// The activations of tap <paramref name="tapIndex"/> (an index into <see cref="NetworkShape.Taps"/>)
    /// from the last forward pass. The span is a view into the network's scratch memory: copy it
    /// before the next call.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">No such tap.</exception>
    ReadOnlySpan<float> TapActivations(int tapIndex);
}
