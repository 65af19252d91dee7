using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HiddenSpace.Kernels;

namespace HiddenSpace;

/// <summary>Which epochs get a snapshot: every k-th from the first, plus the last, never more than a maximum.</summary>
public static class FrameSchedule
{
    /// <summary>The most frames a report holds by default (enough for a smooth slider, small enough for the file).</summary>
    public const int DefaultMaxFrames = 60;

    /// <summary>
    /// The spacing k that keeps epochs 1, 1 + k, 1 + 2k, … plus the last epoch within <paramref name="maxFrames"/>:
    /// k = ⌈(epochs − 1) / (maxFrames − 1)⌉, at least 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is below its minimum (1 epoch, 2 frames).</exception>
    public static int Interval(int epochs, int maxFrames = DefaultMaxFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrames, 2);
        return Math.Max(1, (epochs - 1 + maxFrames - 2) / (maxFrames - 1));
    }

    /// <summary>Whether <paramref name="epoch"/> (1-based) of <paramref name="epochs"/> gets a frame at spacing <paramref name="interval"/>.</summary>
    public static bool IsFrame(int epoch, int epochs, int interval) => epoch == 1 || epoch == epochs || (epoch - 1) % interval == 0;
}

/// <summary>The state of the network after one epoch, as the report draws it.</summary>
/// <param name="Epoch">1-based epoch the snapshot was taken after.</param>
/// <param name="TapValues">The bottleneck tap for every plotted row (train rows, then test rows), row-major [rows × width]; empty without a tap.</param>
/// <param name="OutputWeights">The output layer's weights, [outputs × fan-in] row-major.</param>
/// <param name="OutputBiases">The output layer's biases, [outputs].</param>
/// <param name="InputGrid">
/// For 2 inputs: the network's prediction at the centres of a resolution × resolution grid over the input
/// plane, row j (from the bottom) then column i: the class for classification, the output for regression.
/// Null for other input widths.
/// </param>
/// <param name="Separability">Classification: the verdict on the plotted test rows' tap values; else null.</param>
/// <param name="TapRSquared">Regression: R² on the plotted test rows of a linear fit to the plotted train rows' tap values; else null.</param>
public sealed record TrainingFrame(int Epoch, float[] TapValues, float[] OutputWeights, float[] OutputBiases, float[]? InputGrid,
    SeparabilityReport? Separability, double? TapRSquared);

/// <summary>One epoch's figures, with R² added for regression (the trainer reports accuracies, which are NaN there).</summary>
public sealed record EpochCurve(EpochStats Stats, double TrainRSquared, double TestRSquared);

/// <summary>
/// Listens to the trainer (its Report runs on the training thread while the network holds that epoch's weights)
/// and takes a <see cref="TrainingFrame"/> on the scheduled epochs.
/// </summary>
/// <remarks>
/// Curves are measured on <c>train</c> and <c>test</c>, frames of the points of <c>plotTrain</c> and <c>plotTest</c>
/// (the same sets, or samples of them).
/// </remarks>
internal sealed class TrainingRecorder(INetwork network, Dataset train, Dataset test, Dataset plotTrain, Dataset plotTest, int tap, int epochs,
    int maxFrames, PlotBounds? inputBounds, int resolution, IProgress<EpochStats>? next) : IProgress<EpochStats>
{
    private readonly int _interval = FrameSchedule.Interval(epochs, maxFrames);
    private readonly float[] _output = new float[network.Shape.Outputs]; // [outputs], scratch
    // A frame's figures (the separability or R² of its tap values) are measured on another core while training goes on.
    private readonly List<(int Epoch, Task<TrainingFrame> Frame)> _frames = [];
    private readonly List<EpochCurve> _curves = [];

    /// <summary>The frames taken, once their figures are measured (waits for the last ones; a new list each call).</summary>
    public IReadOnlyList<TrainingFrame> Frames => [.. _frames.Select(frame => frame.Frame.GetAwaiter().GetResult())];

    public IReadOnlyList<EpochCurve> Curves => _curves;

    public void Report(EpochStats value)
    {
        bool regression = train.Task == TaskKind.Regression;
        _curves.Add(new EpochCurve(value, regression ? RSquared(train) : double.NaN, regression ? RSquared(test) : double.NaN));
        if (FrameSchedule.IsFrame(value.Epoch, epochs, _interval)) _frames.Add((value.Epoch, Capture(value.Epoch)));
        next?.Report(value);
    }

    /// <summary>After a cancelled or diverged run: a frame of the weights the network ended with, if the last one is older.</summary>
    public void Finish(int finishedEpochs)
    {
        if (_frames.Count > 0 && _frames[^1].Epoch == finishedEpochs) return;
        if (_frames.Count == maxFrames) _frames.RemoveAt(_frames.Count - 1);
        _frames.Add((finishedEpochs, Capture(finishedEpochs)));
    }

    /// <summary>Test R² of the network itself (regression).</summary>
    public double RSquared(Dataset data) => Metrics.PredictionRSquared(network, data);

    /// <summary>The network's state now (on the training thread); the tap's figures follow on another core.</summary>
    private Task<TrainingFrame> Capture(int epoch)
    {
        NetworkShape shape = network.Shape;
        int outputLayer = shape.Layers.Count - 1;
        ReadOnlySpan<float> parameters = network.Parameters;
        float[] weights = parameters.Slice(shape.WeightOffset(outputLayer), shape.Outputs * shape.FanIn(outputLayer)).ToArray();
        float[] biases = parameters.Slice(shape.BiasOffset(outputLayer), shape.Outputs).ToArray();

        float[]? grid = inputBounds is null ? null : InputGrid(inputBounds);
        if (tap < 0) return Task.FromResult(new TrainingFrame(epoch, [], weights, biases, grid, null, null));
        float[] trainTap = TapRecorder.Collect(network, plotTrain, tap);
        float[] testTap = TapRecorder.Collect(network, plotTest, tap);
        float[] tapValues = [.. trainTap, .. testTap];
        int width = shape.Taps[tap].Width;
        return Task.Run(() =>
        {
            SeparabilityReport? separability = null;
            double? tapRSquared = null;
            if (Finite.All(tapValues))
            {
                if (train.Task == TaskKind.Classification)
                    // Every frame: the worst pair's count (the multiclass verdict's wording needs no other), on this one thread
                    // beside the training.
                    separability = Separability.Analyze(testTap, width, plotTest.Labels, plotTest.ClassCount, counts: FewestWrongCounts.WorstPair,
                        maxDegreeOfParallelism: 1) with { ClassNames = plotTest.ClassNames };
                else
                    tapRSquared = LinearFit.Fit(trainTap, width, plotTrain.Values).RSquared(testTap, plotTest.Values);
            }
            return new TrainingFrame(epoch, tapValues, weights, biases, grid, separability, tapRSquared);
        });
    }

    private float[] InputGrid(PlotBounds bounds)
    {
        int n = resolution;
        var grid = new float[n * n]; // [row j from the bottom, column i]
        Span<float> input = stackalloc float[2];
        bool classify = train.Task == TaskKind.Classification;
        for (int j = 0; j < n; j++)
        {
            input[1] = (float)(bounds.MinY + (j + 0.5) * bounds.SpanY / n);
            for (int i = 0; i < n; i++)
            {
                input[0] = (float)(bounds.MinX + (i + 0.5) * bounds.SpanX / n);
                network.Forward(input, _output);
                grid[j * n + i] = classify ? Metrics.PredictedClass(_output) : _output[0];
            }
        }
        return grid;
    }
}
