using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace HiddenSpace;

/// <summary>
/// Builds SVG text element by element, one element per line, indented by nesting depth. Escapes every
/// attribute value and text it is given, so callers can pass user-supplied labels unchanged.
/// </summary>
internal sealed class SvgWriter
{
    private readonly StringBuilder _text = new();
    private readonly Stack<string> _open = new();

    /// <summary>Starts a standalone document whose root <c>svg</c> element has the given size in pixels.</summary>
    public SvgWriter(double width, double height)
    {
        _text.Append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
        Start("svg",
            ("xmlns", "http://www.w3.org/2000/svg"),
            ("width", Number(width)),
            ("height", Number(height)),
            ("viewBox", $"0 0 {Number(width)} {Number(height)}"),
            ("font-family", "Helvetica, Arial, sans-serif"),
            ("font-size", "12"));
    }

    /// <summary>Opens an element; close it with <see cref="End"/>.</summary>
    public void Start(string name, params ReadOnlySpan<(string Name, string Value)> attributes)
    {
        OpenTag(name, attributes);
        _text.Append(">\n");
        _open.Push(name);
    }

    /// <summary>Writes an element without content.</summary>
    public void Empty(string name, params ReadOnlySpan<(string Name, string Value)> attributes)
    {
        OpenTag(name, attributes);
        _text.Append("/>\n");
    }

    /// <summary>Writes an element whose only content is <paramref name="text"/>.</summary>
    public void Text(string name, string text, params ReadOnlySpan<(string Name, string Value)> attributes)
    {
        OpenTag(name, attributes);
        _text.Append('>');
        AppendEscaped(text);
        _text.Append("</").Append(name).Append(">\n");
    }

    /// <summary>Closes the innermost element opened with <see cref="Start"/>.</summary>
    public void End()
    {
        string name = _open.Pop();
        Indent();
        _text.Append("</").Append(name).Append(">\n");
    }

    /// <summary>Closes the root element and returns the document.</summary>
    public string Finish()
    {
        End();
        if (_open.Count != 0)
            throw new InvalidOperationException($"Element <{_open.Peek()}> was never closed.");
        return _text.ToString();
    }

    /// <summary>A pixel coordinate with at most two decimals, invariant culture, never "-0".</summary>
    public static string Number(double value)
    {
        double rounded = Math.Round(value, 2, MidpointRounding.AwayFromZero);
        if (rounded == 0) rounded = 0; // turns -0 into 0
        return rounded.ToString("0.##", CultureInfo.InvariantCulture);
    }

    private void OpenTag(string name, ReadOnlySpan<(string Name, string Value)> attributes)
    {
        Indent();
        _text.Append('<').Append(name);
        foreach ((string attributeName, string value) in attributes)
        {
            _text.Append(' ').Append(attributeName).Append("=\"");
            AppendEscaped(value);
            _text.Append('"');
        }
    }

    private void Indent() => _text.Append(' ', 2 * _open.Count);

    private void AppendEscaped(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': _text.Append("&amp;"); break;
                case '<': _text.Append("&lt;"); break;
                case '>': _text.Append("&gt;"); break;
                case '"': _text.Append("&quot;"); break;
                case '\'': _text.Append("&apos;"); break;
                // Attribute values would turn raw line breaks and tabs into spaces; character references keep them.
                case '\n': _text.Append("&#10;"); break;
                case '\r': _text.Append("&#13;"); break;
                case '\t': _text.Append("&#9;"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                        _text.Append(c).Append(text[++i]);
                    else if (c < ' ' || char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF')
                        _text.Append('\uFFFD'); // not representable in XML 1.0, not even as a character reference
                    else
                        _text.Append(c);
                    break;
            }
        }
    }
}
