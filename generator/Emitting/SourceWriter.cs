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

    public override string ToString() => _text.ToString();
}
