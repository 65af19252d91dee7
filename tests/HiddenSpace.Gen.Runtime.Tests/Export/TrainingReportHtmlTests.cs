using System;
using System.IO;
using System.Text;
using System.Text.Json;
using Xunit;

namespace HiddenSpace.Tests.Export;

public sealed class TrainingReportHtmlTests
{
    [Theory]
    [InlineData("{\"a\":\"</script><script>\"}", "{\"a\":\"\\u003c/script\\u003e\\u003cscript\\u003e\"}")]
    [InlineData("{\"a\":\"x & y\"}", "{\"a\":\"x \\u0026 y\"}")]
    [InlineData("{\"a\":\"\u2028\u2029\"}", "{\"a\":\"\\u2028\\u2029\"}")]
    [InlineData("{\"a\":\"plain é\"}", "{\"a\":\"plain é\"}")]
    public void EscapesWhatCouldEndTheScriptElementOrALiteral(string json, string expected) =>
        Assert.Equal(expected, TrainingReportHtml.EscapeForScript(json));

    [Fact]
    public void CompactNumbersAreTheDoubleNearestTheFourDigitDecimalAsJsonWritesIt()
    {
        // The oracle: round to four significant digits as a double, then Utf8JsonWriter's own text for it.
        var random = new SeededRandom(4);
        var values = new double[400_000];
        for (int i = 0; i < values.Length; i++)
        {
            double magnitude = Math.Pow(10, random.NextDouble(-7, 9));
            values[i] = (i % 2 == 0 ? 1 : -1) * (i % 5 == 0 ? Math.Round(magnitude * 1e3) / 1e3 : magnitude); // some ties and short decimals
        }
        double[] edges = [0, 1, -1, 9.9995, 9.99949, 0.99996, 1e-4, 9.99951e-5, 1e4, 9999.5, 9999.4, 12.345, 0.00012345, 1e-5, 1e15, double.NaN, double.PositiveInfinity, 123456789];
        Assert.Equal(Write(edges, Oracle), Write(edges, TrainingReportHtml.Compact));
        Assert.Equal(Write(values, Oracle), Write(values, TrainingReportHtml.Compact));
    }

    private static void Oracle(Utf8JsonWriter json, double value)
    {
        if (!double.IsFinite(value))
        {
            json.WriteNullValue();
            return;
        }
        if (value == 0)
        {
            json.WriteNumberValue(0);
            return;
        }
        int decimals = 3 - (int)Math.Floor(Math.Log10(Math.Abs(value)));
        json.WriteNumberValue(decimals >= 0 ? Math.Round(value * Math.Pow(10, decimals)) / Math.Pow(10, decimals)
            : Math.Round(value / Math.Pow(10, -decimals)) * Math.Pow(10, -decimals));
    }

    private static string Write(double[] values, Action<Utf8JsonWriter, double> write)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartArray();
            foreach (double value in values) write(json, value);
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
