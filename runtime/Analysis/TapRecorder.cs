using System;
using System.Globalization;

namespace HiddenSpace;

/// <summary>Records what a tapped layer of a network computes for every row of a data set.</summary>
public static class TapRecorder
{
    /// <summary>
    /// The activations of tap <paramref name="tapIndex"/> for every row of <paramref name="data"/>, through the
    /// network's batch path (<see cref="IForwardNetwork.ForwardBatch(ReadOnlySpan{float}, Span{float}, int, Span{float})"/>,
    /// <see cref="RowsPerCall"/> rows a call).
    /// </summary>
    /// <returns>The activations, row-major: data.Count × the tap's width.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tapIndex"/> is not an index into <c>network.Shape.Taps</c>.</exception>
    /// <exception cref="ArgumentException">The data set's feature count is not the network's input count.</exception>
    /// <exception cref="InvalidOperationException">The network returned a tap of the wrong width.</exception>
    public static float[] Collect(INetwork network, Dataset data, int tapIndex)
    {
        TapInfo tap = Validate(network, data, tapIndex);
        int inputs = data.FeatureCount, outputs = network.Shape.Outputs;
        var output = new float[Math.Min(data.Count, RowsPerCall) * outputs]; // [rows × outputs], discarded
        var activations = new float[data.Count * tap.Width]; // [Count × Width]
        for (int start = 0; start < data.Count; start += RowsPerCall)
        {
            int rows = Math.Min(RowsPerCall, data.Count - start);
            network.ForwardBatch(data.Features.Slice(start * inputs, rows * inputs), output.AsSpan(0, rows * outputs), tapIndex,
                activations.AsSpan(start * tap.Width, rows * tap.Width));
        }
        return activations;
    }

    /// <summary>Rows a batch call of <see cref="Collect"/> covers: whole passes of either batch form, a small output buffer.</summary>
    private const int RowsPerCall = 256;

    /// <summary>
    /// The activations of <see cref="Collect"/> as a data set with the labels or targets of <paramref name="data"/>,
    /// named "<c>{data.Name}.{tap}</c>", with feature names "<c>{tap}[0]</c>", "<c>{tap}[1]</c>", ….
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tapIndex"/> is not an index into <c>network.Shape.Taps</c>.</exception>
    /// <exception cref="ArgumentException">The data set's feature count is not the network's input count, or an activation is not finite.</exception>
    /// <exception cref="InvalidOperationException">The network returned a tap of the wrong width.</exception>
    public static Dataset AsDataset(INetwork network, Dataset data, int tapIndex)
    {
        float[] activations = Collect(network, data, tapIndex);
        TapInfo tap = network.Shape.Taps[tapIndex];
        var names = new string[tap.Width];
        for (int unit = 0; unit < names.Length; unit++)
            names[unit] = tap.Name + "[" + unit.ToString(CultureInfo.InvariantCulture) + "]";
        string name = data.Name + "." + tap.Name;
        return data.Task == TaskKind.Classification
            ? Dataset.ForClassification(name, tap.Width, activations, data.Labels.ToArray(), data.ClassCount, names, data.TargetName, data.ClassNames)
            : Dataset.ForRegression(name, tap.Width, activations, data.Values.ToArray(), names, data.TargetName);
    }

    private static TapInfo Validate(INetwork network, Dataset data, int tapIndex)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        NetworkShape shape = network.Shape;
        if ((uint)tapIndex >= (uint)shape.Taps.Count)
            throw new ArgumentOutOfRangeException(nameof(tapIndex), tapIndex,
                shape.Taps.Count == 0 ? "The network has no taps." : $"The network has {shape.Taps.Count} tap(s); the index must be in 0..{shape.Taps.Count - 1}.");
        if (data.FeatureCount != shape.Inputs)
            throw new ArgumentException($"The network takes {shape.Inputs} inputs but data set '{data.Name}' has {data.FeatureCount} features.", nameof(data));
        return shape.Taps[tapIndex];
    }
}
