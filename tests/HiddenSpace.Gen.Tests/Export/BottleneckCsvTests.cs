using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Xunit;

namespace HiddenSpace.Tests.Export;

public sealed class BottleneckCsvTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hiddenspace-csv-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes.</summary>
    internal static List<string[]> ReadCsv(string text)
    {
        var records = new List<string[]>();
        var record = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                for (i++; ; i++)
                {
                    if (text[i] != '"') field.Append(text[i]);
                    else if (i + 1 < text.Length && text[i + 1] == '"') field.Append(text[++i]);
                    else { i++; break; }
                }
            }
            else
            {
                while (text[i] is not (',' or '\r')) field.Append(text[i++]);
            }
            record.Add(field.ToString());
            field.Clear();
            if (text[i] == ',') { i++; continue; }
            Assert.Equal("\r\n", text.Substring(i, 2));
            i += 2;
            records.Add(record.ToArray());
            record.Clear();
        }
        return records;
    }

    private static float ParseFloat(string text) => float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Fact]
    public void RowsParseBackWithQuotedNamesAndExactFloats()
    {
        string[] inputNames = ["plain", "with,comma", "say \"hi\"", "line\nbreak"];
        string[] tapNames = ["Bottleneck_0", "Bottleneck_1"];
        float[] awkward = [0.1f, 1f / 3f, float.Epsilon, -0f, 1e-30f, 16777216f, float.MaxValue, -2.5e-7f, MathF.PI, 123456.789f, 1e10f, -1f];
        float[] inputs = awkward; // 3 rows × 4 columns
        float[] taps = [awkward[11], awkward[0], awkward[1], awkward[2], awkward[3], awkward[4]];
        int[] labels = [0, 2, 1];
        int[] predictions = [0, 1, 1];
        bool[] isTest = [false, true, false];
        string path = Path.Combine(_directory, "bottleneck.csv");

        BottleneckCsv.Write(path, inputNames, inputs, tapNames, taps, labels, predictions, isTest);

        byte[] bytes = File.ReadAllBytes(path);
        Assert.NotEqual(0xEF, bytes[0]);
        List<string[]> records = ReadCsv(Encoding.UTF8.GetString(bytes));
        Assert.Equal(1 + 3, records.Count);
        Assert.Equal(["split", .. inputNames, .. tapNames, "label", "prediction"], records[0]);
        for (int row = 0; row < 3; row++)
        {
            string[] record = records[row + 1];
            Assert.Equal(9, record.Length);
            Assert.Equal(isTest[row] ? "test" : "train", record[0]);
            for (int c = 0; c < 4; c++)
                Assert.Equal(BitConverter.SingleToInt32Bits(inputs[row * 4 + c]), BitConverter.SingleToInt32Bits(ParseFloat(record[1 + c])));
            for (int c = 0; c < 2; c++)
                Assert.Equal(BitConverter.SingleToInt32Bits(taps[row * 2 + c]), BitConverter.SingleToInt32Bits(ParseFloat(record[5 + c])));
            Assert.Equal(labels[row].ToString(CultureInfo.InvariantCulture), record[7]);
            Assert.Equal(predictions[row].ToString(CultureInfo.InvariantCulture), record[8]);
        }
    }

    [Fact]
    public void DatasetOverloadNamesColumnsAfterFeaturesAndTap()
    {
        Dataset data = Dataset.ForClassification("moons", 2, [1f, 2f, 3f, 4f], [1, 0], 2, ["x", "y"]);
        var tap = new TapInfo("Bottleneck", 1, 2);
        string path = Path.Combine(_directory, "moons.csv");

        BottleneckCsv.Write(path, data, [true, false], tap, [0.5f, -0.5f, 0.25f, 0.125f], [1, 1]);

        Assert.Equal(
            "split,x,y,Bottleneck_0,Bottleneck_1,label,prediction\r\n" +
            "test,1,2,0.5,-0.5,1,1\r\n" +
            "train,3,4,0.25,0.125,0,1\r\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void LengthsThatDoNotFitAreRejectedNamingTheParameter()
    {
        Assert.Equal("tapValues", Assert.Throws<ArgumentException>(() =>
            BottleneckCsv.Format(["a"], [1f, 2f], ["t0", "t1"], [1f, 2f, 3f], [0, 1], [0, 1], [false, false])).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() =>
            BottleneckCsv.Format(["a"], [1f], ["t0"], [1f, 2f], [0, 1], [0, 1], [false, false])).ParamName);
        Assert.Equal("isTest", Assert.Throws<ArgumentException>(() =>
            BottleneckCsv.Format(["a"], [1f, 2f], ["t0"], [1f, 2f], [0, 1], [0, 1], [false])).ParamName);
    }

    [Fact]
    public void RegressionDataIsRejected()
    {
        Dataset data = Dataset.ForRegression("line", 1, [1f, 2f], [0.5f, 1f]);

        Assert.Equal("data", Assert.Throws<ArgumentException>(() =>
            BottleneckCsv.Write(Path.Combine(_directory, "r.csv"), data, [false, false], new TapInfo("T", 0, 1), [1f, 2f], [0, 0])).ParamName);
    }
}
