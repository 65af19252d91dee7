using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace HiddenSpace.Tests.Export;

/// <summary>An exporter's SVG parsed with System.Xml.Linq, with the elements the tests look at.</summary>
internal sealed class ParsedSvg
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public ParsedSvg(string text)
    {
        Document = XDocument.Parse(text);
        Assert.Equal(Svg + "svg", Document.Root!.Name);
    }

    public XDocument Document { get; }

    public IEnumerable<XElement> Elements(string name) => Document.Descendants(Svg + name);

    public IEnumerable<XElement> WithClass(string name, string cssClass) =>
        Elements(name).Where(e => (string?)e.Attribute("class") == cssClass);

    public IReadOnlyList<XElement> Points => WithClass("circle", "point").ToList();

    public IReadOnlyList<XElement> DecisionLines => WithClass("line", "decision-line").ToList();

    public IReadOnlyList<string> Texts(string cssClass) => WithClass("text", cssClass).Select(e => e.Value).ToList();

    /// <summary>The plot rectangle as drawn: left, top, right, bottom in pixels.</summary>
    public (double Left, double Top, double Right, double Bottom) PlotArea
    {
        get
        {
            XElement rect = Assert.Single(WithClass("rect", "plot-area"));
            double x = Number(rect, "x"), y = Number(rect, "y");
            return (x, y, x + Number(rect, "width"), y + Number(rect, "height"));
        }
    }

    public static double Number(XElement element, string attribute) =>
        double.Parse((string?)element.Attribute(attribute) ?? throw new InvalidOperationException($"<{element.Name.LocalName}> has no {attribute}."),
            NumberStyles.Float, CultureInfo.InvariantCulture);
}
