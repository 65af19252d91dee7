using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace HiddenSpace.Tests.Export;

public class ScatterSvgTests
{
    private static LabelledPoints SamplePoints(int count = 40, int classes = 3, bool withSplit = true)
    {
        var random = new SeededRandom(11);
        var xs = new float[count];
        var ys = new float[count];
        var labels = new int[count];
        var isTest = new bool[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % classes;
            xs[i] = (float)(labels[i] * 2 + random.NextGaussian() * 0.4);
            ys[i] = (float)(-labels[i] + random.NextGaussian() * 0.3);
            isTest[i] = i % 4 == 0;
        }
        string[] names = Enumerable.Range(0, classes).Select(c => "class " + c).ToArray();
        return new LabelledPoints(xs, ys, labels, names, withSplit ? isTest : null);
    }

    private static ScatterSpec Spec(LabelledPoints points, DecisionLine? line = null, PlotBounds? bounds = null) =>
        new("Bottleneck", "Bottleneck_0", "Bottleneck_1", points, line, bounds);

    [Fact]
    public void EachPointIsOneCircleAtItsMappedPositionInItsClassColour()
    {
        LabelledPoints points = SamplePoints();
        ScatterSpec spec = Spec(points);
        PlotFrame frame = ScatterSvg.FrameFor(spec);

        var svg = new ParsedSvg(ScatterSvg.Render(spec));

        Assert.Equal(points.Count, svg.Points.Count);
        Assert.Equal(points.Count, svg.Elements("circle").Count(c => ((string?)c.Attribute("class"))?.Split(' ').Contains("point") == true));
        for (int i = 0; i < points.Count; i++)
        {
            XElement circle = svg.Points[i];
            Assert.Equal(points.Xs[i], frame.ToDataX(ParsedSvg.Number(circle, "cx")), 0.01 * frame.Bounds.SpanX / frame.Width);
            Assert.Equal(points.Ys[i], frame.ToDataY(ParsedSvg.Number(circle, "cy")), 0.01 * frame.Bounds.SpanY / frame.Height);
            string color = ClassPalette.Color(points.Classes[i]);
            if (points.IsTest![i])
            {
                Assert.Equal("test", (string?)circle.Attribute("data-split"));
                Assert.Equal(color, (string?)circle.Attribute("stroke"));
            }
            else
            {
                Assert.Null(circle.Attribute("data-split"));
                Assert.Equal(color, (string?)circle.Attribute("fill"));
            }
        }
    }

    [Fact]
    public void DataRangeIsPaddedByFivePercentAndFillsThePlotRectangle()
    {
        var points = new LabelledPoints([0f, 10f, 4f], [-2f, 2f, 0f], [0, 1, 0], ["a", "b"]);
        ScatterSpec spec = Spec(points);

        PlotFrame frame = ScatterSvg.FrameFor(spec);
        var svg = new ParsedSvg(ScatterSvg.Render(spec));

        Assert.Equal(-0.5, frame.Bounds.MinX, 1e-9);
        Assert.Equal(10.5, frame.Bounds.MaxX, 1e-9);
        Assert.Equal(-2.2, frame.Bounds.MinY, 1e-9);
        Assert.Equal(2.2, frame.Bounds.MaxY, 1e-9);
        Assert.Equal((frame.Left, frame.Top, frame.Right, frame.Bottom), svg.PlotArea);
    }

