using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Buffers;
using System.Text;
using nietras.SeparatedValues;

namespace HiddenSpace;

/// <summary>
/// Reads RFC 4180 text record by record. Sep finds the records and fields (vectorised; quoted fields may hold
/// commas and line breaks); this class checks the quoting, which Sep tolerates, and hands out each field
/// unquoted. CRLF, LF and a lone CR all end a record; a final line break is optional; a leading U+FEFF is
/// skipped. Two tolerances beyond the RFC: empty lines between records are skipped, and spaces or tabs around
/// a quoted field are ignored. A quote inside an unquoted field, text after a closing quote and a quote that
/// is never closed are errors naming the line and the column. A record may hold at most
/// <see cref="MaxRecordCharacters"/> characters, so a quote that is never closed cannot pull a whole large file
/// into memory.
/// </summary>
internal sealed class CsvRecordReader : IDisposable
{
    /// <summary>The most characters one record may span (16 MB of text in memory; Sep's own limit is twice this).</summary>
    public const int MaxRecordCharacters = 1 << 23;

    private static readonly SepReaderOptions SepOptions = Sep.New(',').Reader(o => o with
    {
        HasHeader = false,
        DisableColCountCheck = true,
        CultureInfo = CultureInfo.InvariantCulture,
    });

    private readonly RecordGuard _text;
    private readonly SepReader _sep;
    private readonly Stream? _stream;
    private char[] _unescaped = new char[256];
    private bool _skipMark;
    private bool _quoted; // the current record holds a quote somewhere
    private int _line;
    private int _nextLine = 1;

    /// <summary>Reads the text of <paramref name="reader"/>, which stays open; <paramref name="sourceName"/> stands for it in messages.</summary>
    public CsvRecordReader(TextReader reader, string sourceName) : this(reader, sourceName, null, null)
    {
    }

    private CsvRecordReader(TextReader reader, string sourceName, Stream? stream, string? encoding)
    {
        SourceName = sourceName;
        Encoding = encoding;
        _stream = stream;
        _text = new RecordGuard(reader);
        try
        {
            _sep = SepOptions.From(_text, leaveOpen: true); // reads the first block
        }
        catch (Exception e) when (e is DecoderFallbackException or RecordTooLongException)
        {
            throw ReadFailure(e);
        }
    }

