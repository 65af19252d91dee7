using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace HiddenSpace.Weights;

// Compiled into the generator (netstandard2.0, no System.Text.Json) and into the runtime, so that a weights file is read
// by one parser and one set of rules wherever it is read.

/// <summary>A JSON value with the offset of its first character in the text it was read from.</summary>
internal abstract class JsonValue(int offset)
{
    public int Offset { get; } = offset;

    /// <summary>"an object", "a string", ... for messages.</summary>
    public abstract string Kind { get; }
}

internal sealed class JsonObject(int offset, List<KeyValuePair<string, JsonValue>> members, List<int> keyOffsets) : JsonValue(offset)
{
    /// <summary>The members in the order of the text.</summary>
    public List<KeyValuePair<string, JsonValue>> Members { get; } = members;

    /// <summary>Offset of each member's key, in the order of <see cref="Members"/>.</summary>
    public List<int> KeyOffsets { get; } = keyOffsets;

    public override string Kind => "an object";
}

internal sealed class JsonArray(int offset, List<JsonValue> items) : JsonValue(offset)
{
    public List<JsonValue> Items { get; } = items;

    public override string Kind => "an array";
}

internal sealed class JsonString(int offset, string value) : JsonValue(offset)
{
    public string Value { get; } = value;

    public override string Kind => "a string";
}

/// <summary>A number as written (the text is kept: it is what a generator copies into code) and as a double.</summary>
internal sealed class JsonNumber(int offset, string text, double value) : JsonValue(offset)
{
    public string Text { get; } = text;

    /// <summary>The nearest double; ±infinity when the number is beyond the double range.</summary>
    public double Value { get; } = value;

    public override string Kind => "a number";
}

/// <summary>true, false or null.</summary>
internal sealed class JsonLiteral(int offset, string text) : JsonValue(offset)
{
    public string Text { get; } = text;

    public override string Kind => Text == "null" ? "null" : "a boolean";
}

/// <summary>
/// A strict RFC 8259 JSON reader: one value, no comments, no trailing commas, strings with the standard escapes only,
/// at most <see cref="MaxDepth"/> nested arrays and objects. Reports the first problem with its offset instead of
/// throwing, so a generator can turn it into a diagnostic.
/// </summary>
internal static class JsonText
{
    /// <summary>Deepest nesting read (the weights format needs 4); deeper input is refused rather than recursed into.</summary>
    public const int MaxDepth = 16;

    /// <summary>Parses <paramref name="text"/>; on failure returns null and the offset and description of the problem.</summary>
    public static JsonValue? Parse(string text, out int errorOffset, out string? error)
    {
        var reader = new Reader(text);
        try
        {
            reader.SkipWhitespace();
            JsonValue value = reader.Value(0);
            reader.SkipWhitespace();
            if (reader.Position < text.Length)
                throw new JsonProblem(reader.Position, $"unexpected {Describe(text, reader.Position)} after the end of the JSON value");
            errorOffset = -1;
            error = null;
            return value;
        }
        catch (JsonProblem problem)
        {
            errorOffset = problem.Offset;
            error = problem.Message;
            return null;
        }
    }

    /// <summary>1-based line and column of <paramref name="offset"/> (lines end at '\n').</summary>
    public static (int Line, int Column) Position(string text, int offset)
    {
        int line = 1, lineStart = 0;
        for (int i = 0; i < offset && i < text.Length; i++)
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        return (line, offset - lineStart + 1);
    }

    private static string Describe(string text, int position) =>
        position >= text.Length ? "end of the file"
        : text[position] < ' ' || text[position] > '~' ? $"character U+{(int)text[position]:X4}"
        : $"'{text[position]}'";

    private sealed class JsonProblem(int offset, string message) : System.Exception(message)
    {
        public int Offset { get; } = offset;
    }

    private sealed class Reader(string text)
    {
        public int Position { get; private set; }

        public void SkipWhitespace()
        {
            while (Position < text.Length && text[Position] is ' ' or '\t' or '\n' or '\r') Position++;
        }

        public JsonValue Value(int depth)
        {
            if (Position >= text.Length) throw new JsonProblem(Position, "unexpected end of the file where a value was expected");
            char c = text[Position];
            switch (c)
            {
                case '{': return Object(depth + 1);
                case '[': return Array(depth + 1);
                case '"': return new JsonString(Position, String());
                case 't': return Literal("true");
                case 'f': return Literal("false");
                case 'n': return Literal("null");
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return Number();
                    throw new JsonProblem(Position, $"unexpected {Describe(text, Position)} where a value was expected");
            }
        }

