using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace HiddenSpace;

/// <summary>The median and range of one figure over several runs (non-finite values left out).</summary>
/// <param name="Median">The middle value (the mean of the two middle ones for an even count); NaN when there are none.</param>
/// <param name="Min">The smallest value; NaN when there are none.</param>
/// <param name="Max">The largest value; NaN when there are none.</param>
/// <param name="Count">The finite values.</param>
public readonly record struct Spread(double Median, double Min, double Max, int Count)
{
    /// <summary>The spread of the finite <paramref name="values"/>.</summary>
    public static Spread Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] finite = [.. values.Where(double.IsFinite)];
        if (finite.Length == 0) return new Spread(double.NaN, double.NaN, double.NaN, 0);
        Array.Sort(finite);
        int n = finite.Length;
        double median = n % 2 == 1 ? finite[n / 2] : (finite[n / 2 - 1] + finite[n / 2]) / 2;
        return new Spread(median, finite[0], finite[^1], n);
    }
}

/// <summary>A figure of a run that a sweep summarises.</summary>
/// <param name="Key">Its key in sweep.html's data.</param>
/// <param name="Label">What it is, in words.</param>
/// <param name="ShortLabel">A column heading.</param>
/// <param name="Headline">Whether the console's summary table shows it (the test-split figures that answer the question).</param>
/// <param name="HigherIsBetter">Whether a larger value is the better one.</param>
/// <param name="IsShare">A share of points, shown as a percentage.</param>
/// <param name="Value">The figure of a run (NaN when it has none).</param>
/// <param name="InputValue">The same figure of the raw input, for comparison; null when the input has none.</param>
public sealed record SweepFigure(string Key, string Label, string ShortLabel, bool Headline, bool HigherIsBetter, bool IsShare, Func<SweepRun, double> Value, Func<SweepRun, double>? InputValue)
{
    private static readonly SweepFigure[] Classification =
    [
        new("bottleneck_wrong", "bottleneck: share of the test points the best line leaves on the wrong side", "wrong side (test)", true, false, true,
            run => run.BottleneckTest?.WrongShare ?? double.NaN, run => run.InputTest?.WrongShare ?? double.NaN),
        new("bottleneck_train_wrong", "bottleneck: share of the training points the best line leaves on the wrong side", "wrong side (train)", false, false, true,
            run => run.BottleneckTrain?.WrongShare ?? double.NaN, null),
        new("bottleneck_probe", "bottleneck: linear probe accuracy (test)", "probe", false, true, false,
            run => run.Bottleneck.ProbeAccuracy ?? double.NaN, run => run.Input.ProbeAccuracy ?? double.NaN),
        new("test_accuracy", "network: test accuracy", "test accuracy", true, true, false, run => run.TestAccuracy, null),
        new("train_accuracy", "network: training accuracy", "train accuracy", false, true, false, run => run.TrainAccuracy, null),
    ];

    private static readonly SweepFigure[] Regression =
    [
        new("bottleneck_r_squared", "bottleneck: linear fit R² (test)", "bottleneck R²", true, true, false,
            run => run.Bottleneck.RSquared ?? double.NaN, run => run.Input.RSquared ?? double.NaN),
        new("test_r_squared", "network: test R²", "test R²", true, true, false, run => run.TestRSquared, null),
        new("train_r_squared", "network: training R²", "train R²", false, true, false, run => run.TrainRSquared, null),
    ];

    /// <summary>The median and range of this figure over <paramref name="runs"/>.</summary>
    public Spread Over(IEnumerable<SweepRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return Spread.Of(runs.Select(Value));
    }

    /// <summary>The figures of a task, the bottleneck's separability (classification) or linear fit (regression) first.</summary>
    public static IReadOnlyList<SweepFigure> For(TaskKind task) => task == TaskKind.Classification ? Classification : Regression;
}

/// <summary>The runs of one configuration (everything but the seed), in seed order.</summary>
/// <param name="Point">The first run's point; its seed is one of several.</param>
/// <param name="Runs">The finished runs.</param>
public sealed record SweepConfiguration(SweepPoint Point, IReadOnlyList<SweepRun> Runs)
{
    /// <summary>Runs whose bottleneck leaves no test point on the wrong side of a line (of any pair of classes); 0 for regression.</summary>
    public int Untangled => Runs.Count(run => run.BottleneckTest?.Wrong == 0);

    /// <summary>"hidden 16,16 relu, bottleneck 2 (2-16-16-2-1, 339 parameters)".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"hidden {Point.HiddenLabel} {SweepSummary.Name(Point.Activation)}, bottleneck {Point.Bottleneck} ({Point.Network.Widths()}, {Point.Network.ParameterCount:N0} parameters)");
}

/// <summary>Every run that took one value of one choice (e.g. every run with bottleneck width 2).</summary>
/// <param name="Level">The value, as the tool's option writes it.</param>
/// <param name="Runs">The runs.</param>
public sealed record SweepLevel(string Level, IReadOnlyList<SweepRun> Runs);

/// <summary>One choice of the grid with its values in grid order.</summary>
/// <param name="Name">"hidden", "activation" or "bottleneck".</param>
/// <param name="Levels">Its values.</param>
public sealed record SweepChoice(string Name, IReadOnlyList<SweepLevel> Levels);

/// <summary>
/// What a sweep found, per configuration (median and range over the seeds) and per value of each choice, with the
/// answer in one sentence: the smallest network whose bottleneck is linearly separable for every seed (regression:
/// the best linear fit, and the smallest network within 0.01 of it).
/// </summary>
public sealed class SweepSummary
{
    /// <summary>How close to the best R² a smaller network may come and still be named (regression).</summary>
    public const double RSquaredTolerance = 0.01;

