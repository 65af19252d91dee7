using System.Collections.Generic;
using System.Text;

namespace HiddenSpace.Gen.Emitting;

/// <summary>An indentation-aware string builder (after System.Text.Json's generator SourceWriter).</summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _text = new();
    private int _indentation;

    public void Indent() => _indentation++;

    public void Unindent() => _indentation--;

    public void OpenBlock()
    {
        WriteLine("{");
        _indentation++;
    }

    public void CloseBlock(string suffix = "")
    {
        _indentation--;
        WriteLine("}" + suffix);
    }

    public void WriteLine(string line)
    {
        if (line.Length > 0)
            for (int i = 0; i < _indentation; i++) _text.Append(IndentUnit);
        _text.Append(line).Append('\n');
    }

    public void WriteLine() => _text.Append('\n');

    /// <summary>The longest line the writer aims for, indentation included (long literals and names may still pass it).</summary>
    public const int MaxLineLength = 140;

    private int Room => MaxLineLength - _indentation * IndentUnit.Length;

    /// <summary>
    /// <paramref name="text"/> (a comment, its "//" included) broken at spaces into lines that fit
    /// <see cref="MaxLineLength"/>; every line after the first starts with <paramref name="continuation"/> ("//     ").
    /// </summary>
    public void WriteComment(string text, string continuation)
    {
        string line = text;
        while (line.Length > Room)
        {
            int cut = line.LastIndexOf(' ', Room);
            if (cut <= continuation.Length) break;
            WriteLine(line.Substring(0, cut));
            line = continuation + line.Substring(cut + 1);
        }
        WriteLine(line);
    }

    /// <summary>
    /// <paramref name="head"/>(arguments)<paramref name="tail"/> on one line when it fits in
    /// <see cref="MaxLineLength"/>, else one argument a line, indented one level under the head.
    /// </summary>
    public void WriteCall(string head, IReadOnlyList<string> arguments, string tail)
    {
        string oneLine = $"{head}({string.Join(", ", arguments)}){tail}";
        if (oneLine.Length <= Room)
        {
            WriteLine(oneLine);
            return;
        }
        WriteLine(head + "(");
        _indentation++;
        for (int i = 0; i < arguments.Count; i++)
            WriteLine(arguments[i] + (i == arguments.Count - 1 ? ")" + tail : ","));
        _indentation--;
    }

    public override string ToString() => _text.ToString();
}
