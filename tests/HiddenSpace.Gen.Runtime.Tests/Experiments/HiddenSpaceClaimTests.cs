using System;
using System.Linq;
using Xunit;

namespace HiddenSpace.Tests.Experiments;

/// <summary>The claim's exact wording, from verdicts computed on small hand-made sets.</summary>
public class HiddenSpaceClaimTests
{
    private static LayerFigures Layer(string name, float[] features, int dimension, int[] labels, int classes, double? probe = null)
    {
        SeparabilityReport report = Separability.Analyze(features, dimension, labels, classes);
        return new LayerFigures(name, dimension, probe, null, report, report);
    }

    [Fact]
    public void TwoClassesGiveTheBestLinesShareAndTheCount()
    {
        // XOR corners (one must go) and a separable pair.
        LayerFigures input = Layer("input", [0, 0, 1, 1, 1, 0, 0, 1], 2, [0, 0, 1, 1], 2);
        LayerFigures tap = Layer("Bottleneck", [0, 0, 1, 0, 5, 0, 6, 0], 2, [0, 0, 1, 1], 2);
        Assert.Equal("input: the best line gets 75.0 % of the 4 test points right, separable except 1 of 4 (25.0 %); Bottleneck: 100.0 %, separable.",
            HiddenSpaceClaim.Sentence([tap with { Name = "input", Separability = input.Separability, TrainSeparability = input.TrainSeparability }, tap]));
        Assert.Equal("separable except 1 of 4 (25.0 %)", HiddenSpaceClaim.Verdict(input.Separability!));
        Assert.StartsWith("input: the best line gets 75.0 % of the 4 train points right", HiddenSpaceClaim.Sentence([input], "train"));
        Assert.Equal("split", Assert.Throws<ArgumentException>(() => HiddenSpaceClaim.Sentence([input], "validation")).ParamName);
    }

    [Fact]
    public void AnInputThatIsAlreadySeparableIsCalledSoWithTheReasonWhenRowsAreFew()
    {
        var random = new SeededRandom(3);
        float[] Rows(int rows) => Enumerable.Range(0, rows * 13).Select(_ => (float)random.NextGaussian()).ToArray();
        int[] Labels(int rows) => Enumerable.Range(0, rows).Select(i => i % 2).ToArray();
        // 20 random points in 13 dimensions: any labelling of so few is separable.
        Assert.Equal("input: already separable by a hyperplane (20 points in 13 dimensions: with at most 2(d + 1) = 28 points, most labellings are).",
            HiddenSpaceClaim.Sentence([Layer("input", Rows(20), 13, Labels(20), 2)]));
        // 54 points, separated by their first coordinate.
        float[] wide = Rows(54);
        int[] bySign = Enumerable.Range(0, 54).Select(i => wide[i * 13] > 0 ? 1 : 0).ToArray();
        Assert.Equal("input: already separable by a hyperplane in its 13 dimensions: the hidden layers had nothing to untangle.",
            HiddenSpaceClaim.Sentence([Layer("input", wide, 13, bySign, 2)]));
    }

    [Fact]
    public void SeveralClassesSayWhichKindOfSeparabilityHolds()
    {
        // Three classes on a line: the middle one cannot be cut from the rest by one line, every pair can.
        LayerFigures line = Layer("Bottleneck", [0, 0, 1, 0, 5, 0, 6, 0, 10, 0, 11, 0], 2, [0, 0, 1, 1, 2, 2], 3, probe: 1.0);
        Assert.Equal("every pair of classes separable, not each class from the rest", HiddenSpaceClaim.Verdict(line.Separability!));
        Assert.Equal("Bottleneck: the linear probe gets 100.0 % right, every pair of classes separable, not each class from the rest.",
            HiddenSpaceClaim.Sentence([line]));
        // A class-1 point on the edge of class 0's triangle: pairs (0, 1) and (1, 2) each need that point dropped; (1, 2)
        // leaves it among 5 points, the larger share.
        LayerFigures mixed = Layer("input", [0, 0, 0, 1, 1, 0, 10, 0, 10, 1, 0.5f, 0.5f, 5, 0, 5, 1], 2, [0, 0, 0, 1, 1, 1, 2, 2], 3, probe: 0.875);
        Assert.Equal("1 of 3 class pairs separable, the worst (class 1 vs class 2) except 1 of 5 (20.0 %)", HiddenSpaceClaim.Verdict(mixed.Separability!));
        // Data that names its classes gets the verdict in its names.
        Dataset named = Dataset.ForClassification("named", 2, [0, 0, 0, 1, 1, 0, 10, 0, 10, 1, 0.5f, 0.5f, 5, 0, 5, 1], [0, 0, 0, 1, 1, 1, 2, 2], 3,
            classNames: ["setosa", "versicolor", "virginica"]);
        Assert.Equal("1 of 3 class pairs separable, the worst (versicolor vs virginica) except 1 of 5 (20.0 %)", HiddenSpaceClaim.Verdict(Separability.Analyze(named)));
    }

    [Fact]
    public void RegressionNamesEachRepresentationsFit()
    {
        var input = new LayerFigures("input", 2, null, -0.0012, null, null);
        var tap = new LayerFigures("Bottleneck", 2, null, 0.98412, null, null);
        Assert.Equal("input: a linear fit explains R² -0.001 of the test targets; Bottleneck: a linear fit explains R² 0.984 of the test targets.",
            HiddenSpaceClaim.Sentence([input, tap]));
    }
}