    /// <summary>Summarises <paramref name="result"/>.</summary>
    public SweepSummary(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
        Figures = SweepFigure.For(result.Task);
        // GroupBy keeps the groups in order of first appearance and each group's runs in grid order.
        Configurations = [.. result.Runs.GroupBy(run => (run.Point.HiddenLabel, run.Point.Activation, run.Point.Bottleneck))
            .Select(runs => new SweepConfiguration(runs.First().Point, [.. runs]))];
        Choices =
        [
            Choice("hidden", run => run.Point.HiddenLabel),
            Choice("activation", run => Name(run.Point.Activation)),
            Choice("bottleneck", run => run.Point.Bottleneck.ToString(CultureInfo.InvariantCulture)),
        ];
    }

    /// <summary>The sweep.</summary>
    public SweepResult Result { get; }

    /// <summary>The figures summarised, <see cref="SweepFigure.For"/> the sweep's task.</summary>
    public IReadOnlyList<SweepFigure> Figures { get; }

    /// <summary>The configurations in grid order.</summary>
    public IReadOnlyList<SweepConfiguration> Configurations { get; }

    /// <summary>The hidden layers, their activation and the bottleneck width, each with its values.</summary>
    public IReadOnlyList<SweepChoice> Choices { get; }

    /// <summary>An activation as the tool's options write it, e.g. "relu".</summary>
    public static string Name(Activation activation) => activation.ToString().ToLowerInvariant();

    /// <summary>The median and range of <paramref name="figure"/> of the raw input over the seeds; NaN when the input has none.</summary>
    public Spread Input(SweepFigure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        if (figure.InputValue is not { } value) return Spread.Of([]);
        return Spread.Of(Result.Runs.GroupBy(run => run.Point.Seed).Select(seed => value(seed.First())));
    }

    /// <summary>The answer to "how much hidden layer does it take", in one sentence.</summary>
    public string Answer()
    {
        if (Configurations.Count == 0) return "No run finished.";
        return Result.Task == TaskKind.Classification ? SeparabilityAnswer() : FitAnswer();
    }

    private string SeparabilityAnswer()
    {
        SweepFigure wrong = Figures[0];
        bool twoClasses = Result.Runs[0].Bottleneck.Separability?.ClassCount == 2;
        string separable = twoClasses ? "linearly separable" : "linearly separable for every pair of classes";
        string points = twoClasses ? "of the test points" : "of the test points of the worst pair of classes";
        double input = Input(wrong).Median;
        string inputSentence = input == 0
            ? $"The input already is {separable} (median over seeds): the hidden layers had nothing to untangle."
            : $"The input: the best line leaves {Percent(input)} {points} on the wrong side (median over seeds).";
        var untangling = Configurations.Where(c => c.Untangled == c.Runs.Count).ToList();
        if (untangling.Count > 0)
        {
            SweepConfiguration smallest = untangling.MinBy(c => c.Point.Network.ParameterCount)!;
            return Invariant($"The smallest network whose bottleneck is {separable} on the test split for {Seeds(smallest.Runs.Count)}: {smallest.Describe()}; ") +
                Invariant($"{untangling.Count} of {Configurations.Count} configurations are. {inputSentence}");
        }
        SweepConfiguration closest = Configurations.MinBy(c => (OrLast(wrong.Over(c.Runs).Median, lowerIsBetter: true), c.Point.Network.ParameterCount))!;
        Spread spread = wrong.Over(closest.Runs);
        return Invariant($"No network in the grid makes the bottleneck {separable} on the test split for every seed; the closest, {closest.Describe()}, ") +
            Invariant($"leaves {Percent(spread.Median)} {points} on the wrong side ({Percent(spread.Min)} to {Percent(spread.Max)} over {spread.Count} seeds). {inputSentence}");
    }

    private string FitAnswer()
    {
        SweepFigure fit = Figures[0];
        SweepConfiguration best = Configurations.MinBy(c => OrLast(fit.Over(c.Runs).Median, lowerIsBetter: false))!;
        Spread spread = fit.Over(best.Runs);
        SweepConfiguration smallest = Configurations.Where(c => fit.Over(c.Runs).Median >= spread.Median - RSquaredTolerance).MinBy(c => c.Point.Network.ParameterCount)!;
        string within = smallest == best ? "" : Invariant($"; within {RSquaredTolerance} of it from {smallest.Describe()}, R² {fit.Over(smallest.Runs).Median:0.000}");
        return Invariant($"The best bottleneck linear fit: R² {spread.Median:0.000} ({spread.Min:0.000} to {spread.Max:0.000} over {spread.Count} seeds) with {best.Describe()}{within}. ") +
            Invariant($"The input's linear fit: R² {Input(fit).Median:0.000} (median over seeds).");
    }

    /// <summary>A figure to sort by, best first, with NaN last.</summary>
    private static double OrLast(double value, bool lowerIsBetter) =>
        double.IsNaN(value) ? double.PositiveInfinity : lowerIsBetter ? value : -value;

    private static string Seeds(int count) => count == 1 ? "its one seed" : Invariant($"all {count} seeds");

    private static string Percent(double share) => double.IsNaN(share) ? "n/a" : Invariant($"{100 * share:0.0} %");

    private SweepChoice Choice(string name, Func<SweepRun, string> level) =>
        new(name, [.. Result.Runs.GroupBy(level).Select(runs => new SweepLevel(runs.Key, [.. runs]))]);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
