using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace HiddenSpace;

/// <summary>
/// The parts both plot exporters share, drawn through one <see cref="PlotFrame"/>: canvas, title, axes,
/// points, decision line and legend. Callers draw back to front.
/// </summary>
internal sealed class PlotCanvas
{
    private const string ClipId = "plot-clip";
    private const double PointRadius = 3.5;
    private const string InkColor = "#333333";

    private readonly SvgWriter _svg;

    /// <summary>
    /// Starts the document on <paramref name="text"/> with a white background, the title, the note (when there is
    /// one) in the bottom left corner and the clip path of the plot rectangle.
    /// </summary>
    public PlotCanvas(TextWriter text, PlotFrame frame, string title, string? note)
    {
        Frame = frame;
        _svg = new SvgWriter(text, PlotFrame.CanvasWidth, PlotFrame.CanvasHeight);
        _svg.Empty("rect", ("width", "100%"), ("height", "100%"), ("fill", "#FFFFFF"));
        _svg.Text("text", title, ("class", "title"), ("x", N(PlotFrame.CanvasWidth / 2)), ("y", "28"),
            ("text-anchor", "middle"), ("font-size", "16"), ("font-weight", "bold"));
        if (note is not null)
            _svg.Text("text", note, ("class", "note"), ("x", "8"), ("y", N(PlotFrame.CanvasHeight - 8)), ("font-size", "11"), ("fill", "#666666"));
        _svg.Start("defs");
        _svg.Start("clipPath", ("id", ClipId));
        _svg.Empty("rect", PlotRectangle());
        _svg.End();
        _svg.End();
    }

    /// <summary>The mapping every element is drawn through.</summary>
    public PlotFrame Frame { get; }

    /// <summary>The writer, for plot-specific layers such as shaded regions.</summary>
    public SvgWriter Svg => _svg;

    /// <summary>The x, y, width and height attributes of the plot rectangle.</summary>
    public (string, string)[] PlotRectangle() =>
        [("x", N(Frame.Left)), ("y", N(Frame.Top)), ("width", N(Frame.Width)), ("height", N(Frame.Height))];

    /// <summary>The dashed line <paramref name="line"/>, clipped to the plot rectangle; nothing when it misses it.</summary>
    public void DrawLine(DecisionLine line)
    {
        if (line.ClipTo(Frame.Bounds) is not var (x0, y0, x1, y1)) return;
        _svg.Empty("line", ("class", "decision-line"),
            ("x1", N(Frame.ToPixelX(x0))), ("y1", N(Frame.ToPixelY(y0))),
            ("x2", N(Frame.ToPixelX(x1))), ("y2", N(Frame.ToPixelY(y1))),
            ("stroke", InkColor), ("stroke-width", "1.5"), ("stroke-dasharray", "6 4"));
    }

