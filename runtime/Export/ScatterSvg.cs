using System;
using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>What <see cref="ScatterSvg"/> draws.</summary>
/// <param name="Title">Heading above the plot.</param>
/// <param name="XLabel">Name of the horizontal axis, e.g. "Bottleneck_0".</param>
/// <param name="YLabel">Name of the vertical axis.</param>
/// <param name="Points">The points, their classes and the class names.</param>
/// <param name="Line">A decision line to draw across the plot, or null.</param>
/// <param name="Bounds">The data rectangle shown, or null for <see cref="PlotBounds.Around"/> the points (5% padding).</param>
/// <param name="Regions">Class regions to shade under the points, one flat vertex array per class (<see cref="OutputRegions"/>; empty arrays are skipped), or null.</param>
/// <param name="Note">A line of small print in the bottom left corner (e.g. that the points are a sample), or null.</param>
public sealed record ScatterSpec(string Title, string XLabel, string YLabel, LabelledPoints Points, DecisionLine? Line = null, PlotBounds? Bounds = null,
    IReadOnlyList<double[]>? Regions = null, string? Note = null);

/// <summary>
/// A standalone SVG scatter plot of 2-D points coloured by class, e.g. a network's 2-unit bottleneck
/// activations with the output layer's decision line: if one straight line separates the classes there,
/// the hidden layers have made the data linearly separable.
/// </summary>
public static class ScatterSvg
{
    /// <summary>
    /// The SVG document: title, the class regions (one <c>polygon class="region"</c> each, when given), axes with
    /// ticks, one <c>circle class="point"</c> per point, the decision line (when given and inside the plot) and a
    /// legend. The same spec always gives the same text.
    /// </summary>
    /// <exception cref="ArgumentException">The spec's points are inconsistent (see <see cref="LabelledPoints"/>).</exception>
    public static string Render(ScatterSpec spec)
    {
        PlotFrame frame = Check(spec);
        return PlotCanvas.ToText(text => Draw(text, spec, frame));
    }

    /// <summary>Writes what <see cref="Render"/> gives to <paramref name="path"/> through <see cref="AtomicFile"/>, streamed.</summary>
    /// <exception cref="ArgumentException">The spec's points are inconsistent, or the path is invalid.</exception>
    /// <exception cref="System.IO.IOException">The file cannot be written; the message names the path.</exception>
    public static void Write(string path, ScatterSpec spec)
    {
        PlotFrame frame = Check(spec);
        PlotCanvas.WriteFile(path, text => Draw(text, spec, frame));
    }

    private static PlotFrame Check(ScatterSpec spec)
    {
        PlotFrame frame = FrameFor(spec);
        PlotCanvas.CheckTexts(nameof(spec), spec.Title, spec.XLabel, spec.YLabel);
        return frame;
    }

    private static void Draw(System.IO.TextWriter text, ScatterSpec spec, PlotFrame frame)
    {
        var canvas = new PlotCanvas(text, frame, spec.Title, spec.Note);
        if (spec.Regions is not null) canvas.DrawRegions(spec.Regions);
        if (spec.Line is not null) canvas.DrawLine(spec.Line);
        canvas.DrawPoints(spec.Points);
        canvas.DrawAxes(spec.XLabel, spec.YLabel);
        canvas.DrawLegend(spec.Points, hasLine: spec.Line?.ClipTo(frame.Bounds) is not null);
        canvas.Finish();
    }

    /// <summary>The data-to-pixel mapping <see cref="Render"/> uses for <paramref name="spec"/>.</summary>
    /// <exception cref="ArgumentException">The spec's points are inconsistent (see <see cref="LabelledPoints"/>).</exception>
    public static PlotFrame FrameFor(ScatterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(spec.Points, nameof(spec));
        spec.Points.Validate(nameof(spec));
        return new PlotFrame(spec.Bounds ?? PlotBounds.Around(spec.Points.Xs, spec.Points.Ys));
    }
}