        private JsonObject Object(int depth)
        {
            CheckDepth(depth);
            int start = Position++;
            var members = new List<KeyValuePair<string, JsonValue>>();
            var keyOffsets = new List<int>();
            var keys = new HashSet<string>(System.StringComparer.Ordinal);
            SkipWhitespace();
            if (Peek() == '}')
            {
                Position++;
                return new JsonObject(start, members, keyOffsets);
            }
            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"') throw new JsonProblem(Position, $"unexpected {Describe(text, Position)} where a member name (a string) was expected");
                int keyOffset = Position;
                string key = String();
                if (!keys.Add(key)) throw new JsonProblem(keyOffset, $"the member \"{key}\" appears twice in one object");
                SkipWhitespace();
                Expect(':', "after a member name");
                SkipWhitespace();
                members.Add(new KeyValuePair<string, JsonValue>(key, Value(depth)));
                keyOffsets.Add(keyOffset);
                SkipWhitespace();
                if (Peek() == ',')
                {
                    Position++;
                    continue;
                }
                Expect('}', "after a member (',' or '}')");
                return new JsonObject(start, members, keyOffsets);
            }
        }

        private JsonArray Array(int depth)
        {
            CheckDepth(depth);
            int start = Position++;
            var items = new List<JsonValue>();
            SkipWhitespace();
            if (Peek() == ']')
            {
                Position++;
                return new JsonArray(start, items);
            }
            while (true)
            {
                SkipWhitespace();
                items.Add(Value(depth));
                SkipWhitespace();
                if (Peek() == ',')
                {
                    Position++;
                    continue;
                }
                Expect(']', "after an array item (',' or ']')");
                return new JsonArray(start, items);
            }
        }

        private void CheckDepth(int depth)
        {
            if (depth > MaxDepth) throw new JsonProblem(Position, $"arrays and objects are nested more than {MaxDepth} deep");
        }

        private string String()
        {
            int start = Position++;
            var value = new StringBuilder();
            while (true)
            {
                if (Position >= text.Length) throw new JsonProblem(start, "a string is not closed");
                char c = text[Position++];
                if (c == '"') return value.ToString();
                if (c < ' ') throw new JsonProblem(Position - 1, $"character U+{(int)c:X4} inside a string (control characters must be escaped)");
                if (c != '\\')
                {
                    value.Append(c);
                    continue;
                }
                if (Position >= text.Length) throw new JsonProblem(start, "a string is not closed");
                char escape = text[Position++];
                switch (escape)
                {
                    case '"': value.Append('"'); break;
                    case '\\': value.Append('\\'); break;
                    case '/': value.Append('/'); break;
                    case 'b': value.Append('\b'); break;
                    case 'f': value.Append('\f'); break;
                    case 'n': value.Append('\n'); break;
                    case 'r': value.Append('\r'); break;
                    case 't': value.Append('\t'); break;
                    case 'u':
                        if (Position + 4 > text.Length
                            || !int.TryParse(text.Substring(Position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                            throw new JsonProblem(Position - 2, "\\u must be followed by four hexadecimal digits");
                        value.Append((char)code);
                        Position += 4;
                        break;
                    default:
                        throw new JsonProblem(Position - 2, $"unknown escape '\\{escape}' in a string");
                }
            }
        }

        private JsonNumber Number()
        {
            int start = Position;
            if (Peek() == '-') Position++;
            if (Peek() == '0') Position++;
            else if (!Digits()) throw new JsonProblem(start, "a number needs digits after '-'");
            if (Peek() == '.')
            {
                Position++;
                if (!Digits()) throw new JsonProblem(Position, "a number needs digits after its decimal point");
            }
            if (Peek() is 'e' or 'E')
            {
                Position++;
                if (Peek() is '+' or '-') Position++;
                if (!Digits()) throw new JsonProblem(Position, "a number needs digits in its exponent");
            }
            string number = text.Substring(start, Position - start);
            return new JsonNumber(start, number, ToDouble(number));
        }

        /// <summary>The nearest double; .NET Framework's parser throws on overflow where .NET Core returns infinity.</summary>
        private static double ToDouble(string number)
        {
            try
            {
                return double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
            catch (System.OverflowException)
            {
                return number[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            }
        }

        private bool Digits()
        {
            int start = Position;
            while (Position < text.Length && text[Position] >= '0' && text[Position] <= '9') Position++;
            return Position > start;
        }

        private JsonLiteral Literal(string literal)
        {
            if (string.CompareOrdinal(text, Position, literal, 0, literal.Length) != 0)
                throw new JsonProblem(Position, $"unexpected {Describe(text, Position)} where a value was expected");
            var value = new JsonLiteral(Position, literal);
            Position += literal.Length;
            return value;
        }

        private char Peek() => Position < text.Length ? text[Position] : '\0';

        private void Expect(char expected, string where)
        {
            if (Peek() != expected) throw new JsonProblem(Position, $"unexpected {Describe(text, Position)} {where}");
            Position++;
        }
    }
}
