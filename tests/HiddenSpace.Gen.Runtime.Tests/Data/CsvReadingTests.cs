using System;
using System.Globalization;
using System.IO;
using System.Text;
using Xunit;

namespace HiddenSpace.Tests.Data;

/// <summary>The number fast path against the framework parser, the encodings a file may come in, and the record length limit.</summary>
public sealed class CsvReadingTests : IDisposable
{
    private readonly TempDirectory _directory = new("reading");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("+0.0")]
    [InlineData("-0.000000")]
    [InlineData("16777216")]
    [InlineData("16777217")]
    [InlineData("1.6777217")]
    [InlineData("0.1")]
    [InlineData("-.5")]
    [InlineData("7.")]
    [InlineData("123456789")]
    [InlineData("1234567890")]
    [InlineData("0.0000000001")]
    [InlineData("0.00000000001")]
    [InlineData("3.4028235e38")]
    [InlineData("1e-3")]
    [InlineData("1.2.3")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("")]
    [InlineData("1,5")]
    [InlineData("NaN")]
    [InlineData("--1")]
    public void NumberFastPathAgreesWithTheFrameworkOnEdgeCases(string text) => AssertSameAsFramework(text);

    [Fact]
    public void NumberFastPathAgreesWithTheFrameworkOnRandomDecimals()
    {
        var random = new Random(12);
        for (int i = 0; i < 200_000; i++)
        {
            int decimals = random.Next(0, 11);
            long mantissa = random.NextInt64(0, 1L << 26);
            string digits = mantissa.ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
            string text = (random.Next(3) switch { 0 => "-", 1 => "+", _ => "" })
                + (decimals == 0 ? digits : digits[..^decimals] + "." + digits[^decimals..]);
            AssertSameAsFramework(text);
        }
    }

    private static void AssertSameAsFramework(string text)
    {
        bool expectedOk = float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float expected);
        bool ok = CsvNumber.TryParse(text, out float actual);
        Assert.Equal(expectedOk, ok);
        if (ok) Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual), $"'{text}': {expected:R} expected, {actual:R} parsed");
    }

    [Theory]
    [InlineData("utf-16LE", false)]
    [InlineData("utf-16BE", false)]
    [InlineData("utf-32LE", false)]
    [InlineData("utf-32BE", false)]
    [InlineData("utf-16LE", true)]
    [InlineData("utf-32BE", true)]
    public void Utf16AndUtf32FilesAreReadWithOrWithoutAByteOrderMark(string encodingName, bool withMark)
    {
        Encoding encoding = encodingName switch
        {
            "utf-16LE" => new UnicodeEncoding(false, withMark),
            "utf-16BE" => new UnicodeEncoding(true, withMark),
            "utf-32LE" => new UTF32Encoding(false, withMark),
            _ => new UTF32Encoding(true, withMark),
        };
        string path = Write("wide.csv", [.. encoding.GetPreamble(), .. encoding.GetBytes("x1,x2,label\n1.5,-2,0\n3,4e1,1\n")]);
        Dataset data = CsvDataLoader.Load(path);
        Assert.Equal(["x1", "x2"], data.FeatureNames);
        Assert.Equal([1.5f, -2f, 3f, 40f], data.Features.ToArray());
        Assert.Equal([0, 1], data.Labels.ToArray());
    }

    [Fact]
    public void BinaryFileIsNotText()
    {
        string path = Write("binary.csv", [0x50, 0x4B, 0x03, 0x04, 0, 0, 0x08, 0, 0, 0, 0x21, 0, 0x7A, 0x33, 0, 0x11, 0, 0, 0, 0]);
        var error = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(path));
        Assert.Contains("zero bytes, so it is not UTF-8 text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Latin1FileIsNotValidUtf8()
    {
        string path = Write("latin1.csv", Encoding.Latin1.GetBytes("caf\u00e9,label\n1,0\n2,1\n"));
        var error = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(path));
        Assert.Contains("not valid UTF-8 text: byte 0xE9 at offset 3 does not begin a valid UTF-8 sequence", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Row);
    }

    [Theory]
    [InlineData("\n", false)]
    [InlineData("\r\n", false)]
    [InlineData("\r", true)]
    public void AnInvalidByteFarIntoTheFileIsReportedOnItsOwnLine(string lineBreak, bool byteOrderMark)
    {
        // Rows of valid two-byte letters past the reader's first 64 KB (one of them cut by the finder's buffer), then a
        // Latin-1 byte: the decoder fails a buffer ahead of the records, the message names the byte's own line.
        var text = new StringBuilder("x,y,label" + lineBreak);
        int line = 1;
        while (Encoding.UTF8.GetByteCount(text.ToString()) < 100_000)
        {
            text.Append(CultureInfo.InvariantCulture, $"{line % 7},{line % 3},\"caf\u00e9 {(line % 2 == 0 ? "au lait" : "cr\u00e8me")}\"{lineBreak}");
            line++;
        }
        byte[] valid = Encoding.UTF8.GetBytes(text.ToString()), invalid = Encoding.Latin1.GetBytes("1,0,\"caf\u00e9 au lait\"" + lineBreak);
        byte[] mark = byteOrderMark ? [0xEF, 0xBB, 0xBF] : [];
        string path = Write("far.csv", [.. mark, .. valid, .. invalid, .. Encoding.UTF8.GetBytes("2,1,\"caf\u00e9 au lait\"" + lineBreak)]);
        var error = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(path));
        Assert.Equal(line + 1, error.Row);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"byte 0xE9 at offset {mark.Length + valid.Length + 8:N0} does not begin a valid UTF-8 sequence"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AQuoteThatNeverClosesStopsAtTheRecordLimitInsteadOfReadingTheWholeFile()
    {
        _directory.Create();
        string path = _directory.Combine("open-quote.csv");
        using (var writer = new StreamWriter(path))
        {
            writer.Write("x,label\n1,0\n\"2,1\n");
            var row = new string('9', 1023) + "\n";
            for (int i = 0; i < 8 * CsvRecordReader.MaxRecordCharacters / 1024; i++) writer.Write(row); // 8 times the limit
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(3, error.Row);
        Assert.Contains("a quote that opens a field is probably never closed", error.Message, StringComparison.Ordinal);
        // Sep's buffer doubles up to the limit (2 bytes a character): about 8 bytes per limit character in all,
        // where holding the whole record would take at least 16 per limit character.
        Assert.True(allocated < 12L * CsvRecordReader.MaxRecordCharacters, $"{allocated:N0} bytes allocated");
    }

    private string Write(string name, byte[] bytes)
    {
        _directory.Create();
        string path = _directory.Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
