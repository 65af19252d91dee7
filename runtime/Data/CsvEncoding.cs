using System;
using System.IO;
using System.Text;

namespace HiddenSpace;

/// <summary>
/// Picks the text encoding of a data file: a byte order mark (UTF-8, UTF-16 or UTF-32) decides; without one,
/// the pattern of zero bytes in the first 4 KB tells UTF-16 and UTF-32 text (ASCII-range text in those
/// encodings has a zero in every second or three zeros in every four bytes) from UTF-8, which is the default.
/// Every decoder is strict: an invalid byte sequence is an error, never a replacement character.
/// </summary>
internal static class CsvEncoding
{
    private const int SampleBytes = 4096;

    /// <summary>The name of the encoding used for UTF-8 without a byte order mark, the common case.</summary>
    public const string Utf8 = "UTF-8";

    /// <summary>Opens <paramref name="path"/> as text and names the encoding found (e.g. "UTF-16LE without byte order mark").</summary>
    /// <exception cref="DataFormatException">The file starts with zero bytes in no pattern of UTF-16 or UTF-32: it is binary, not text; or the path is a pipe or a device.</exception>
    public static (TextReader Reader, Stream Stream, string Encoding) Open(string path)
    {
        // Opening a named pipe waits, without end, for a program to write into it.
        if (FileKinds.Of(path) == FileKind.Pipe) throw NotAFile(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        try
        {
            if (!stream.CanSeek) throw NotAFile(path);
            Span<byte> sample = stackalloc byte[SampleBytes];
            int length = stream.ReadAtLeast(sample, SampleBytes, throwOnEndOfStream: false);
            (Encoding encoding, string name, int markLength) = Detect(sample[..length], path);
            // The mark is skipped here rather than by StreamReader, which would swap in a lenient decoder.
            stream.Position = markLength;
            return (new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16), stream, name);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static DataFormatException NotAFile(string path) => new(path, null, null,
        "this is a pipe or a device, not a file: a data set is read more than once (the encoding, the header and the statistics before the rows), so save it to a file first.",
        problem: DataFormatProblem.NotAFile);

    private static (Encoding Encoding, string Name, int MarkLength) Detect(ReadOnlySpan<byte> sample, string path)
    {
        if (sample.StartsWith<byte>([0xEF, 0xBB, 0xBF])) return (Strict(Utf8), "UTF-8 with byte order mark", 3);
        // UTF-32LE's mark starts with UTF-16LE's, so it is tested first.
        if (sample.StartsWith<byte>([0xFF, 0xFE, 0, 0])) return (Strict("UTF-32LE"), "UTF-32LE with byte order mark", 4);
        if (sample.StartsWith<byte>([0, 0, 0xFE, 0xFF])) return (Strict("UTF-32BE"), "UTF-32BE with byte order mark", 4);
        if (sample.StartsWith<byte>([0xFF, 0xFE])) return (Strict("UTF-16LE"), "UTF-16LE with byte order mark", 2);
        if (sample.StartsWith<byte>([0xFE, 0xFF])) return (Strict("UTF-16BE"), "UTF-16BE with byte order mark", 2);
        if (!sample.Contains((byte)0)) return (Strict(Utf8), Utf8, 0);

        // Zero bytes per position modulo 4; a position "is zero" when at least 90 % of its bytes are.
        Span<int> zeros = stackalloc int[4];
        Span<int> totals = stackalloc int[4];
        for (int i = 0; i < sample.Length; i++)
        {
            totals[i % 4]++;
            if (sample[i] == 0) zeros[i % 4]++;
        }
        Span<bool> zero = stackalloc bool[4];
        for (int k = 0; k < 4; k++) zero[k] = totals[k] > 0 && zeros[k] * 10 >= totals[k] * 9;
        string? found = (zero[0], zero[1], zero[2], zero[3]) switch
        {
            (false, true, true, true) => "UTF-32LE",
            (true, true, true, false) => "UTF-32BE",
            (false, true, false, true) => "UTF-16LE",
            (true, false, true, false) => "UTF-16BE",
            _ => null,
        };
        if (found is null)
            throw new DataFormatException(path, null, null,
                "the file holds zero bytes, so it is not UTF-8 text (nor UTF-16 or UTF-32 text, whose zero bytes would fall in a regular pattern); save it as UTF-8 CSV.");
        return (Strict(found), found + " without byte order mark", 0);
    }

    private static Encoding Strict(string name) => name switch
    {
        "UTF-32LE" => new UTF32Encoding(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true),
        "UTF-32BE" => new UTF32Encoding(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true),
        "UTF-16LE" => new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true),
        "UTF-16BE" => new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true),
        _ => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
    };
}
