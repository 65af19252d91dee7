using System;
using System.Threading;
using System.Threading.Tasks;

namespace HiddenSpace;

/// <summary>
/// The input's figures (<see cref="HiddenSpaceAnalysis.MeasureInput"/>) being measured on another core. They need only
/// the data, so a caller with a network still to build (the tool loads or compiles it) starts them as soon as the data
/// is loaded and hands this to <see cref="BottleneckExperiment.Run{TNetwork}(TNetwork, Dataset, Dataset, TrainingOptions, string, IProgress{EpochStats}?, CancellationToken, ExperimentSettings?, IProgress{PhaseProgress}?, InputFiguresInProgress?)"/>,
/// which uses them when they were started on the same train and test sets (the same instances) and budget, and
/// measures its own otherwise; either way the run disposes it.
/// </summary>
public sealed class InputFiguresInProgress : IDisposable
{
    private readonly CancellationTokenSource _cancel;

    private InputFiguresInProgress(Dataset train, Dataset test, AnalysisBudget budget, CancellationToken cancellationToken)
    {
        Train = train;
        Test = test;
        Budget = budget;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CancellationToken token = _cancel.Token;
        Figures = Task.Run(() => HiddenSpaceAnalysis.MeasureInput(train, test, budget, token), token);
    }

    internal Dataset Train { get; }

    internal Dataset Test { get; }

    internal AnalysisBudget Budget { get; }

    /// <summary>The figures, once measured.</summary>
    internal Task<LayerFigures> Figures { get; }

    /// <summary>Starts measuring the figures of <paramref name="train"/> and <paramref name="test"/> within <paramref name="budget"/> on the thread pool.</summary>
    /// <exception cref="ArgumentException">The budget is not valid (see <see cref="AnalysisBudget"/>).</exception>
    public static InputFiguresInProgress Start(Dataset train, Dataset test, AnalysisBudget budget, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(budget);
        budget.Validate();
        return new InputFiguresInProgress(train, test, budget, cancellationToken);
    }

    /// <summary>Whether these are the figures a run on <paramref name="train"/> and <paramref name="test"/> within <paramref name="budget"/> reports.</summary>
    internal bool Fit(Dataset train, Dataset test, AnalysisBudget budget) =>
        ReferenceEquals(Train, train) && ReferenceEquals(Test, test) && Budget == budget;

    /// <summary>Stops the measurement: the figures are not wanted.</summary>
    internal void Cancel() => _cancel.Cancel();

    /// <summary>Releases the link to the caller's cancellation token.</summary>
    public void Dispose() => _cancel.Dispose();
}