    /// <summary>Each class's region as a light-tinted <c>polygon class="region"</c>, clipped to the plot rectangle.</summary>
    public void DrawRegions(IReadOnlyList<double[]> regions)
    {
        _svg.Start("g", ("class", "regions"), ("clip-path", $"url(#{ClipId})"));
        for (int k = 0; k < regions.Count; k++)
        {
            double[] vertices = regions[k];
            if (vertices.Length < 6) continue;
            var points = new System.Text.StringBuilder();
            for (int v = 0; v < vertices.Length; v += 2)
                points.Append(v == 0 ? "" : " ").Append(N(Frame.ToPixelX(vertices[v]))).Append(',').Append(N(Frame.ToPixelY(vertices[v + 1])));
            _svg.Empty("polygon", ("class", "region"), ("data-class", k.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("points", points.ToString()), ("fill", ClassPalette.Tint(k)));
        }
        _svg.End();
    }

    /// <summary>One <c>circle class="point"</c> per point, in input order: filled for training points, hollow for test points.</summary>
    public void DrawPoints(LabelledPoints points)
    {
        _svg.Start("g", ("class", "points"), ("clip-path", $"url(#{ClipId})"));
        for (int i = 0; i < points.Count; i++)
        {
            string color = ClassPalette.Color(points.Classes[i]);
            string cx = N(Frame.ToPixelX(points.Xs[i])), cy = N(Frame.ToPixelY(points.Ys[i]));
            if (points.IsTest?[i] == true)
                _svg.Empty("circle", ("class", "point"), ("data-split", "test"), ("cx", cx), ("cy", cy), ("r", N(PointRadius)),
                    ("fill", "#FFFFFF"), ("stroke", color), ("stroke-width", "1.5"));
            else
                _svg.Empty("circle", ("class", "point"), ("cx", cx), ("cy", cy), ("r", N(PointRadius)),
                    ("fill", color), ("stroke", "#FFFFFF"), ("stroke-width", "0.5"));
        }
        _svg.End();
    }

    /// <summary>The plot border, ticks with labels on both axes, and the axis names.</summary>
    public void DrawAxes(string xLabel, string yLabel)
    {
        _svg.Empty("rect", [("class", "plot-area"), .. PlotRectangle(), ("fill", "none"), ("stroke", InkColor)]);
        _svg.Start("g", ("class", "axes"), ("fill", InkColor));
        foreach ((double value, string label) in AxisTicks.For(Frame.Bounds.MinX, Frame.Bounds.MaxX))
        {
            string x = N(Frame.ToPixelX(value));
            _svg.Empty("line", ("x1", x), ("y1", N(Frame.Bottom)), ("x2", x), ("y2", N(Frame.Bottom + 5)), ("stroke", InkColor));
            _svg.Text("text", label, ("class", "x-tick"), ("x", x), ("y", N(Frame.Bottom + 18)), ("text-anchor", "middle"));
        }
        foreach ((double value, string label) in AxisTicks.For(Frame.Bounds.MinY, Frame.Bounds.MaxY))
        {
            string y = N(Frame.ToPixelY(value));
            _svg.Empty("line", ("x1", N(Frame.Left - 5)), ("y1", y), ("x2", N(Frame.Left)), ("y2", y), ("stroke", InkColor));
            _svg.Text("text", label, ("class", "y-tick"), ("x", N(Frame.Left - 8)), ("y", N(Frame.ToPixelY(value) + 4)), ("text-anchor", "end"));
        }
        double middleX = Frame.Left + Frame.Width / 2, middleY = Frame.Top + Frame.Height / 2;
        _svg.Text("text", xLabel, ("class", "x-label"), ("x", N(middleX)), ("y", N(Frame.Bottom + 40)),
            ("text-anchor", "middle"), ("font-size", "14"));
        _svg.Text("text", yLabel, ("class", "y-label"), ("x", "20"), ("y", N(middleY)), ("text-anchor", "middle"),
            ("font-size", "14"), ("transform", $"rotate(-90 20 {N(middleY)})"));
        _svg.End();
    }

    /// <summary>
    /// One entry per class, then the split markers when <paramref name="points"/> has a split, then the
    /// decision line when one was drawn.
    /// </summary>
    public void DrawLegend(LabelledPoints points, bool hasLine)
    {
        double x = Frame.Right + 16, y = Frame.Top + 8;
        _svg.Start("g", ("class", "legend"));
        for (int c = 0; c < points.ClassNames.Count; c++, y += 20)
        {
            _svg.Empty("circle", ("class", "legend-marker"), ("cx", N(x + 5)), ("cy", N(y)), ("r", "5"), ("fill", ClassPalette.Color(c)));
            LegendText(points.ClassNames[c], x, y);
        }
        if (points.IsTest is not null)
        {
            y += 8;
            _svg.Empty("circle", ("class", "legend-marker"), ("cx", N(x + 5)), ("cy", N(y)), ("r", "4"), ("fill", InkColor));
            LegendText("train", x, y);
            y += 20;
            _svg.Empty("circle", ("class", "legend-marker"), ("cx", N(x + 5)), ("cy", N(y)), ("r", "4"),
                ("fill", "#FFFFFF"), ("stroke", InkColor), ("stroke-width", "1.5"));
            LegendText("test", x, y);
            y += 20;
        }
        if (hasLine)
        {
            y += 8;
            _svg.Empty("line", ("x1", N(x - 2)), ("y1", N(y)), ("x2", N(x + 12)), ("y2", N(y)),
                ("stroke", InkColor), ("stroke-width", "1.5"), ("stroke-dasharray", "4 2"));
            LegendText("decision line", x, y);
        }
        _svg.End();
    }

    /// <summary>Throws an <see cref="ArgumentException"/> for <paramref name="parameterName"/> when a text is null.</summary>
    public static void CheckTexts(string parameterName, string title, string xLabel, string yLabel)
    {
        if (title is null || xLabel is null || yLabel is null)
            throw new ArgumentException("Title, XLabel and YLabel must not be null; use \"\" for no text.", parameterName);
    }

    /// <summary>Closes the document.</summary>
    public void Finish() => _svg.Finish();

    /// <summary>Streams what <paramref name="draw"/> writes to the file at <paramref name="path"/> through <see cref="AtomicFile"/>, as UTF-8.</summary>
    public static void WriteFile(string path, Action<TextWriter> draw)
    {
        using AtomicFile.Pending file = AtomicFile.Begin(path);
        using (var writer = new StreamWriter(file.Stream, Utf8WithoutBom, bufferSize: 1 << 16, leaveOpen: true))
            draw(writer);
        file.Commit();
    }

    /// <summary>What <paramref name="draw"/> writes, as a string.</summary>
    public static string ToText(Action<TextWriter> draw)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        draw(writer);
        return writer.ToString();
    }

    private static readonly UTF8Encoding Utf8WithoutBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private void LegendText(string text, double x, double y) =>
        _svg.Text("text", text, ("class", "legend-label"), ("x", N(x + 16)), ("y", N(y + 4)));

    private static string N(double value) => SvgWriter.Number(value);
}
