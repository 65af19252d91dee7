using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace HiddenSpace;

/// <summary>
/// The project's claim, answered in words for one run: how close the raw input and each tapped layer are to
/// linearly separable, e.g. "input: the best line gets 87.3 % of the 300 test points right, separable except 38
/// of 300 (12.7 %); Bottleneck: 99.7 %, separable except 1 of 300 (0.3 %)."
/// </summary>
/// <remarks>
/// <para>
/// Two classes: the share of points the best single line (hyperplane) puts on their own side, and the verdict
/// with the count it leaves behind (<see cref="SeparabilityEntry.FewestWrong"/>). Above two dimensions the count
/// may be the best a search found: the wording then says "at most" (errors) and "at least" (share).
/// </para>
/// <para>
/// More classes: the output layer is the argmax of K affine functions, whose perfect accuracy needs every pair of
/// classes to be separable and is guaranteed when every class is separable from the rest. The sentence gives the
/// linear probe's accuracy and says which of the two holds, or how many pairs are separable and how close the
/// worst pair comes. A representation already separable at the input is called so in plain words, with the
/// reason when the rows are few for the dimension (Cover: at most 2(d + 1) points in d dimensions).
/// </para>
/// </remarks>
public static class HiddenSpaceClaim
{
    /// <summary>One sentence over every representation, in order, about <paramref name="split"/> ("test" or "train").</summary>
    /// <exception cref="ArgumentException"><paramref name="split"/> is neither "test" nor "train".</exception>
    public static string Sentence(IReadOnlyList<LayerFigures> layers, string split = "test")
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (split is not ("test" or "train"))
            throw new ArgumentException($"The split is \"test\" or \"train\", not \"{split}\".", nameof(split));
        var phrases = new List<string>();
        for (int i = 0; i < layers.Count; i++) phrases.Add(Phrase(layers[i], split, first: i == 0));
        return string.Join("; ", phrases) + ".";
    }

    /// <summary>
    /// A short verdict for a table cell: "separable", "separable except 1 of 300 (0.3 %)", "separable except at most
    /// 4 of 54 (7.4 %)", or for several classes which of one-vs-rest and pairwise separability holds, e.g.
    /// "9 of 10 class pairs separable, the worst (class 0 vs class 4) except 1 of 120 (0.8 %)" (the classes' names
    /// where the data has them: "the worst (versicolor vs virginica)").
    /// </summary>
    public static string Verdict(SeparabilityReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Separable is null) return "n/a";
        if (report.ClassCount == 2 || report.Separable == true)
        {
            if (report.Separable == true) return report.ClassCount == 2 ? "separable" : "separable (each class from the rest)";
            return Except(report.Pairs[0]);
        }
        int pairs = report.Pairs.Count(e => e.Separable is not null), separablePairs = report.Pairs.Count(e => e.Separable == true);
        if (separablePairs == pairs) return "every pair of classes separable, not each class from the rest";
        SeparabilityEntry worst = Worst(report)!;
        int wrong = worst.FewestWrong ?? 0;
        return Invariant($"{separablePairs} of {pairs} class pairs separable, the worst ({report.ClassName(worst.Class)} vs {report.ClassName(worst.OtherClass!.Value)}) except {(worst.FewestWrongIsExact ? "" : "at most ")}{wrong} of {worst.Rows} ({Share(wrong, worst.Rows)})");
    }

    /// <summary>One entry's verdict: "separable", "separable except 1 of 300 (0.3 %)" or "n/a" when a side has no rows.</summary>
    public static string Verdict(SeparabilityEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Separable switch { null => "n/a", true => "separable", false when entry.FewestWrong is null => "not separable", false => Except(entry) };
    }

    private static string Phrase(LayerFigures layer, string split, bool first)
    {
        SeparabilityReport? report = split == "test" ? layer.Separability : layer.TrainSeparability;
        if (report is null)
            return layer.RSquared is double r2 ? Invariant($"{layer.Name}: a linear fit explains R² {r2:0.000} of the test targets") : $"{layer.Name}: n/a";
        if (report.Separable is null) return $"{layer.Name}: n/a";
        if (report.Separable == true && layer.Name == "input")
            return $"input: already separable by a {(report.Dimension <= 2 ? "line" : "hyperplane")}{Capacity(report)}";
        if (report.ClassCount == 2)
        {
            SeparabilityEntry pair = report.Pairs[0];
            string share = (pair.FewestWrongIsExact ? "" : "at least ") + Percent(pair.BestLineAccuracy!.Value, pair.FewestWrong > 0);
            string verdict = report.Separable == true ? "separable" : Except(pair);
            return first
                ? Invariant($"{layer.Name}: the best {(report.Dimension <= 2 ? "line" : "hyperplane")} gets {share} of the {pair.Rows} {split} points right, {verdict}")
                : $"{layer.Name}: {share}, {verdict}";
        }
        string probe = layer.ProbeAccuracy is double accuracy && split == "test" ? $"the linear probe gets {Percent(accuracy, accuracy < 1)} right, " : "";
        return $"{layer.Name}: {probe}{Verdict(report)}";
    }

    /// <summary>"separable except 1 of 300 (0.3 %)", with "at most" when the count is the best found.</summary>
    private static string Except(SeparabilityEntry entry)
    {
        int wrong = entry.FewestWrong ?? 0;
        return Invariant($"separable except {(entry.FewestWrongIsExact ? "" : "at most ")}{wrong} of {entry.Rows} ({Share(wrong, entry.Rows)})");
    }

    /// <summary>"0.3 %"; "&lt; 0.1 %" rather than "0.0 %" for a share that is not zero.</summary>
    private static string Share(int wrong, int rows)
    {
        double share = (double)wrong / rows;
        return share < 0.0005 ? "< 0.1 %" : Invariant($"{100 * share:0.0} %");
    }

    /// <summary>
    /// The non-separable pair with the largest share of points left on the wrong side (the first on ties), of those with a
    /// count (<see cref="FewestWrongCounts.WorstPair"/> counts no other); null when every pair is separable.
    /// </summary>
    internal static SeparabilityEntry? Worst(SeparabilityReport report)
    {
        SeparabilityEntry? worst = null;
        foreach (SeparabilityEntry entry in report.Pairs)
            if (entry.Separable == false && entry.FewestWrong is int wrong
                && (worst is null || (double)wrong / entry.Rows > (double)worst.FewestWrong!.Value / worst.Rows))
                worst = entry;
        return worst;
    }

    /// <summary>Why a separable input is no surprise when it has few rows for its dimension.</summary>
    private static string Capacity(SeparabilityReport report)
    {
        int d = report.Dimension, capacity = 2 * (d + 1);
        return report.Count <= capacity
            ? Invariant($" ({report.Count} points in {d} dimensions: with at most 2(d + 1) = {capacity} points, most labellings are)")
            : Invariant($" in its {d} dimension{(d == 1 ? "" : "s")}: the hidden layers had nothing to untangle");
    }

    /// <summary>A share as "99.7 %", never rounded up to "100.0 %" when something was wrong.</summary>
    private static string Percent(double share, bool somethingWrong)
    {
        string text = Invariant($"{100 * share:0.0} %");
        return somethingWrong && text == "100.0 %" ? "> 99.9 %" : text;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
