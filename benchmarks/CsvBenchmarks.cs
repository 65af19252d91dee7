using System;
using System.Globalization;
using System.IO;
using System.Text;
using BenchmarkDotNet.Attributes;
using nietras.SeparatedValues;

namespace HiddenSpace.Benchmarks;

/// <summary>
/// Reading a CSV file of 1,000,000 rows × 10 features + label (97 MB, the 10 M-row file of the README cut to a
/// tenth, same value format): the streamed reader's checking pass, the whole in-memory load, and Sep with its own
/// float parser (csFastFloat) as the anchor. Divide 97 MB by the mean for MB/s.
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class CsvBenchmarks
{
    private const int Rows = 1_000_000;
    private string _path = "";

    /// <summary>Writes the file (seeded) to a temporary folder.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"hsg-csv-benchmark-{Rows}.csv");
        if (File.Exists(_path)) return;
        var random = new Random(1);
        using var writer = new StreamWriter(_path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("x0,x1,x2,x3,x4,x5,x6,x7,x8,x9,label\n");
        var row = new StringBuilder();
        for (int r = 0; r < Rows; r++)
        {
            row.Clear();
            double radius = 0;
            for (int f = 0; f < 10; f++)
            {
                double value = Math.Round((random.NextDouble() * 2 - 1) * 1.6, 6);
                if (f < 2) radius += value * value;
                row.Append(value.ToString("0.000000", CultureInfo.InvariantCulture)).Append(',');
            }
            writer.Write(row.Append(radius > 1 ? '1' : '0').Append('\n'));
        }
    }

    /// <summary>Sep splitting the rows and parsing every cell with csFastFloat, summing them: reading without any checks.</summary>
    [Benchmark(Baseline = true)]
    public double SepWithItsFloatParser()
    {
        double sum = 0;
        using SepReader reader = Sep.New(',').Reader(o => o with { CultureInfo = CultureInfo.InvariantCulture }).FromFile(_path);
        foreach (SepReader.Row row in reader)
            for (int c = 0; c < row.ColCount; c++)
                if (row[c].TryParse<float>() is float value) sum += value;
        return sum;
    }

    /// <summary>The streamed reader's first pass: every row checked (quoting, field count, numbers, labels), classes counted.</summary>
    [Benchmark]
    public long StreamedCheckingPass() => CsvDataStream.Open(_path).Count;

    /// <summary>The in-memory loader: the same checks, every value kept.</summary>
    [Benchmark]
    public int InMemoryLoad() => CsvDataLoader.Load(_path).Count;
}
