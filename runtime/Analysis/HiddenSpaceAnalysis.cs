using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace HiddenSpace;

/// <summary>
/// Measures the raw input and every tap of a trained network: the question the project asks is how much
/// more linear each layer made the data.
/// </summary>
public static class HiddenSpaceAnalysis
{
    /// <summary>Figures for "input" and then every tap of <paramref name="network"/>, in tap order.</summary>
    /// <exception cref="ArgumentException">The data sets do not fit the network or each other.</exception>
    public static IReadOnlyList<LayerFigures> Measure(INetwork network, Dataset train, Dataset test)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        var figures = new List<LayerFigures> { Measure("input", train, test) };
        for (int t = 0; t < network.Shape.Taps.Count; t++)
            figures.Add(Measure(network.Shape.Taps[t].Name, TapRecorder.AsDataset(network, train, t), TapRecorder.AsDataset(network, test, t)));
        return figures.AsReadOnly();
    }

    /// <summary>Figures for one representation, fitted on <paramref name="train"/> and judged on <paramref name="test"/>.</summary>
    public static LayerFigures Measure(string name, Dataset train, Dataset test) => Measure(name, train, test, CancellationToken.None);

    /// <summary>
    /// Figures for "input" and then every tap, each on stratified samples of the splits within
    /// <paramref name="budget"/>; <paramref name="progress"/> hears one step per representation. Pass the input's
    /// figures as <paramref name="input"/> when they were measured already (they do not depend on the network: see
    /// <see cref="MeasureInput"/>), null to measure them here.
    /// </summary>
    /// <exception cref="ArgumentException">The data sets do not fit the network or each other.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static IReadOnlyList<LayerFigures> Measure(INetwork network, Dataset train, Dataset test, AnalysisBudget budget,
        CancellationToken cancellationToken, IProgress<PhaseProgress>? progress = null, LayerFigures? input = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(budget);
        budget.Validate();
        IReadOnlyList<TapInfo> taps = network.Shape.Taps;
        var figures = new List<LayerFigures>();
        for (int t = -1; t < taps.Count; t++)
        {
            string name = t < 0 ? "input" : taps[t].Name;
            progress?.Report(new PhaseProgress(RunPhase.Analysis, name, t + 1, taps.Count + 1, ProgressUnit.Representations));
            if (t < 0)
            {
                figures.Add(input ?? MeasureInput(train, test, budget, cancellationToken));
                continue;
            }
            int rows = budget.RowsFor(taps[t].Width);
            Dataset trainRows = StratifiedSample.Of(train, rows, budget.Seed), testRows = StratifiedSample.Of(test, rows, budget.Seed);
            figures.Add(Measure(name, TapRecorder.AsDataset(network, trainRows, t), TapRecorder.AsDataset(network, testRows, t), cancellationToken));
        }
        progress?.Report(new PhaseProgress(RunPhase.Analysis, "done", taps.Count + 1, taps.Count + 1, ProgressUnit.Representations));
        return figures.AsReadOnly();
    }

    /// <summary>
    /// The figures of the raw input, on stratified samples of the splits within <paramref name="budget"/>: what
    /// <see cref="Measure(INetwork, Dataset, Dataset, AnalysisBudget, CancellationToken, IProgress{PhaseProgress}?, LayerFigures?)"/>
    /// reports first. They do not depend on the network, so they may be measured while it trains.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static LayerFigures MeasureInput(Dataset train, Dataset test, AnalysisBudget budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(budget);
        budget.Validate();
        int rows = budget.RowsFor(train.FeatureCount);
        return Measure("input", StratifiedSample.Of(train, rows, budget.Seed), StratifiedSample.Of(test, rows, budget.Seed), cancellationToken);
    }

    private static LayerFigures Measure(string name, Dataset train, Dataset test, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (train.Task != TaskKind.Classification)
            return new LayerFigures(name, train.FeatureCount, null, LinearFit.Score(train, test), null, null);
        // The probe and the two verdicts share nothing: on the machine's cores at once (each is deterministic on its own).
        double probe = 0;
        SeparabilityReport? testVerdict = null, trainVerdict = null;
        try
        {
            Parallel.Invoke(new ParallelOptions { CancellationToken = cancellationToken },
                () => probe = LinearProbe.Score(train, test, cancellationToken: cancellationToken),
                () => testVerdict = Separate(test, cancellationToken),
                () => trainVerdict = Separate(train, cancellationToken));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return new LayerFigures(name, train.FeatureCount, probe, null, testVerdict, trainVerdict);
    }

    /// <summary>The separability of <paramref name="data"/>, in the coordinates of its rows' span when it is wider than long.</summary>
    private static SeparabilityReport Separate(Dataset data, CancellationToken cancellationToken)
    {
        int width = data.FeatureCount, n = data.Count;
        if (width < n) return Separability.Analyze(data, cancellationToken: cancellationToken);
        var centred = new double[n * width];
        ReadOnlySpan<float> features = data.Features;
        var centroid = new double[width];
        for (int i = 0; i < features.Length; i++) centroid[i % width] += features[i] / (double)n;
        for (int i = 0; i < features.Length; i++) centred[i] = features[i] - centroid[i % width];
        (double[] coordinates, _, int rank) = RowSpan.Of(centred, width, cancellationToken);
        if (rank == 0) (coordinates, rank) = (new double[n], 1); // every row the same point
        float[] points = Array.ConvertAll(coordinates, c => (float)c);
        return Separability.Analyze(points, rank, data.Labels, data.ClassCount, cancellationToken: cancellationToken) with { Dimension = width, ClassNames = data.ClassNames };
    }
}
