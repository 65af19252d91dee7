using System;
using System.Collections.Generic;
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
internal sealed class TrainingRecorder : IProgress<EpochStats>
{
    private readonly INetwork _network;
    private readonly Dataset _train;      // per-epoch R²
    private readonly Dataset _test;
    private readonly Dataset _plotTrain;  // the frames' points
    private readonly Dataset _plotTest;
    private readonly int _tap;
    private readonly int _epochs;
    private readonly int _interval;
    private readonly int _maxFrames;
    private readonly PlotBounds? _inputBounds;
    private readonly int _resolution;
    private readonly IProgress<EpochStats>? _next;
    private readonly float[] _output; // [outputs], scratch
    private readonly List<TrainingFrame> _frames = [];
    private readonly List<EpochCurve> _curves = [];

    /// <summary>
    /// Records curves measured on <paramref name="train"/> and <paramref name="test"/> and frames of the points of
    /// <paramref name="plotTrain"/> and <paramref name="plotTest"/> (the same sets, or samples of them).
    /// </summary>
    public TrainingRecorder(INetwork network, Dataset train, Dataset test, Dataset plotTrain, Dataset plotTest, int tap, int epochs, int maxFrames,
        PlotBounds? inputBounds, int resolution, IProgress<EpochStats>? next)
    {
        _network = network;
        _train = train;
        _test = test;
        _plotTrain = plotTrain;
        _plotTest = plotTest;
        _tap = tap;
        _epochs = epochs;
        _maxFrames = maxFrames;
        _interval = FrameSchedule.Interval(epochs, maxFrames);
        _inputBounds = inputBounds;
        _resolution = resolution;
        _next = next;
        _output = new float[network.Shape.Outputs];
    }

    public IReadOnlyList<TrainingFrame> Frames => _frames;

    public IReadOnlyList<EpochCurve> Curves => _curves;

    public void Report(EpochStats value)
    {
        bool regression = _train.Task == TaskKind.Regression;
        _curves.Add(new EpochCurve(value, regression ? RSquared(_train) : double.NaN, regression ? RSquared(_test) : double.NaN));
        if (FrameSchedule.IsFrame(value.Epoch, _epochs, _interval)) _frames.Add(Capture(value.Epoch));
        _next?.Report(value);
    }

    /// <summary>After a cancelled or diverged run: a frame of the weights the network ended with, if the last one is older.</summary>
    public void Finish(int finishedEpochs)
    {
        if (_frames.Count > 0 && _frames[^1].Epoch == finishedEpochs) return;
        if (_frames.Count == _maxFrames) _frames.RemoveAt(_frames.Count - 1);
        _frames.Add(Capture(finishedEpochs));
    }

    /// <summary>Test R² of the network itself (regression).</summary>
    public double RSquared(Dataset data) => Metrics.PredictionRSquared(_network, data);

    private TrainingFrame Capture(int epoch)
    {
        NetworkShape shape = _network.Shape;
        int outputLayer = shape.Layers.Count - 1;
        ReadOnlySpan<float> parameters = _network.Parameters;
        float[] weights = parameters.Slice(shape.WeightOffset(outputLayer), shape.Outputs * shape.FanIn(outputLayer)).ToArray();
        float[] biases = parameters.Slice(shape.BiasOffset(outputLayer), shape.Outputs).ToArray();

        float[] tapValues = [];
        SeparabilityReport? separability = null;
        double? tapRSquared = null;
        if (_tap >= 0)
        {
            float[] trainTap = TapRecorder.Collect(_network, _plotTrain, _tap);
            float[] testTap = TapRecorder.Collect(_network, _plotTest, _tap);
            tapValues = [.. trainTap, .. testTap];
            int width = shape.Taps[_tap].Width;
            if (Finite.All(tapValues))
            {
                if (_train.Task == TaskKind.Classification)
                    // Every frame: the pairs' counts (the multiclass verdict's) but not the one-vs-rest ones, which cost ~30× more.
                    separability = Separability.Analyze(testTap, width, _plotTest.Labels, _plotTest.ClassCount, countOneVsRest: false);
                else
                    tapRSquared = LinearFit.Fit(trainTap, width, _plotTrain.Values).RSquared(testTap, _plotTest.Values);
            }
        }
        return new TrainingFrame(epoch, tapValues, weights, biases, _inputBounds is null ? null : InputGrid(_inputBounds), separability, tapRSquared);
    }

    private float[] InputGrid(PlotBounds bounds)
    {
        int n = _resolution;
        var grid = new float[n * n]; // [row j from the bottom, column i]
        Span<float> input = stackalloc float[2];
        bool classify = _train.Task == TaskKind.Classification;
        for (int j = 0; j < n; j++)
        {
            input[1] = (float)(bounds.MinY + (j + 0.5) * bounds.SpanY / n);
            for (int i = 0; i < n; i++)
            {
                input[0] = (float)(bounds.MinX + (i + 0.5) * bounds.SpanX / n);
                _network.Forward(input, _output);
                grid[j * n + i] = classify ? Metrics.PredictedClass(_output) : _output[0];
            }
        }
        return grid;
    }
}
