using System;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace HiddenSpace.Tests.Data;

/// <summary>Every documented error with its line and column, and the RFC 4180 features a real file uses.</summary>
public sealed class CsvDataLoaderTests : IDisposable
{
    private readonly TempDirectory _directory = new("csv");

    public void Dispose() => _directory.Dispose();

    private static Dataset Parse(string text, CsvLoadOptions? options = null) =>
        CsvDataLoader.Parse(new StringReader(text), "data.csv", options);

    private static DataFormatException ParseError(string text, int? row, string? column, string fragment, CsvLoadOptions? options = null)
    {
        var error = Assert.Throws<DataFormatException>(() => Parse(text, options));
        Assert.Equal("data.csv", error.Path);
        Assert.Equal(row, error.Row);
        Assert.Equal(column, error.Column);
        string location = "data.csv" + (row is null ? "" : $", line {row}") + (column is null ? "" : $", column '{column}'") + ": ";
        Assert.StartsWith(location, error.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        return error;
    }

    private string WriteFile(string name, byte[] bytes)
    {
        _directory.Create();
        string path = _directory.Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    // ---- errors ----

    [Fact]
    public void TooFewFieldsNamesTheFirstMissingColumn() =>
        ParseError("x1,x2,label\n1,2,0\n3,4\n", 3, "label", "the row has 2 fields but the header has 3 columns");

    [Fact]
    public void TooManyFieldsNamesTheExtraField() =>
        ParseError("x1,x2,label\n1,2,0\n3,4,1,5\n", 3, null, "the row has 4 fields but the header has 3 columns; field 4");

    [Fact]
    public void NonNumericValue() =>
        ParseError("x1,x2,label\n1,2,0\n3,abc,1\n", 3, "x2", "'abc' is not a number");

    [Fact]
    public void DecimalCommaIsNotANumber() =>
        ParseError("x1,x2,label\n\"1,5\",2,0\n", 2, "x1", "'1,5' is not a number");

    [Fact]
    public void EmptyValueIsMissing() =>
        ParseError("x1,x2,label\n1,2,0\n3, ,1\n", 3, "x2", "the value is missing");

    [Fact]
    public void NaNIsRejected() =>
        Assert.Equal(DataFormatProblem.MissingValue, ParseError("x1,x2,label\n1,NaN,0\n", 2, "x2", "'NaN' marks a missing value. To leave out the rows with a missing value, set CsvLoadOptions.SkipRowsWithMissingValues.").Problem);

    [Fact]
    public void InfinityIsRejected() =>
        ParseError("x1,x2,label\n-Infinity,1,0\n", 2, "x1", "'-Infinity' is not a finite number");

    [Fact]
    public void ValueBeyondTheFloatRangeIsRejected() =>
        ParseError("x1,x2,label\n1,2,0\n1e39,2,1\n", 3, "x1", "'1e39' is beyond the float range");

    [Fact]
    public void NonFiniteRegressionTargetIsRejected() =>
        ParseError("x,y\n1,2\n2,nan\n", 3, "y", "'nan' marks a missing target.", new CsvLoadOptions("y", TaskKind.Regression));

    [Fact]
    public void MissingRegressionTarget() =>
        ParseError("x,y\n1,\n", 2, "y", "the target is missing", new CsvLoadOptions("y", TaskKind.Regression));

    [Fact]
    public void FractionalLabel() =>
        ParseError("x,label\n1,0\n2,1.5\n", 3, "label", "label '1.5' is not a whole number");

    [Fact]
    public void NegativeLabel() =>
        ParseError("x,label\n1,0\n2,-1\n", 3, "label", "label '-1' is negative");

    [Fact]
    public void ANameAmongNumberLabelsNamesBothLines() =>
        ParseError("x,label\n1,0\n2,1\n3,cat\n", 4, "label",
            "label 'cat' is not a number, but the labels are numbers (the first, on line 2, is '0'); a label column holds either the whole numbers 0, 1, 2, ... or names, not both.");

    [Fact]
    public void ANumberAmongNameLabelsNamesBothLines() =>
        ParseError("x,label\n1,cat\n2,dog\n3,2\n", 4, "label",
            "label '2' is a number, but the labels are names (the first, on line 2, is 'cat'); a label column holds either names or the whole numbers 0, 1, 2, ..., not both.");

    [Fact]
    public void AMissingValueMarkerIsNeverAClassName() =>
        Assert.Equal(DataFormatProblem.MissingValue, ParseError("x,label\n1,cat\n2,?\n", 3, "label", "'?' marks a missing label.").Problem);

    [Fact]
    public void OneNameForEveryRowIsOneClass() =>
        ParseError("x,label\n1,cat\n2, cat\n", null, "label", "every row has label 'cat'; classification needs at least two classes");

    [Fact]
    public void AColumnOfIdsIsNotALabelColumn()
    {
        var text = new StringBuilder("x,label\n");
        for (int r = 0; r <= CsvSchema.MaxClassNames; r++) text.Append("1,id").Append(r).Append('\n');
        ParseError(text.ToString(), CsvSchema.MaxClassNames + 2, "label", $"label 'id{CsvSchema.MaxClassNames}' is the 65537th different name in the column");
    }

    [Fact]
    public void MissingLabel() =>
        ParseError("x,label\n1,0\n2,\n", 3, "label", "the label is missing");

    [Fact]
    public void HugeLabel() =>
        ParseError("x,label\n1,0\n2,3e9\n", 3, "label", "label '3e9' is too large");

    [Fact]
    public void ClassWithoutRowsIsNamed() =>
        ParseError("x,label\n1,0\n2,3\n3,1\n", null, "label", "class 2 has no rows. The class count is the largest label + 1 (4, from label 3 on line 3)");

    [Fact]
    public void LabelsNumberedFromOneLeaveClassZeroEmpty() =>
        ParseError("x,label\n1,1\n2,2\n", null, "label", "class 0 has no rows");

    [Fact]
    public void SingleClassIsRejected() =>
        ParseError("x,label\n1,0\n2,0\n", null, "label", "every row has label 0");

    [Fact]
    public void EmptyFile() =>
        ParseError("", null, null, "the file is empty");

    [Fact]
    public void FileOfBlankLinesIsEmpty() =>
        ParseError("\r\n\n\r\n", null, null, "the file is empty");

    [Fact]
    public async System.Threading.Tasks.Task ANamedPipeIsNotAFileAndIsRefusedWithoutWaitingForAWriter()
    {
        if (!OperatingSystem.IsLinux()) return;
        _directory.Create();
        string fifo = _directory.Combine("fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        // Opening the pipe would wait for a writer for ever: a load that has not failed in 30 s (a TimeoutException) is stuck there.
        var error = await Assert.ThrowsAsync<DataFormatException>(() => System.Threading.Tasks.Task.Run(() => CsvDataLoader.Load(fifo)).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(DataFormatProblem.NotAFile, error.Problem);
        Assert.Equal($"{fifo}: this is a pipe or a device, not a file: a data set is read more than once (the encoding, the header and the statistics before the rows), so save it to a file first.", error.Message);
    }

    [Fact]
    public void HeaderOnly() =>
        ParseError("\nx1,x2,label\n\n", null, null, "the file has a header (line 2) but no data rows");

    [Theory]
    [InlineData("a;b;label\n1;2;0\n", "'a;b;label': the file looks separated by semicolons, not commas")]
    [InlineData("a\tb\tlabel\n1\t2\t0\n", "the file looks separated by tabs, not commas")]
    [InlineData("a|label\n1|0\n", "the file looks separated by vertical bars, not commas")]
    public void AOneColumnHeaderWithAnotherSeparatorSaysSo(string text, string fragment)
    {
        DataFormatException error = ParseError(text, 1, null, fragment);
        Assert.Equal(DataFormatProblem.Other, error.Problem); // the fix is in the file, not --label
    }

    [Fact]
    public void TextInTheFirstRowNamesEveryFeatureColumnHoldingText()
    {
        // An empty field or NA is missing, not text; the label's text is names, not a feature's.
        DataFormatException error = ParseError("id,x,name,y,z,label\nr0,1,Ann,,NA,cat\n", 2, "id",
            "'r0' is not a number; write numbers like 1.5, -2 or 3e-4, with '.' as the decimal point and no thousands separators. The first row has text in 2 feature columns: 'id', 'name'. If they are not features, leave them out with CsvLoadOptions.IgnoredColumns.");
        Assert.Equal(DataFormatProblem.TextInFeatureColumn, error.Problem);
        Assert.Equal(["id", "name"], error.Columns);

        error = ParseError("x,id,label\n1,r0,0\n", 2, "id", "'r0' is not a number; write numbers like 1.5, -2 or 3e-4, with '.' as the decimal point and no thousands separators. If the column is not a feature, leave it out with CsvLoadOptions.IgnoredColumns.");
        Assert.Equal(["id"], error.Columns);
        // Text after the first row is a bad value in a column of numbers.
        error = ParseError("x,label\n1,0\nabc,1\n", 3, "x", "'abc' is not a number");
        Assert.Equal(DataFormatProblem.Other, error.Problem);
        Assert.Null(error.Fix);
    }

    [Fact]
    public void IgnoredColumnsAreLeftOutAndMustExist()
    {
        Dataset data = Parse("id,name,x,label\nr0,Ann,1,0\nr1,Bob,2,1\n", new CsvLoadOptions(IgnoredColumns: ["name", "id"]));
        Assert.Equal(["x"], data.FeatureNames);
        Assert.Equal([1f, 2f], data.Features.ToArray());

        DataFormatException error = ParseError("x,label\n1,0\n", 1, "id", "the options leave this column out but the file has no such column; the columns are 'x', 'label'.",
            new CsvLoadOptions(IgnoredColumns: ["id"]));
        Assert.Equal(DataFormatProblem.MissingIgnoredColumn, error.Problem);
        ParseError("x,label\n1,0\n", 1, null, "every column but the label column 'label' is left out; a data set needs at least one feature column.",
            new CsvLoadOptions(IgnoredColumns: ["x"]));
    }

    [Theory]
    [InlineData("0.5,1.25,0\n0.75,2,1\n", "the first row (0.5,1.25,0) holds numbers, not column names: the file seems to have no header row. Add one naming the columns, such as 'x1,x2,label'.")]
    [InlineData("0, 0,1\n1,1,0\n", "the first row (0,0,1) holds numbers, not column names: the file seems to have no header row. Add one naming the columns, such as 'x1,x2,label'.")]
    [InlineData("1,2,3,4,5,0\n", "the first row (1,2,3,4,5,0) holds numbers, not column names: the file seems to have no header row. Add one naming the columns, such as 'x1,x2,...,x5,label'.")]
    public void AFileWithoutAHeaderRowIsToldSo(string text, string detail) =>
        Assert.Equal(DataFormatProblem.Other, ParseError(text, 1, null, detail).Problem);

    [Fact]
    public void MissingLabelColumnListsTheColumns() =>
        ParseError("x1,x2,class\n1,2,0\n", 1, "label", "there is no such column; the columns are 'x1', 'x2', 'class'");

    [Fact]
    public void MissingFeatureColumnListsTheColumns() =>
        ParseError("x1,x2,label\n1,2,0\n", 1, "x3", "the columns are 'x1', 'x2', 'label'", new CsvLoadOptions(FeatureColumns: ["x1", "x3"]));

    [Fact]
    public void DuplicateColumnNames() =>
        ParseError("x1,x2, x1 ,label\n1,2,3,0\n", 1, "x1", "appears twice in the header (fields 1 and 3)");

    [Fact]
    public void EmptyColumnName() =>
        ParseError("x1,,label\n1,2,0\n", 1, null, "header field 2 is empty");

    [Fact]
    public void LabelAsTheOnlyColumn() =>
        ParseError("label\n0\n1\n", 1, null, "a data set needs at least one feature column");

    [Fact]
    public void UnterminatedQuoteNamesTheLineWhereItOpens() =>
        ParseError("x1,x2,label\n1,2,0\n3,\"4,1\n5,6,1\n", 3, "x2", "the quote that opens this field is never closed");

    [Fact]
    public void UnterminatedQuoteInTheHeaderNamesTheField() =>
        ParseError("x1,\"x2,label\n", 1, null, "field 2: the quote that opens this field is never closed");

    [Fact]
    public void QuoteInsideAnUnquotedField() =>
        ParseError("x1,x2,label\n1,2\"3,0\n", 2, "x2", "a quote inside an unquoted field");

    [Fact]
    public void TextAfterAClosingQuote() =>
        ParseError("x1,x2,label\n1,\"2\"3,0\n", 2, "x2", "unexpected character '3' (U+0033) after the closing quote");

    [Fact]
    public void LinesAfterAMultiLineFieldAreCountedInTheFile()
    {
        // The quoted note spans lines 2-4, so the bad value on the next record is on line 5.
        const string Text = "note,x,label\n\"first\nsecond\r\nthird\",1,0\nok,oops,1\n";
        ParseError(Text, 5, "x", "'oops' is not a number", new CsvLoadOptions(FeatureColumns: ["x"]));
    }

    [Fact]
    public void ErrorInsideAMultiLineRecordNamesTheLineTheFieldStartsOn() =>
        ParseError("x,y,label\n1,\"2\nx\",0\n", 2, "y", "'2\nx' is not a number");

    [Fact]
    public void MissingFileIsFileNotFoundNamingThePath()
    {
        string path = _directory.Combine("absent.csv");
        var error = Assert.Throws<FileNotFoundException>(() => CsvDataLoader.Load(path));
        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8NamesTheFileAndLine()
    {
        byte[] bytes = [.. "x,label\n1,0\n"u8, 0xFF, 0xFE, .. ",1\n"u8];
        string path = WriteFile("bad.csv", bytes);
        var error = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(path));
        Assert.Equal(path, error.Path);
        Assert.StartsWith(path + ", line ", error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorsFromLoadNameThePath()
    {
        string path = WriteFile("d.csv", "x,label\n1,0\n2,x\n"u8.ToArray());
        var error = Assert.Throws<DataFormatException>(() => CsvDataLoader.Load(path));
        Assert.StartsWith(path + ", line 3, column 'label': label 'x' is not a number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsThatCannotWorkAreArgumentErrors()
    {
        Assert.Throws<ArgumentException>(() => Parse("x,label\n1,0\n", new CsvLoadOptions(FeatureColumns: ["x", "label"])));
        Assert.Throws<ArgumentException>(() => Parse("x,label\n1,0\n", new CsvLoadOptions(FeatureColumns: ["x", "x"])));
        Assert.Throws<ArgumentException>(() => Parse("x,label\n1,0\n", new CsvLoadOptions(FeatureColumns: [])));
        Assert.Throws<ArgumentException>(() => Parse("x,label\n1,0\n", new CsvLoadOptions(" ")));
        Assert.Throws<ArgumentException>(() => Parse("x,label\n1,0\n", new CsvLoadOptions(FeatureColumns: ["x"], IgnoredColumns: ["y"])));
        Assert.Throws<ArgumentException>(() => Parse("x,label\n1,0\n", new CsvLoadOptions(IgnoredColumns: ["label"])));
        Assert.Throws<ArgumentException>(() => Parse("x,label\n1,0\n", new CsvLoadOptions(IgnoredColumns: ["y", "y"])));
        Assert.Throws<ArgumentException>(() => Parse("x,label\n1,0\n", new CsvLoadOptions(IgnoredColumns: [""])));
    }

    // ---- good files ----

    [Fact]
    public void PlainFileLoadsFeaturesLabelsAndNames()
    {
        Dataset data = Parse("x1,x2,label\n1,2,0\n3.5,-4,1\n0,0,2\n");
        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal(3, data.Count);
        Assert.Equal(3, data.ClassCount);
        Assert.Equal(["x1", "x2"], data.FeatureNames);
        Assert.Equal("label", data.TargetName);
        Assert.Equal("data", data.Name);
        Assert.Equal([1f, 2f, 3.5f, -4f, 0f, 0f], data.Features.ToArray());
        Assert.Equal([0, 1, 2], data.Labels.ToArray());
    }

    [Fact]
    public void NameLabelsAreClassesInTheNamesOrdinalOrder()
    {
        // Trimmed, quoted where they hold a comma; ordinal order puts capitals first and does not follow the rows.
        Dataset data = Parse("x,label\n1,dog\n2, cat \n3,\"Bird, small\"\n4,dog\n5,cat\n");
        Assert.Equal(["Bird, small", "cat", "dog"], data.ClassNames);
        Assert.Equal(3, data.ClassCount);
        Assert.Equal([2, 1, 0, 2, 1], data.Labels.ToArray());

        // The same classes whatever order the rows come in, and none of the names' for a column of numbers.
        Assert.Equal(["no", "yes"], Parse("x,label\n1,yes\n2,no\n").ClassNames);
        Assert.Equal([1, 0], Parse("x,label\n1,yes\n2,no\n").Labels.ToArray());
        Assert.Null(Parse("x,label\n1,1\n2,0\n").ClassNames);
    }

    [Fact]
    public void RowsWithMissingValuesAreSkippedOnlyWhenAskedAndKeepTheirPlaceInTheFile()
    {
        // Missing in a feature (empty, ?, NA, N/A, #N/A, NaN, null, None in any case) or in the label; not in an ignored column.
        const string Text = "id,x,y,label\nr0,1,2,0\nr1,,2,1\nr2,3,?,0\n,4,5,1\nr4,6,7,\nr5,na,1,0\nr6,8,n/a,1\nr7,#N/A,1,0\nr8,NaN,1,1\nr9,NULL,1,0\nr10,none,1,1\nr11,9,10,1\n";
        var skipping = new CsvLoadOptions(IgnoredColumns: ["id"], SkipRowsWithMissingValues: true);
        Dataset data = Parse(Text, skipping);
        Assert.Equal([1f, 2f, 4f, 5f, 9f, 10f], data.Features.ToArray());
        Assert.Equal([0, 1, 1], data.Labels.ToArray());
        Assert.Equal([0, 3, 11], Enumerable.Range(0, data.Count).Select(data.SourceRow));
        Dataset subset = data.Subset([2, 0]);
        Assert.Equal([11, 0], Enumerable.Range(0, 2).Select(subset.SourceRow));

        ParseError(Text, 3, "x", "the value is missing", new CsvLoadOptions(IgnoredColumns: ["id"]));
        ParseError("x,label\n,0\n?,1\n", null, null, "every data row (2) has a missing value, so none is left.", skipping with { IgnoredColumns = null });
        Assert.Equal([0, 1], Enumerable.Range(0, 2).Select(Parse("x,label\n1,0\n2,1\n", skipping with { IgnoredColumns = null }).SourceRow));
    }

    [Fact]
    public void QuotedFieldsWithCommasQuotesAndLineBreaks()
    {
        const string Text = "\"name, full\",\"x\",label\r\n\"Smith, \"\"Bob\"\"\nJr.\",\"1.5\",0\r\nplain,2,1\r\n";
        Dataset data = Parse(Text, new CsvLoadOptions(FeatureColumns: ["x"]));
        Assert.Equal([1.5f, 2f], data.Features.ToArray());
        Assert.Equal([0, 1], data.Labels.ToArray());
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r")]
    public void EveryLineEndWithAndWithoutAFinalOne(string lineEnd)
    {
        foreach (string ending in new[] { "", lineEnd, lineEnd + lineEnd })
        {
            Dataset data = Parse(string.Join(lineEnd, "x,label", "1,0", "2,1") + ending);
            Assert.Equal([1f, 2f], data.Features.ToArray());
            Assert.Equal([0, 1], data.Labels.ToArray());
        }
    }

    [Fact]
    public void ByteOrderMarkIsSkippedInFilesAndText()
    {
        string path = WriteFile("bom.csv", [0xEF, 0xBB, 0xBF, .. "label,x\n0,1\n1,2"u8]);
        Dataset fromFile = CsvDataLoader.Load(path);
        Assert.Equal("bom", fromFile.Name);
        Assert.Equal(["x"], fromFile.FeatureNames);
        Assert.Equal([1f, 2f], fromFile.Features.ToArray());

        Dataset fromText = Parse("\uFEFFlabel,x\n0,1\n1,2\n");
        Assert.Equal(["x"], fromText.FeatureNames);
    }

    [Fact]
    public void WhitespaceExponentsSignsAndWholeNumberLabels()
    {
        Dataset data = Parse(" x , y ,label\n  1e-3 ,\t+2.5E+2 , 1.0 \n-.5, 7., \"0\"\n\n");
        Assert.Equal([1e-3f, 250f, -0.5f, 7f], data.Features.ToArray());
        Assert.Equal([1, 0], data.Labels.ToArray());
        Assert.Equal(["x", "y"], data.FeatureNames);
    }

    [Fact]
    public void SpacesAroundAQuotedFieldAreIgnored()
    {
        Dataset data = Parse("x,label\n  \"1\"  ,0\n2, \"1\"\n");
        Assert.Equal([1f, 2f], data.Features.ToArray());
        Assert.Equal([0, 1], data.Labels.ToArray());
    }

    [Fact]
    public void FeatureSubsetTakesTheGivenOrderAndSkipsTextColumns()
    {
        Dataset data = Parse("id,a,b,c,label\nr1,1,2,3,1\nr2,4,5,6,0\n", new CsvLoadOptions(FeatureColumns: ["c", "a"]));
        Assert.Equal(["c", "a"], data.FeatureNames);
        Assert.Equal([3f, 1f, 6f, 4f], data.Features.ToArray());
    }

    [Fact]
    public void RegressionReadsRealTargets()
    {
        Dataset data = Parse("price,area,rooms\n1.5e5,80.5,3\n-2,40,1\n", new CsvLoadOptions("price", TaskKind.Regression));
        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Equal("price", data.TargetName);
        Assert.Equal(["area", "rooms"], data.FeatureNames);
        Assert.Equal([80.5f, 3f, 40f, 1f], data.Features.ToArray());
        Assert.Equal([1.5e5f, -2f], data.Values.ToArray());
    }

    [Fact]
    public void RoundTripsTheMoonsDataSetBitForBit()
    {
        Dataset moons = Datasets.Moons(200, 0.1, seed: 4);
        var text = new StringBuilder("x0,x1,label\n");
        for (int r = 0; r < moons.Count; r++)
            text.Append(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{moons.Row(r)[0]:R},{moons.Row(r)[1]:R},{moons.Labels[r]}\n"));
        Dataset loaded = Parse(text.ToString());
        Assert.Equal(moons.Features.ToArray(), loaded.Features.ToArray());
        Assert.Equal(moons.Labels.ToArray(), loaded.Labels.ToArray());
        Assert.Equal(2, loaded.ClassCount);
    }
}
