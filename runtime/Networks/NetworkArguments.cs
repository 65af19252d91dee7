using System;

namespace HiddenSpace;

/// <summary>
/// Argument checks shared by every <see cref="INetwork"/> implementation, generated or not, so that the
/// same mistake gets the same message whichever network the caller holds.
/// </summary>
public static class NetworkArguments
{
    /// <summary>Throws when a span does not hold exactly <paramref name="expected"/> values.</summary>
    /// <exception cref="ArgumentException">Names <paramref name="parameter"/> and both lengths.</exception>
    public static void CheckLength(int actual, int expected, string parameter)
    {
        if (actual != expected)
            throw new ArgumentException($"Expected {expected} values but the span holds {actual}.", parameter);
    }

    /// <summary>
    /// The number of rows in a batch of row-major inputs and targets (or outputs: pass
    /// <paramref name="perRow"/> = "output").
    /// </summary>
    /// <exception cref="ArgumentException">The spans are not the same whole number of rows.</exception>
    public static int BatchRows(int inputLength, int targetLength, int inputs, int outputs, string perRow = "target")
    {
        int rows = inputLength / inputs;
        if (inputLength % inputs != 0 || targetLength != rows * outputs)
            throw new ArgumentException(
                $"A batch of {inputLength} input values and {targetLength} {perRow} values is not a whole number of rows of {inputs} inputs and {outputs} {perRow}s.",
                "inputs");
        return rows;
    }

    /// <summary>Throws unless <paramref name="outputLength"/> is 0 (no outputs wanted) or one row of <paramref name="outputs"/> values for each of the batch's <paramref name="rows"/>.</summary>
    /// <exception cref="ArgumentException">Names the outputs argument and both lengths.</exception>
    public static void CheckBatchOutputs(int outputLength, int rows, int outputs)
    {
        if (outputLength != 0 && outputLength != rows * outputs)
            throw new ArgumentException(
                $"A batch of {rows} rows has {rows * outputs} output values ({outputs} a row) but the outputs span holds {outputLength}; pass an empty span for none.",
                "outputs");
    }

    /// <summary>
    /// The number of rows in a batch of row-major inputs and outputs that also returns tap <paramref name="tapIndex"/>
    /// of <paramref name="shape"/>: <paramref name="tapLength"/> must hold a row of the tap's width for each.
    /// </summary>
    /// <exception cref="ArgumentException">The spans are not the same whole number of rows (names inputs or taps).</exception>
    /// <exception cref="ArgumentOutOfRangeException">No such tap.</exception>
    public static int BatchTapRows(int inputLength, int outputLength, int tapLength, int tapIndex, NetworkShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int rows = BatchRows(inputLength, outputLength, shape.Inputs, shape.Outputs, "output");
        CheckTap(tapIndex, shape.Taps.Count);
        TapInfo tap = shape.Taps[tapIndex];
        if (tapLength != rows * tap.Width)
            throw new ArgumentException(
                $"A batch of {rows} rows has {rows * tap.Width} values of tap \"{tap.Name}\" ({tap.Width} a row) but the taps span holds {tapLength}.", "taps");
        return rows;
    }

    /// <summary>Throws when <paramref name="tapIndex"/> is not an index into a list of <paramref name="tapCount"/> taps.</summary>
    public static void CheckTap(int tapIndex, int tapCount)
    {
        if ((uint)tapIndex >= (uint)tapCount)
            throw new ArgumentOutOfRangeException(nameof(tapIndex), tapIndex, $"The network has {tapCount} taps.");
    }
}
