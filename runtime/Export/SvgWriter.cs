using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace HiddenSpace;

/// <summary>
/// Writes SVG text element by element to a <see cref="TextWriter"/> (a file as it is written, never a whole
/// document in memory), one element per line, indented by nesting depth. Escapes every attribute value and
/// text it is given, so callers can pass user-supplied labels unchanged.
/// </summary>
internal sealed class SvgWriter
{
    private readonly TextWriter _text;
    private readonly Stack<string> _open = new();

    /// <summary>Starts a standalone document on <paramref name="text"/> whose root <c>svg</c> element has the given size in pixels.</summary>
    public SvgWriter(TextWriter text, double width, double height)
    {
        _text = text;
        _text.Write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
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
        _text.Write(">\n");
        _open.Push(name);
    }

    /// <summary>Writes an element without content.</summary>
    public void Empty(string name, params ReadOnlySpan<(string Name, string Value)> attributes)
    {
        OpenTag(name, attributes);
        _text.Write("/>\n");
    }

    /// <summary>Writes an element whose only content is <paramref name="text"/>.</summary>
    public void Text(string name, string text, params ReadOnlySpan<(string Name, string Value)> attributes)
    {
        OpenTag(name, attributes);
        _text.Write('>');
        WriteEscaped(text);
        _text.Write("</");
        _text.Write(name);
        _text.Write(">\n");
    }

    /// <summary>Closes the innermost element opened with <see cref="Start"/>.</summary>
    public void End()
    {
        string name = _open.Pop();
        Indent();
        _text.Write("</");
        _text.Write(name);
        _text.Write(">\n");
    }

    /// <summary>Closes the root element.</summary>
    public void Finish()
    {
        End();
        if (_open.Count != 0)
            throw new InvalidOperationException($"Element <{_open.Peek()}> was never closed.");
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
        _text.Write('<');
        _text.Write(name);
        foreach ((string attributeName, string value) in attributes)
        {
            _text.Write(' ');
            _text.Write(attributeName);
            _text.Write("=\"");
            WriteEscaped(value);
            _text.Write('"');
        }
    }

    private void Indent()
    {
        for (int level = 0; level < _open.Count; level++) _text.Write("  ");
    }

    private void WriteEscaped(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': _text.Write("&amp;"); break;
                case '<': _text.Write("&lt;"); break;
                case '>': _text.Write("&gt;"); break;
                case '"': _text.Write("&quot;"); break;
                case '\'': _text.Write("&apos;"); break;
                // Attribute values would turn raw line breaks and tabs into spaces; character references keep them.
                case '\n': _text.Write("&#10;"); break;
                case '\r': _text.Write("&#13;"); break;
                case '\t': _text.Write("&#9;"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        _text.Write(c);
                        _text.Write(text[++i]);
                    }
                    else if (c < ' ' || char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF')
                        _text.Write('\uFFFD'); // not representable in XML 1.0, not even as a character reference
                    else
                        _text.Write(c);
                    break;
            }
        }
    }
}
