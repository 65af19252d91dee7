using System;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace HiddenSpace.Tests.Export;

public class DecisionRegionSvgTests
{
    private static readonly PlotBounds Bounds = new(-1, 1, -2, 2);

    private static readonly LabelledPoints Points = new(
        [-0.5f, 0.5f, 0.9f, -0.9f], [1f, -1f, 0f, 1.5f], [0, 1, 1, 0], ["left", "right"], [false, false, true, false]);

    private static XElement[] RegionRows(ParsedSvg svg) =>
        svg.WithClass("g", "regions").Single().Elements().ToArray();

    [Fact]
    public void ClassifierIsCalledOncePerCellCentreAndRunsMergeIntoOneRectanglePerClass()
    {
        var calls = new System.Collections.Generic.List<(float X, float Y)>();
        var spec = new DecisionRegionSpec("Regions", "x", "y", Points, Bounds, (x, y) =>
        {
            calls.Add((x, y));
            return x > 0.2f ? 1 : 0;
        }, Columns: 30, Rows: 20);
        var frame = new PlotFrame(Bounds);

        var svg = new ParsedSvg(DecisionRegionSvg.Render(spec));

        Assert.Equal(30 * 20, calls.Count);
        Assert.Equal(30 * 20, calls.Distinct().Count());
        Assert.Equal(-1 + 1.0 / 30, calls[0].X, 1e-6);
        Assert.Equal(2 - 2.0 / 20, calls[0].Y, 1e-6);
        XElement[] rects = RegionRows(svg);
        Assert.Equal(2 * 20, rects.Length);
        for (int row = 0; row < 20; row++)
        {
            XElement left = rects[2 * row], right = rects[2 * row + 1];
            Assert.Equal(ClassPalette.Tint(0), (string?)left.Attribute("fill"));
            Assert.Equal(ClassPalette.Tint(1), (string?)right.Attribute("fill"));
            Assert.Equal(frame.Left, ParsedSvg.Number(left, "x"), 0.005);
            double split = ParsedSvg.Number(left, "x") + ParsedSvg.Number(left, "width");
            Assert.Equal(split, ParsedSvg.Number(right, "x"), 0.005);
            Assert.Equal(frame.Right, ParsedSvg.Number(right, "x") + ParsedSvg.Number(right, "width"), 0.005);
            // Column 18 is the first whose centre lies right of x = 0.2.
            Assert.Equal(frame.ToPixelX(-1 + 18 * 2.0 / 30), split, 0.01);
            Assert.Equal(frame.Top + row * frame.Height / 20, ParsedSvg.Number(left, "y"), 0.01);
        }
        Assert.Equal(Points.Count, svg.Points.Count);
    }

    [Fact]
    public void DefaultGridOfACurvedBoundaryStaysSmall()
    {
        int calls = 0;
        var spec = new DecisionRegionSpec("Circle", "x", "y", Points, Bounds, (x, y) =>
        {
            calls++;
            return x * x + y * y / 4 < 0.5f ? 1 : 0;
        });

        string text = DecisionRegionSvg.Render(spec);
        var svg = new ParsedSvg(text);

        Assert.Equal(120 * 120, calls);
        XElement[] rects = RegionRows(svg);
        // A row crossing the circle has three runs, the others one.
        Assert.InRange(rects.Length, 120, 3 * 120);
        Assert.Contains(rects, r => (string?)r.Attribute("fill") == ClassPalette.Tint(1));
        Assert.InRange(text.Length, 1, 60_000);
    }

    [Fact]
    public void ClassOutsideTheNamesIsRejected()
    {
        var spec = new DecisionRegionSpec("t", "x", "y", Points, Bounds, (_, _) => 2, Columns: 4, Rows: 4);

        Assert.Equal("spec", Assert.Throws<ArgumentException>(() => DecisionRegionSvg.Render(spec)).ParamName);
    }

    [Fact]
    public void SameSpecRendersIdentically()
    {
        Func<float, float, int> classify = (x, y) => y > x * x ? 1 : 0;
        string first = DecisionRegionSvg.Render(new DecisionRegionSpec("t", "x", "y", Points, Bounds, classify, 40, 30));
        string second = DecisionRegionSvg.Render(new DecisionRegionSpec("t", "x", "y", Points, Bounds, classify, 40, 30));

        Assert.Equal(first, second);
    }
}
