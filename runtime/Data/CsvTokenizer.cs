using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace HiddenSpace;

/// <summary>
/// Splits RFC 4180 text into records of fields. Fields are separated by commas; a field in double quotes
/// may hold commas, line breaks and doubled quotes (<c>""</c> for one <c>"</c>). CRLF, LF and a lone CR
/// all end a record; a final line break is optional; a leading U+FEFF (byte order mark) is skipped.
/// Two tolerances beyond the RFC: empty lines between records are skipped, and spaces or tabs around a
/// quoted field are ignored. A quote inside an unquoted field, text after a closing quote and a quote that
/// is never closed are errors. Tracks line numbers so that every error can name its line.
/// </summary>
internal sealed class CsvTokenizer
{
    private const int EndOfInput = -1;
    private readonly TextReader _reader;
    private readonly string _sourceName;
    private readonly char[] _buffer = new char[4096];
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;
    private bool _started;
    private int _line = 1; // line of the next unread character

    public CsvTokenizer(TextReader reader, string sourceName)
    {
        _reader = reader;
        _sourceName = sourceName;
    }

    /// <summary>Column names used in error messages once the header has been read.</summary>
    public IReadOnlyList<string>? ColumnNames { get; set; }

    /// <summary>
    /// Reads the next record into <paramref name="fields"/>, with the line each field starts on in
    /// <paramref name="fieldLines"/>. Returns false at the end of the input.
    /// </summary>
    /// <exception cref="DataFormatException">The text is not valid CSV or not valid UTF-8.</exception>
    public bool ReadRecord(List<string> fields, List<int> fieldLines)
    {
        fields.Clear();
        fieldLines.Clear();
        while (true)
        {
            int c = Peek();
            if (c == EndOfInput) return false;
            if (c is not ('\r' or '\n')) break;
            Read();
            ConsumeLineBreak(c);
        }
        while (true)
        {
            fieldLines.Add(_line);
            fields.Add(ReadField(fields.Count, out int terminator));
            if (terminator != ',') return true;
        }
    }

    private string ReadField(int index, out int terminator)
    {
        _field.Clear();
        int c = Peek();
        while (c is ' ' or '\t')
        {
            _field.Append((char)Read());
            c = Peek();
        }
        if (c == '"')
        {
            _field.Clear(); // whitespace before an opening quote is not part of the value
            int openingLine = _line;
            Read();
            ReadQuotedContent(index, openingLine);
            c = Peek();
            while (c is ' ' or '\t')
            {
                Read();
                c = Peek();
            }
            if (c is not (',' or '\r' or '\n' or EndOfInput))
                throw Error(_line, index, $"unexpected {Describe(c)} after the closing quote of the field; a quoted field must end at its closing quote (write a quote inside it as \"\").");
        }
        else
        {
            while (c is not (',' or '\r' or '\n' or EndOfInput))
            {
                if (c == '"')
                    throw Error(_line, index, "a quote inside an unquoted field; put the whole field in quotes and double the quotes inside it (\"a \"\"b\"\" c\").");
                _field.Append((char)Read());
                c = Peek();
            }
        }
        terminator = c;
        if (c != EndOfInput)
        {
            Read();
            if (c != ',') ConsumeLineBreak(c);
        }
        return _field.ToString();
    }

    private void ReadQuotedContent(int index, int openingLine)
    {
        while (true)
        {
            int c = Read();
            switch (c)
            {
                case EndOfInput:
                    throw Error(openingLine, index, "the quote that opens this field is never closed; close it with a \" (and write a quote inside a field as \"\").");
                case '"' when Peek() == '"':
                    Read();
                    _field.Append('"');
                    break;
                case '"':
                    return;
                case '\r' or '\n':
                    _field.Append((char)c);
                    if (c == '\r' && Peek() == '\n') _field.Append((char)Read());
                    _line++;
                    break;
                default:
                    _field.Append((char)c);
                    break;
            }
        }
    }

    /// <summary>Called after reading <paramref name="c"/>, a CR or LF: takes the LF of a CRLF pair and counts the line.</summary>
    private void ConsumeLineBreak(int c)
    {
        if (c == '\r' && Peek() == '\n') Read();
        _line++;
    }

    private int Read()
    {
        int c = Peek();
        if (c != EndOfInput) _position++;
        return c;
    }

    private int Peek()
    {
        if (_position == _length && !Fill()) return EndOfInput;
        return _buffer[_position];
    }

    private bool Fill()
    {
        try
        {
            _length = _reader.Read(_buffer, 0, _buffer.Length);
        }
        catch (DecoderFallbackException e)
        {
            throw new DataFormatException(_sourceName, _line, null, "the file is not valid UTF-8 text (the invalid bytes are on this line or shortly after it).", e);
        }
        _position = 0;
        if (!_started && _length > 0)
        {
            _started = true;
            if (_buffer[0] == '\uFEFF') _position = 1;
            if (_position == _length) return Fill();
        }
        return _length > 0;
    }

    private DataFormatException Error(int line, int fieldIndex, string detail)
    {
        IReadOnlyList<string>? names = ColumnNames;
        string? column = names is not null && fieldIndex < names.Count ? names[fieldIndex] : null;
        if (column is null)
            detail = $"field {(fieldIndex + 1).ToString(CultureInfo.InvariantCulture)}: {detail}";
        return new DataFormatException(_sourceName, line, column, detail);
    }

    private static string Describe(int c) =>
        c == '"' ? "quote" : $"character '{(char)c}' (U+{c.ToString("X4", CultureInfo.InvariantCulture)})";
}
