using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using HiddenSpace.Tests.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Data;

/// <summary>
/// Random text, and valid files with a few random edits, through the CSV loader: only
/// <see cref="DataFormatException"/> may escape (never an index, null, range or overflow exception), and
/// nothing hangs. 3,000 cases by default; set HSG_FUZZ_CASES for more.
/// </summary>
public sealed class CsvFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const string Specials = ",,,\"\"\r\n\n \t.-+eE0123456789NaInfy\uFEFF\u00e9\u2212";
    private readonly TempDirectory _directory = new("csvfuzz");

    public void Dispose() => _directory.Dispose();

    private sealed record CsvCase(int Index, string Text, CsvLoadOptions Options, byte[]? FileBytes);

    [Fact]
    public void OnlyDataFormatExceptionsEscape()
    {
        int cases = FuzzRunner.Cases(3000);
        _directory.Create();
        int loaded = 0;
        FuzzRunner.Run(cases, Generate, c =>
        {
            Dataset data;
            if (c.FileBytes is null)
            {
                data = CsvDataLoader.Parse(new StringReader(c.Text), "fuzz.csv", c.Options);
            }
            else
            {
                string path = _directory.Combine("fuzz.csv");
                File.WriteAllBytes(path, c.FileBytes);
                data = CsvDataLoader.Load(path, c.Options);
            }
            Assert.True(data.Count > 0);
            Assert.Equal(data.Count * data.FeatureCount, data.Features.Length);
            loaded++;
        }, c => $"case {c.Index}, options {c.Options}, text \"{FuzzRunner.Escape(c.Text)}\"", typeof(DataFormatException));
        output.WriteLine($"{cases} CSV cases, {loaded} loaded as data sets, the rest rejected with DataFormatException.");
        Assert.True(loaded > cases / 20, $"only {loaded} of {cases} cases were valid files; the generator is not exercising the success path.");
    }

    private static CsvCase Generate(int index)
    {
        var random = new Random(index);
        (string text, string[] columns) = ValidFile(random);
        switch (index % 4)
        {
            case 0: break; // valid as generated (unless the options do not fit)
            case 1:
            case 2:
                text = Mutate(random, text);
                break;
            default:
                text = new string(Enumerable.Range(0, random.Next(80)).Select(_ => Specials[random.Next(Specials.Length)]).ToArray());
                break;
        }
        CsvLoadOptions options = random.Next(4) switch
        {
            0 => new CsvLoadOptions(columns[random.Next(columns.Length)], TaskKind.Regression),
            1 => new CsvLoadOptions(FeatureColumns: [columns[random.Next(columns.Length)] + (random.Next(2) == 0 ? "" : "_")]),
            _ => new CsvLoadOptions(),
        };
        if (options.FeatureColumns?[0] == "label") options = new CsvLoadOptions();
        byte[]? file = null;
        if (index % 50 == 7)
        {
            file = Encoding.UTF8.GetBytes(text);
            if (file.Length > 0 && random.Next(2) == 0) file[random.Next(file.Length)] = (byte)random.Next(256);
            if (random.Next(2) == 0) file = [0xEF, 0xBB, 0xBF, .. file];
        }
        return new CsvCase(index, text, options, file);
    }

    /// <summary>A file the loader accepts with default options, written in the many ways RFC 4180 allows.</summary>
    private static (string Text, string[] Columns) ValidFile(Random random)
    {
        int features = random.Next(1, 4);
        var columns = Enumerable.Range(0, features).Select(i => "x" + i).ToList();
        columns.Insert(random.Next(columns.Count + 1), "label");
        string lineEnd = random.Next(3) switch { 0 => "\r\n", 1 => "\n", _ => "\r" };
        var text = new StringBuilder();
        if (random.Next(5) == 0) text.Append('\uFEFF');
        text.AppendJoin(',', columns.Select(c => random.Next(4) == 0 ? $"\"{c}\"" : c)).Append(lineEnd);
        int rows = random.Next(2, 7);
        for (int r = 0; r < rows; r++)
        {
            var fields = new List<string>();
            foreach (string column in columns)
                fields.Add(column == "label" ? (r % 2).ToString(CultureInfo.InvariantCulture) : Number(random));
            text.AppendJoin(',', fields.Select(f => random.Next(5) == 0 ? $" \"{f}\" " : f));
            if (r < rows - 1 || random.Next(2) == 0) text.Append(lineEnd);
        }
        return (text.ToString(), columns.ToArray());
    }

    private static string Number(Random random)
    {
        double value = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 6));
        return random.Next(4) switch
        {
            0 => value.ToString("E3", CultureInfo.InvariantCulture),
            1 => " " + value.ToString("R", CultureInfo.InvariantCulture) + "\t",
            _ => value.ToString("G6", CultureInfo.InvariantCulture),
        };
    }

    private static string Mutate(Random random, string text)
    {
        var chars = new StringBuilder(text);
        for (int edits = random.Next(1, 5); edits > 0; edits--)
        {
            int at = random.Next(chars.Length + 1);
            switch (random.Next(5))
            {
                case 0:
                    chars.Insert(at, Specials[random.Next(Specials.Length)]);
                    break;
                case 1 when at < chars.Length:
                    chars.Remove(at, random.Next(1, Math.Min(6, chars.Length - at) + 1));
                    break;
                case 2 when at < chars.Length:
                    chars[at] = Specials[random.Next(Specials.Length)];
                    break;
                case 3 when at < chars.Length:
                    chars.Insert(at, chars.ToString(at, random.Next(1, Math.Min(20, chars.Length - at) + 1)));
                    break;
                case 4:
                    chars.Length = at;
                    break;
            }
        }
        return chars.ToString();
    }
}