    [Theory]
    [InlineData(1.0, 2.0, -0.3)]
    [InlineData(-3.0, 0.5, 2.0)]
    [InlineData(1.0, 0.0, -2.5)] // vertical
    [InlineData(0.0, 1.0, 0.4)] // horizontal
    [InlineData(1e-6, 1.0, 0.0)] // nearly horizontal: the x-edge intersections are far outside
    public void DecisionLineEndsOnThePlotBorderAndSatisfiesItsEquation(double w0, double w1, double b)
    {
        var line = new DecisionLine(w0, w1, b);
        ScatterSpec spec = Spec(SamplePoints(), line);
        PlotFrame frame = ScatterSvg.FrameFor(spec);

        var svg = new ParsedSvg(ScatterSvg.Render(spec));

        XElement drawn = Assert.Single(svg.DecisionLines);
        (double left, double top, double right, double bottom) = svg.PlotArea;
        var ends = new[] { (ParsedSvg.Number(drawn, "x1"), ParsedSvg.Number(drawn, "y1")), (ParsedSvg.Number(drawn, "x2"), ParsedSvg.Number(drawn, "y2")) };
        const double pixelTolerance = 0.011; // coordinates are written with two decimals
        foreach ((double px, double py) in ends)
        {
            Assert.InRange(px, left - pixelTolerance, right + pixelTolerance);
            Assert.InRange(py, top - pixelTolerance, bottom + pixelTolerance);
            double toBorder = new[] { Math.Abs(px - left), Math.Abs(px - right), Math.Abs(py - top), Math.Abs(py - bottom) }.Min();
            Assert.True(toBorder <= pixelTolerance, $"End ({px}, {py}) is {toBorder} px from the border.");

            double x = frame.ToDataX(px), y = frame.ToDataY(py);
            double pixelsPerDataUnit = Math.Min(frame.Width / frame.Bounds.SpanX, frame.Height / frame.Bounds.SpanY);
            double distanceInPixels = Math.Abs(w0 * x + w1 * y + b) / Math.Sqrt(w0 * w0 + w1 * w1) * pixelsPerDataUnit;
            Assert.True(distanceInPixels <= 2 * pixelTolerance, $"End ({x}, {y}) is {distanceInPixels} px off the line.");
        }
        double length = Math.Sqrt(Math.Pow(ends[1].Item1 - ends[0].Item1, 2) + Math.Pow(ends[1].Item2 - ends[0].Item2, 2));
        Assert.True(length > 10, $"The segment is only {length} px long.");
        Assert.Contains("decision line", svg.Texts("legend-label"));
    }

    [Fact]
    public void DecisionLineOutsideTheDataRangeIsNotDrawn()
    {
        var spec = Spec(SamplePoints(), new DecisionLine(1, 1, -1000));

        var svg = new ParsedSvg(ScatterSvg.Render(spec));

        Assert.Empty(svg.DecisionLines);
        Assert.DoesNotContain("decision line", svg.Texts("legend-label"));
    }

    [Fact]
    public void LabelsAreEscapedAndNeverBecomeMarkup()
    {
        const string hostile = "<script>alert('x')</script>";
        var points = new LabelledPoints([0f, 1f], [0f, 1f], [0, 1], [hostile, "a & b \"quoted\""]);
        var spec = new ScatterSpec(hostile, "x <b>bold</b>", "tab\tand\u0001control", points);

        string text = ScatterSvg.Render(spec);
        var svg = new ParsedSvg(text);

        Assert.DoesNotContain(svg.Document.Descendants(), e => e.Name.LocalName is "script" or "b");
        Assert.Contains("&lt;script&gt;", text, StringComparison.Ordinal);
        Assert.Equal(hostile, Assert.Single(svg.Texts("title")));
        Assert.Equal([hostile, "a & b \"quoted\""], svg.Texts("legend-label"));
        Assert.Equal("x <b>bold</b>", Assert.Single(svg.Texts("x-label")));
        Assert.Equal("tab\tand\uFFFDcontrol", Assert.Single(svg.Texts("y-label")));
    }

    [Fact]
    public void AllPointsEqualGiveAFiniteCentredPlot()
    {
        var points = new LabelledPoints([3f, 3f, 3f], [0f, 0f, 0f], [0, 1, 0], ["a", "b"]);
        ScatterSpec spec = Spec(points);
        PlotFrame frame = ScatterSvg.FrameFor(spec);

        string text = ScatterSvg.Render(spec);
        var svg = new ParsedSvg(text);

        Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", text, StringComparison.Ordinal);
        Assert.All(svg.Points, circle =>
        {
            Assert.Equal(frame.Left + frame.Width / 2, ParsedSvg.Number(circle, "cx"), 0.01);
            Assert.Equal(frame.Top + frame.Height / 2, ParsedSvg.Number(circle, "cy"), 0.01);
        });
        Assert.InRange(svg.Texts("x-tick").Count, 3, 7);
        Assert.InRange(svg.Texts("y-tick").Count, 3, 7);
    }

