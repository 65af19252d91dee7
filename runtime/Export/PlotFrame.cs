using System;

namespace HiddenSpace;

/// <summary>
/// Where the plot rectangle sits on the standard <see cref="CanvasWidth"/> × <see cref="CanvasHeight"/>
/// canvas and how data coordinates map to pixels (y grows upwards in data, downwards in SVG).
/// Every exporter draws through this mapping, so tests and callers can invert it.
/// </summary>
public sealed class PlotFrame
{
    /// <summary>Width of the SVG canvas, in pixels.</summary>
    public const double CanvasWidth = 640;

    /// <summary>Height of the SVG canvas, in pixels.</summary>
    public const double CanvasHeight = 520;

    /// <summary>The standard layout: room for the title above, tick and axis labels left and below, the legend right.</summary>
    public PlotFrame(PlotBounds bounds)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        Bounds = bounds;
    }

    /// <summary>The data rectangle shown; it fills the plot rectangle exactly.</summary>
    public PlotBounds Bounds { get; }

    /// <summary>Left edge of the plot rectangle, in pixels.</summary>
    public double Left => 80;

    /// <summary>Top edge of the plot rectangle, in pixels.</summary>
    public double Top => 48;

    /// <summary>Width of the plot rectangle, in pixels.</summary>
    public double Width => 416;

    /// <summary>Height of the plot rectangle, in pixels.</summary>
    public double Height => 408;

    /// <summary>Right edge of the plot rectangle, in pixels.</summary>
    public double Right => Left + Width;

    /// <summary>Bottom edge of the plot rectangle, in pixels.</summary>
    public double Bottom => Top + Height;

    /// <summary>The pixel column of data coordinate <paramref name="x"/>.</summary>
    public double ToPixelX(double x) => Left + (x - Bounds.MinX) / Bounds.SpanX * Width;

    /// <summary>The pixel row of data coordinate <paramref name="y"/>.</summary>
    public double ToPixelY(double y) => Bottom - (y - Bounds.MinY) / Bounds.SpanY * Height;

    /// <summary>The data x coordinate of pixel column <paramref name="pixelX"/>; inverse of <see cref="ToPixelX"/>.</summary>
    public double ToDataX(double pixelX) => Bounds.MinX + (pixelX - Left) / Width * Bounds.SpanX;

    /// <summary>The data y coordinate of pixel row <paramref name="pixelY"/>; inverse of <see cref="ToPixelY"/>.</summary>
    public double ToDataY(double pixelY) => Bounds.MinY + (Bottom - pixelY) / Height * Bounds.SpanY;
}
