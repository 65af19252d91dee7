using System;
using System.Linq;
using Xunit;

namespace HiddenSpace.Tests.Export;

public class DecisionLineTests
{
    private static readonly PlotBounds Square = new(-1, 1, -1, 1);

    [Fact]
    public void DiagonalThroughTwoCornersEndsInThoseCorners()
    {
        var segment = new DecisionLine(1, -1, 0).ClipTo(Square);

        Assert.NotNull(segment);
        var ends = new[] { (segment.Value.X0, segment.Value.Y0), (segment.Value.X1, segment.Value.Y1) }.OrderBy(e => e.Item1).ToArray();
        Assert.Equal([(-1.0, -1.0), (1.0, 1.0)], ends);
    }

    [Theory]
    [InlineData(1, 1, -2)] // touches the corner (1, 1) only
    [InlineData(1, 1, -5)] // misses
    [InlineData(1, 0, 1.5)] // vertical, left of the square
    public void LineThatMissesOrOnlyTouchesGivesNoSegment(double w0, double w1, double b)
    {
        Assert.Null(new DecisionLine(w0, w1, b).ClipTo(Square));
    }

    [Fact]
    public void VerticalLineSpansTheFullHeight()
    {
        var segment = new DecisionLine(2, 0, -1).ClipTo(new PlotBounds(0, 4, -3, 5));

        Assert.Equal((0.5, -3.0, 0.5, 5.0), segment);
    }

    [Fact]
    public void ZeroOrNonFiniteWeightsAreRejected()
    {
        Assert.Equal("w1", Assert.Throws<ArgumentException>(() => new DecisionLine(0, 0, 1)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => new DecisionLine(1, 0, double.NaN)).ParamName);
    }

    [Fact]
    public void SigmoidOutputLineUsesTheLastLayersWeightsAndBias()
    {
        // 2 -> 3 -> 2 (tap) -> 1: layer 0 holds 3·2 + 3 = 9 values, layer 1 2·3 + 2 = 8, so the output
        // layer's weights are parameters 17 and 18 and its bias is 19.
        var shape = new NetworkShape(2, Loss.BinaryCrossEntropy,
            new LayerShape(3, Activation.Tanh), new LayerShape(2, Activation.Tanh, "Bottleneck"), new LayerShape(1, Activation.Sigmoid));
        float[] parameters = Enumerable.Range(0, shape.ParameterCount).Select(i => (i - 10) * 0.25f).ToArray();

        DecisionLine line = DecisionLine.FromOutputLayer(shape, parameters);

        Assert.Equal((parameters[17], parameters[18], parameters[19]), ((float)line.W0, (float)line.W1, (float)line.B));
        // On the line the sigmoid outputs exactly one half.
        double h0 = 0.3, h1 = -(line.W0 * h0 + line.B) / line.W1;
        Assert.Equal(0.5, 1 / (1 + Math.Exp(-(parameters[17] * h0 + parameters[18] * h1 + parameters[19]))), 12);
    }

    [Fact]
    public void TwoUnitSoftmaxLineIsWhereTheLogitsAreEqual()
    {
        // 2 -> 2 (tap) -> 2 softmax: layer 0 holds 6 values; the output weights are 6..9, biases 10 and 11.
        var shape = new NetworkShape(2, Loss.SoftmaxCrossEntropy,
            new LayerShape(2, Activation.Tanh, "Bottleneck"), new LayerShape(2, Activation.Softmax));
        float[] parameters = [0, 0, 0, 0, 0, 0, 1.5f, -2f, 0.5f, 3f, 0.25f, -0.75f];

        DecisionLine line = DecisionLine.FromOutputLayer(shape, parameters);

        Assert.Equal(0.5 - 1.5, line.W0, 12);
        Assert.Equal(3 - -2.0, line.W1, 12);
        Assert.Equal(-0.75 - 0.25, line.B, 12);
    }

    [Fact]
    public void OutputLayersWithoutABinaryHalfLineAreRejected()
    {
        var threeClasses = new NetworkShape(2, Loss.SoftmaxCrossEntropy,
            new LayerShape(2, Activation.Tanh), new LayerShape(3, Activation.Softmax));
        var threeInputs = new NetworkShape(2, Loss.BinaryCrossEntropy,
            new LayerShape(3, Activation.Tanh), new LayerShape(1, Activation.Sigmoid));

        Assert.Equal("shape", Assert.Throws<ArgumentException>(() =>
            DecisionLine.FromOutputLayer(threeClasses, new float[threeClasses.ParameterCount])).ParamName);
        Assert.Equal("shape", Assert.Throws<ArgumentException>(() =>
            DecisionLine.FromOutputLayer(threeInputs, new float[threeInputs.ParameterCount])).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() =>
            DecisionLine.FromOutputLayer(threeInputs, new float[3])).ParamName);
    }
}