    [Fact]
    public void EmptyPlotStillRendersAxesAndLegend()
    {
        var svg = new ParsedSvg(ScatterSvg.Render(Spec(new LabelledPoints([], [], [], ["only"]))));

        Assert.Empty(svg.Points);
        Assert.Equal(["only"], svg.Texts("legend-label"));
    }

    [Fact]
    public void TicksAreAboutFiveNiceStepsInsideTheRangeAtTheirLabelledPositions()
    {
        var random = new SeededRandom(5);
        for (int trial = 0; trial < 200; trial++)
        {
            double span = Math.Pow(10, random.NextDouble() * 8 - 4);
            double min = (random.NextDouble() - 0.5) * 20 * span;
            var bounds = new PlotBounds(min, min + span, -1, 1);
            ScatterSpec spec = Spec(new LabelledPoints([], [], [], ["a"]), bounds: bounds);
            PlotFrame frame = ScatterSvg.FrameFor(spec);
            var svg = new ParsedSvg(ScatterSvg.Render(spec));

            XElement[] ticks = svg.WithClass("text", "x-tick").ToArray();
            Assert.InRange(ticks.Length, 3, 7);
            double[] values = ticks.Select(t => double.Parse(t.Value, CultureInfo.InvariantCulture)).ToArray();
            double step = values[1] - values[0];
            double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-9));
            Assert.Contains(Math.Round(mantissa, 6), new[] { 1.0, 2.0, 5.0 });
            for (int i = 0; i < values.Length; i++)
            {
                Assert.Equal(values[0] + i * step, values[i], step * 1e-6);
                Assert.InRange(values[i], bounds.MinX - step * 1e-6, bounds.MaxX + step * 1e-6);
                Assert.Equal(values[i], frame.ToDataX(ParsedSvg.Number(ticks[i], "x")), 0.01 * span / frame.Width);
            }
        }
    }

    [Fact]
    public void SameSpecRendersAndWritesByteIdenticalFiles()
    {
        using var directory = new TempDirectory("scatter");
        ScatterSpec spec = Spec(SamplePoints(), new DecisionLine(0.7, -1.3, 0.2));
        ScatterSvg.Write(directory.Combine("a.svg"), spec);
        ScatterSvg.Write(directory.Combine("b.svg"), Spec(SamplePoints(), new DecisionLine(0.7, -1.3, 0.2)));

        Assert.Equal(File.ReadAllBytes(directory.Combine("a.svg")), File.ReadAllBytes(directory.Combine("b.svg")));
        Assert.Equal(ScatterSvg.Render(spec), File.ReadAllText(directory.Combine("a.svg")));
    }

    [Fact]
    public void InconsistentPointsAreRejectedNamingTheSpec()
    {
        Assert.Equal("spec", Assert.Throws<ArgumentException>(() =>
            ScatterSvg.Render(Spec(new LabelledPoints([0f, 1f], [0f], [0, 0], ["a"])))).ParamName);
        Assert.Equal("spec", Assert.Throws<ArgumentException>(() =>
            ScatterSvg.Render(Spec(new LabelledPoints([0f], [0f], [2], ["a", "b"])))).ParamName);
        Assert.Equal("spec", Assert.Throws<ArgumentException>(() =>
            ScatterSvg.Render(Spec(new LabelledPoints([float.NaN], [0f], [0], ["a"])))).ParamName);
        string[] elevenClasses = Enumerable.Range(0, 11).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal("spec", Assert.Throws<ArgumentException>(() =>
            ScatterSvg.Render(Spec(new LabelledPoints([0f], [0f], [0], elevenClasses)))).ParamName);
    }
}
