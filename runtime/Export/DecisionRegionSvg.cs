using System;
using System.Globalization;

namespace HiddenSpace;

/// <summary>What <see cref="DecisionRegionSvg"/> draws.</summary>
/// <param name="Title">Heading above the plot.</param>
/// <param name="XLabel">Name of the horizontal axis (the first input feature).</param>
/// <param name="YLabel">Name of the vertical axis (the second input feature).</param>
/// <param name="Points">The samples, their classes and the class names.</param>
/// <param name="Bounds">The part of the input plane shown and shaded.</param>
/// <param name="Classify">The predicted class at (x, y); called once per grid cell centre, row by row from the top.</param>
/// <param name="Columns">Grid cells across.</param>
/// <param name="Rows">Grid cells down.</param>
/// <param name="Note">A line of small print in the bottom left corner (e.g. that the points are a sample), or null.</param>
public sealed record DecisionRegionSpec(
    string Title, string XLabel, string YLabel, LabelledPoints Points, PlotBounds Bounds,
    Func<float, float, int> Classify, int Columns = 120, int Rows = 120, string? Note = null);

/// <summary>
/// A standalone SVG of the input plane shaded by the network's predicted class, with the samples on top:
/// it shows the curved boundary the hidden layers build, the counterpart of the straight line in the
/// bottleneck <see cref="ScatterSvg"/>.
/// </summary>
public static class DecisionRegionSvg
{
    /// <summary>Most grid cells along one side.</summary>
    public const int MaxResolution = 1000;

    /// <summary>
    /// The SVG document. Each grid row becomes one light-tinted <c>rect</c> per run of equal predicted
    /// class, so a smooth boundary costs a few rectangles per row rather than one per cell. One
    /// <c>circle class="point"</c> per sample is drawn on top. The same spec and classifier always give the same text.
    /// </summary>
    /// <exception cref="ArgumentException">The spec is inconsistent, or the classifier returns a class outside the class names.</exception>
    public static string Render(DecisionRegionSpec spec)
    {
        Check(spec);
        return PlotCanvas.ToText(text => Draw(text, spec));
    }

    /// <summary>Writes what <see cref="Render"/> gives to <paramref name="path"/> through <see cref="AtomicFile"/>, streamed.</summary>
    /// <exception cref="ArgumentException">The spec is inconsistent, or the path is invalid.</exception>
    /// <exception cref="System.IO.IOException">The file cannot be written; the message names the path.</exception>
    public static void Write(string path, DecisionRegionSpec spec)
    {
        Check(spec);
        PlotCanvas.WriteFile(path, text => Draw(text, spec));
    }

    private static void Check(DecisionRegionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Points is null || spec.Bounds is null || spec.Classify is null)
            throw new ArgumentException("Points, Bounds and Classify must not be null.", nameof(spec));
        spec.Points.Validate(nameof(spec));
        PlotCanvas.CheckTexts(nameof(spec), spec.Title, spec.XLabel, spec.YLabel);
        if (spec.Columns is < 1 or > MaxResolution || spec.Rows is < 1 or > MaxResolution)
            throw new ArgumentException($"A {spec.Columns} × {spec.Rows} grid; each side needs 1..{MaxResolution} cells.", nameof(spec));
    }

    private static void Draw(System.IO.TextWriter text, DecisionRegionSpec spec)
    {
        var canvas = new PlotCanvas(text, new PlotFrame(spec.Bounds), spec.Title, spec.Note);
        DrawRegions(canvas, spec);
        canvas.DrawPoints(spec.Points);
        canvas.DrawAxes(spec.XLabel, spec.YLabel);
        canvas.DrawLegend(spec.Points, hasLine: false);
        canvas.Finish();
    }

    private static void DrawRegions(PlotCanvas canvas, DecisionRegionSpec spec)
    {
        PlotFrame frame = canvas.Frame;
        PlotBounds bounds = spec.Bounds;
        int columns = spec.Columns, rows = spec.Rows, classCount = spec.Points.ClassNames.Count;
        var rowClasses = new int[columns];
        // crispEdges stops anti-aliasing seams between neighbouring rectangles.
        canvas.Svg.Start("g", ("class", "regions"), ("shape-rendering", "crispEdges"));
        for (int row = 0; row < rows; row++)
        {
            float y = (float)(bounds.MaxY - (row + 0.5) * bounds.SpanY / rows);
            for (int column = 0; column < columns; column++)
            {
                float x = (float)(bounds.MinX + (column + 0.5) * bounds.SpanX / columns);
                int predicted = spec.Classify(x, y);
                if ((uint)predicted >= (uint)classCount)
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"Classify returned class {predicted} at ({x}, {y}); classes are 0..{classCount - 1}."), nameof(spec));
                rowClasses[column] = predicted;
            }
            // Edges are rounded once and shared by neighbours, so rectangles tile without gaps or overlaps.
            double top = Round(frame.Top + row * frame.Height / rows), bottom = Round(frame.Top + (row + 1) * frame.Height / rows);
            for (int start = 0, end; start < columns; start = end)
            {
                end = start + 1;
                while (end < columns && rowClasses[end] == rowClasses[start]) end++;
                double left = Round(frame.Left + start * frame.Width / columns), right = Round(frame.Left + end * frame.Width / columns);
                canvas.Svg.Empty("rect",
                    ("x", SvgWriter.Number(left)), ("y", SvgWriter.Number(top)),
                    ("width", SvgWriter.Number(right - left)), ("height", SvgWriter.Number(bottom - top)),
                    ("fill", ClassPalette.Tint(rowClasses[start])));
            }
        }
        canvas.Svg.End();
    }

    private static double Round(double pixel) => Math.Round(pixel, 2, MidpointRounding.AwayFromZero);
}