    /// <summary>Opens the file at <paramref name="path"/> in the encoding <see cref="CsvEncoding"/> finds.</summary>
    /// <exception cref="DataFormatException">The file is binary rather than text.</exception>
    public static CsvRecordReader Open(string path)
    {
        (TextReader reader, Stream stream, string encoding) = CsvEncoding.Open(path);
        try
        {
            return new CsvRecordReader(reader, path, stream, encoding);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The file or source name used in messages.</summary>
    public string SourceName { get; }

    /// <summary>The encoding of a file opened with <see cref="Open"/> (e.g. "UTF-8"); null for a reader.</summary>
    public string? Encoding { get; }

    /// <summary>Bytes of the file read so far (ahead of the current record by up to a buffer); 0 for a reader.</summary>
    public long BytesRead => _stream?.Position ?? 0;

    /// <summary>Column names used in error messages once the header has been read.</summary>
    public IReadOnlyList<string>? ColumnNames { get; set; }

    /// <summary>The line the current record starts on (1-based).</summary>
    public int Line => _line;

    /// <summary>Fields in the current record.</summary>
    public int FieldCount => _sep.Current.ColCount;

    /// <summary>Moves to the next record that is not an empty line; false at the end of the text.</summary>
    /// <exception cref="DataFormatException">The quoting is broken, a record is too long, or the text is not valid in its encoding.</exception>
    public bool Read()
    {
        while (true)
        {
            if (!MoveNext()) return false;
            SepReader.Row row = _sep.Current;
            // Sep reports the first row's end line as its start line; every later row's start is right.
            _line = row.RowIndex == 0 ? 1 : row.LineNumberFrom;
            _nextLine = row.LineNumberToExcl;
            _skipMark = row.RowIndex == 0 && row.Span.Length > 0 && row.Span[0] == '\uFEFF';
            if (row.ColCount == 1 && row.Span.Length == (_skipMark ? 1 : 0)) continue;
            _quoted = row.Span.Contains('"');
            if (_quoted)
            {
                for (int i = 0; i < row.ColCount; i++)
                    CheckQuoting(i);
            }
            return true;
        }
    }

    /// <summary>
    /// Field <paramref name="index"/> of the current record without its quotes (and, for a quoted field, without
    /// the spaces or tabs around them). Valid until the next call.
    /// </summary>
    public ReadOnlySpan<char> Field(int index)
    {
        ReadOnlySpan<char> raw = RawField(index);
        int open = _quoted ? raw.IndexOf('"') : -1;
        if (open < 0) return raw;
        int close = raw.LastIndexOf('"');
        ReadOnlySpan<char> content = raw[(open + 1)..close];
        int doubled = content.IndexOf("\"\"");
        if (doubled < 0) return content;
        if (_unescaped.Length < content.Length) _unescaped = new char[Math.Max(content.Length, 2 * _unescaped.Length)];
        int length = 0;
        for (int i = 0; i < content.Length; i++)
        {
            _unescaped[length++] = content[i];
            if (content[i] == '"') i++; // CheckQuoting made sure every quote inside is doubled
        }
        return _unescaped.AsSpan(0, length);
    }

    /// <summary>The line field <paramref name="index"/> starts on: the record's line plus the line breaks before the field.</summary>
    public int FieldLine(int index)
    {
        SepReader.Row row = _sep.Current;
        ReadOnlySpan<char> field = row[index].Span;
        row.Span.Overlaps(field, out int offset);
        return _line + LineBreaks(row.Span[..offset]);
    }

    /// <summary>Closes the file (not a reader passed in).</summary>
    public void Dispose()
    {
        _sep.Dispose();
        _stream?.Dispose();
    }

    private bool MoveNext()
    {
        try
        {
            _text.StartRecord();
            return _sep.MoveNext();
        }
        catch (Exception e) when (e is DecoderFallbackException or RecordTooLongException)
        {
            throw ReadFailure(e);
        }
    }

    private DataFormatException ReadFailure(Exception e) => e is DecoderFallbackException
        ? InvalidText(e)
        : new DataFormatException(SourceName, _nextLine, null,
            $"the record that starts on this line runs past {MaxRecordCharacters.ToString("N0", CultureInfo.InvariantCulture)} characters; a quote that opens a field is probably never closed (write a quote inside a field as \"\").", e);

    /// <summary>
    /// The first invalid bytes' line and offset in a UTF-8 file (the decoder fails a buffer ahead of the records, so the
    /// file is decoded again from its start to find them, on this error's path only); the line the reader had reached
    /// in any other encoding or source.
    /// </summary>
    private DataFormatException InvalidText(Exception e)
    {
        if (_stream is not null && Encoding is not null && Encoding.StartsWith(CsvEncoding.Utf8, StringComparison.Ordinal)
            && FirstInvalidUtf8(SourceName) is (long offset, int line, byte value))
            return new DataFormatException(SourceName, line, null,
                string.Create(CultureInfo.InvariantCulture, $"the file is not valid UTF-8 text: byte 0x{value:X2} at offset {offset:N0} does not begin a valid UTF-8 sequence (a Latin-1 or Windows-1252 letter?); save it as UTF-8."), e);
        return new DataFormatException(SourceName, _nextLine, null,
            $"the file is not valid {Encoding ?? CsvEncoding.Utf8} text (the first invalid bytes are on this line or after it); save it as UTF-8.", e);
    }

    /// <summary>
    /// Where the UTF-8 text of the file at <paramref name="path"/> first fails to decode: its byte offset, its line
    /// (counting line breaks as the reader does: CRLF, LF and a lone CR) and the byte; null when the text is valid.
    /// </summary>
    internal static (long Offset, int Line, byte Value)? FirstInvalidUtf8(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        byte[] buffer = new byte[1 << 16];
        char[] chars = new char[buffer.Length];
        int line = 1, kept = 0;
        long start = 0; // the file offset of buffer[0]
        bool carriageReturn = false; // the last byte counted was a CR (a CRLF split across two reads counts once)
        while (true)
        {
            int read = file.ReadAtLeast(buffer.AsSpan(kept), buffer.Length - kept, throwOnEndOfStream: false), length = kept + read;
            bool final = read == 0 || length < buffer.Length;
            OperationStatus status = System.Text.Unicode.Utf8.ToUtf16(buffer.AsSpan(0, length), chars, out int consumed, out _,
                replaceInvalidSequences: false, isFinalBlock: final);
            foreach (byte b in buffer.AsSpan(0, consumed))
            {
                if (b == '\n' && carriageReturn) { carriageReturn = false; continue; }
                carriageReturn = b == '\r';
                if (b is (byte)'\n' or (byte)'\r') line++;
            }
            if (status == OperationStatus.InvalidData) return (start + consumed, line, buffer[consumed]);
            if (final) return null;
            // NeedMoreData: a sequence cut at the buffer's end moves to its start.
            kept = length - consumed;
            buffer.AsSpan(consumed, kept).CopyTo(buffer);
            start += consumed;
        }
    }

    private ReadOnlySpan<char> RawField(int index)
    {
        ReadOnlySpan<char> raw = _sep.Current[index].Span;
        return index == 0 && _skipMark ? raw[1..] : raw;
    }

    private void CheckQuoting(int index)
    {
        ReadOnlySpan<char> raw = RawField(index);
        int open = raw.IndexOf('"');
        if (open < 0) return;
        if (!raw[..open].Trim(" \t").IsEmpty)
            throw Error(FieldLine(index), index, "a quote inside an unquoted field; put the whole field in quotes and double the quotes inside it (\"a \"\"b\"\" c\").");
        for (int i = open + 1; i < raw.Length; i++)
        {
            if (raw[i] != '"') continue;
            if (i + 1 < raw.Length && raw[i + 1] == '"')
            {
                i++;
                continue;
            }
            int after = i + 1;
            while (after < raw.Length && raw[after] is ' ' or '\t') after++;
            if (after == raw.Length) return;
            throw Error(FieldLine(index) + LineBreaks(raw[..after]), index,
                $"unexpected {Describe(raw[after])} after the closing quote of the field; a quoted field must end at its closing quote (write a quote inside it as \"\").");
        }
        throw Error(FieldLine(index), index, "the quote that opens this field is never closed; close it with a \" (and write a quote inside a field as \"\").");
    }

    private DataFormatException Error(int line, int fieldIndex, string detail)
    {
        IReadOnlyList<string>? names = ColumnNames;
        string? column = names is not null && fieldIndex < names.Count ? names[fieldIndex] : null;
        if (column is null)
            detail = $"field {(fieldIndex + 1).ToString(CultureInfo.InvariantCulture)}: {detail}";
        return new DataFormatException(SourceName, line, column, detail);
    }

    private static int LineBreaks(ReadOnlySpan<char> text)
    {
        int breaks = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n'))) breaks++;
        }
        return breaks;
    }

    private static string Describe(char c) => $"character '{c}' (U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)})";

    private sealed class RecordTooLongException() : Exception("A CSV record is longer than the limit.");

    /// <summary>Passes text to Sep and stops it when one record has pulled in more than the limit.</summary>
    private sealed class RecordGuard(TextReader inner) : TextReader
    {
        private long _sinceRecord;

        public void StartRecord() => _sinceRecord = 0;

        public override int Read(Span<char> buffer) => Count(inner.Read(buffer));

        public override int Read(char[] buffer, int index, int count) => Count(inner.Read(buffer, index, count));

        public override int Read()
        {
            int c = inner.Read();
            if (c >= 0) Count(1);
            return c;
        }

        public override int Peek() => inner.Peek();

        private int Count(int read)
        {
            if (read > 0 && (_sinceRecord += read) > MaxRecordCharacters) throw new RecordTooLongException();
            return read;
        }
    }
}
