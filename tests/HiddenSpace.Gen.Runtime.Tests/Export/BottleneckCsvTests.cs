using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace HiddenSpace.Tests.Export;

public sealed class BottleneckCsvTests : IDisposable
{
    private readonly TempDirectory _directory = new("csv");

    public void Dispose() => _directory.Dispose();

    private static float ParseFloat(string text) => float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Fact]
    public void RowsParseBackWithQuotedNamesAndExactFloats()
    {
        string[] inputNames = ["plain", "with,comma", "say \"hi\"", "line\nbreak"];
        string[] tapNames = ["Bottleneck_0", "Bottleneck_1"];
        float[] awkward = [0.1f, 1f / 3f, float.Epsilon, -0f, 1e-30f, 16777216f, float.MaxValue, -2.5e-7f, MathF.PI, 123456.789f, 1e10f, -1f];
        float[] inputs = awkward; // 3 rows × 4 columns
        float[] taps = [awkward[11], awkward[0], awkward[1], awkward[2], awkward[3], awkward[4]];
        long[] rows = [7, long.MaxValue, 0];
        int[] labels = [0, 2, 1];
        int[] predictions = [0, 1, 1];
        bool[] isTest = [false, true, false];
        string path = _directory.Combine("bottleneck.csv");

        using (var writer = new BottleneckCsv.Writer(path, inputNames, tapNames))
        {
            for (int row = 0; row < 3; row++)
                writer.WriteRow(rows[row], isTest[row], inputs.AsSpan(row * 4, 4), taps.AsSpan(row * 2, 2), labels[row], predictions[row]);
            Assert.False(File.Exists(path)); // not before the commit
            writer.Commit();
        }

        byte[] bytes = File.ReadAllBytes(path);
        Assert.NotEqual(0xEF, bytes[0]);
        List<string[]> records = Rfc4180.Read(Encoding.UTF8.GetString(bytes));
        Assert.Equal(1 + 3, records.Count);
        Assert.Equal(["row", "split", .. inputNames, .. tapNames, "label", "prediction"], records[0]);
        for (int row = 0; row < 3; row++)
        {
            string[] record = records[row + 1];
            Assert.Equal(10, record.Length);
            Assert.Equal(rows[row].ToString(CultureInfo.InvariantCulture), record[0]);
            Assert.Equal(isTest[row] ? "test" : "train", record[1]);
            for (int c = 0; c < 4; c++)
                Assert.Equal(BitConverter.SingleToInt32Bits(inputs[row * 4 + c]), BitConverter.SingleToInt32Bits(ParseFloat(record[2 + c])));
            for (int c = 0; c < 2; c++)
                Assert.Equal(BitConverter.SingleToInt32Bits(taps[row * 2 + c]), BitConverter.SingleToInt32Bits(ParseFloat(record[6 + c])));
            Assert.Equal(labels[row].ToString(CultureInfo.InvariantCulture), record[8]);
            Assert.Equal(predictions[row].ToString(CultureInfo.InvariantCulture), record[9]);
        }
    }

    [Fact]
    public void DatasetOverloadNamesRowsAfterTheSourceAndColumnsAfterFeaturesAndTap()
    {
        Dataset data = Dataset.ForClassification("moons", 2, [1f, 2f, 3f, 4f, 5f, 6f], [1, 0, 1], 2, ["x", "y"]);
        (Dataset train, Dataset test) = (data.Subset([0, 2]), data.Subset([1]));
        var tap = new TapInfo("Bottleneck", 1, 2);
        string path = _directory.Combine("moons.csv");

        BottleneckCsv.Write(path, train.Concat(test), [false, false, true], tap, [0.5f, -0.5f, 0.25f, 0.125f, 1f, 2f], [1, 1, 0]);

        Assert.Equal(
            "row,split,x,y,Bottleneck_0,Bottleneck_1,label,prediction\r\n" +
            "0,train,1,2,0.5,-0.5,1,1\r\n" +
            "2,train,5,6,0.25,0.125,1,1\r\n" +
            "1,test,3,4,1,2,0,0\r\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void AFeatureNamedLikeAnotherColumnGetsASuffixSoEveryColumnHasItsOwnName()
    {
        string path = _directory.Combine("names.csv");
        using (var writer = new BottleneckCsv.Writer(path, ["row_feature", "row", "label", "Bottleneck_0", "split", "x"], ["Bottleneck_0", "Bottleneck_1"]))
        {
            writer.WriteRow(3, false, [1f, 2f, 3f, 4f, 5f, 6f], [7f, 8f], 1, 0);
            writer.Commit();
        }
        string[] header = Rfc4180.Read(File.ReadAllText(path))[0];
        Assert.Equal(["row", "split", "row_feature", "row_feature2", "label_feature", "Bottleneck_0_feature", "split_feature", "x",
            "Bottleneck_0", "Bottleneck_1", "label", "prediction"], header);
        Assert.Equal(header.Length, header.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ClassNamesStandForTheLabelAndPredictionNumbers()
    {
        string[] names = ["no", "yes, surely", "say \"maybe\" and then a name far longer than any number's forty-odd characters"];
        Dataset data = Dataset.ForClassification("d", 1, [1f, 2f, 3f], [2, 0, 1], 3, ["x"], classNames: names);
        string path = _directory.Combine("named.csv");

        BottleneckCsv.Write(path, data, [false, true, false], new TapInfo("t", 0, 1), [0.5f, 1f, 2f], [2, 1, 0]);

        List<string[]> records = Rfc4180.Read(File.ReadAllText(path));
        Assert.Equal([names[2], names[2]], records[1][^2..]);
        Assert.Equal([names[0], names[1]], records[2][^2..]);
        Assert.Equal([names[1], names[0]], records[3][^2..]);
        using var writer = new BottleneckCsv.Writer(_directory.Combine("bad.csv"), ["x"], ["t"], names);
        Assert.Equal("prediction", Assert.Throws<ArgumentOutOfRangeException>(() => writer.WriteRow(0, false, [1f], [1f], 0, 3)).ParamName);
        Assert.Equal("label", Assert.Throws<ArgumentOutOfRangeException>(() => writer.WriteRow(0, false, [1f], [1f], -1, 0)).ParamName);
    }

    [Fact]
    public void LengthsThatDoNotFitAreRejectedNamingTheParameter()
    {
        Dataset data = Dataset.ForClassification("d", 1, [1f, 2f], [0, 1], 2);
        var tap = new TapInfo("t", 0, 2);
        string path = _directory.Combine("bad.csv");
        Assert.Equal("tapValues", Assert.Throws<ArgumentException>(() => BottleneckCsv.Write(path, data, [false, false], tap, [1f, 2f, 3f], [0, 1])).ParamName);
        Assert.Equal("predictions", Assert.Throws<ArgumentException>(() => BottleneckCsv.Write(path, data, [false, false], tap, [1f, 2f, 3f, 4f], [0])).ParamName);
        Assert.Equal("isTest", Assert.Throws<ArgumentException>(() => BottleneckCsv.Write(path, data, [false], tap, [1f, 2f, 3f, 4f], [0, 1])).ParamName);
        using var writer = new BottleneckCsv.Writer(path, ["a"], ["t0"]);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => writer.WriteRow(0, false, [1f, 2f], [1f], 0, 0)).ParamName);
        Assert.Equal("tap", Assert.Throws<ArgumentException>(() => writer.WriteRow(0, false, [1f], [], 0, 0)).ParamName);
    }

    [Fact]
    public void AWriterDisposedWithoutCommitLeavesNoFile()
    {
        string path = _directory.Combine("unfinished.csv");
        using (var writer = new BottleneckCsv.Writer(path, ["a"], ["t0"]))
            writer.WriteRow(0, false, [1f], [2f], 0, 0);
        Assert.Empty(Directory.GetFileSystemEntries(_directory.Path));
    }

    [Fact]
    public void WritingRowsAllocatesAlmostNothingPerRow()
    {
        string path = _directory.Combine("many.csv");
        using var writer = new BottleneckCsv.Writer(path, ["a", "b", "c"], ["t0", "t1"]);
        float[] features = [1.5f, -2.25f, 1e-7f], tap = [0.125f, -0.5f];
        for (int row = 0; row < 1_000; row++) writer.WriteRow(row, row % 3 == 0, features, tap, row % 2, 1); // warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int row = 0; row < 100_000; row++) writer.WriteRow(row, row % 3 == 0, features, tap, row % 2, 1);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        writer.Commit();
        // Nothing per row; the file stream allocates a little per buffer it writes out (about 2 bytes a row here).
        Assert.True(allocated < 4 * 100_000, $"{allocated} bytes allocated for 100,000 rows");
        Assert.Equal(101_000 + 1, File.ReadAllLines(path).Length);
    }
}
