using System;
using System.Collections.Generic;
using System.Globalization;

namespace HiddenSpace;

/// <summary>The kinds of <see cref="DataFormatException"/> whose fix a caller may want to phrase in its own terms.</summary>
public enum DataFormatProblem
{
    /// <summary>Any problem not listed below; its fix, if any, is part of <see cref="DataFormatException.Detail"/>.</summary>
    Other,
    /// <summary>The label column named in the options is not in the header.</summary>
    MissingLabelColumn,
    /// <summary>A class label is not a whole number; the column may hold real-valued (regression) targets.</summary>
    FractionalLabel,
    /// <summary>The first data row holds text in a feature column: the column is likely an id or a name, to leave out.</summary>
    TextInFeatureColumn,
    /// <summary>A column the options leave out is not in the header.</summary>
    MissingIgnoredColumn,
    /// <summary>A feature, target or label field is empty or holds a missing-value marker (<c>?</c>, <c>NA</c>, <c>NaN</c>, ...).</summary>
    MissingValue,
    /// <summary>The path is a pipe or a device, which cannot be read more than once; the data must be saved to a file.</summary>
    NotAFile,
}

/// <summary>
/// A data file that cannot be read as a data set. The message names the file, the line and the column
/// (when one applies) and says what is wrong; the same facts are available as properties. Where the fix is
/// a setting of this library (an option to change), it is kept apart in <see cref="Fix"/>, so that a program
/// built on the library (a command line) can name its own setting instead.
/// </summary>
public sealed class DataFormatException : FormatException
{
    /// <summary>An error at <paramref name="row"/> (a 1-based line number) in column <paramref name="column"/> of <paramref name="path"/>.</summary>
    /// <param name="path">The file or source name.</param>
    /// <param name="row">The 1-based line number in the file, or null when the error concerns no single line.</param>
    /// <param name="column">The column name, or null when the error concerns no single column.</param>
    /// <param name="detail">What is wrong and, where it helps, how to fix it in the file.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    /// <param name="problem">The kind of problem, for callers that phrase <paramref name="fix"/> in their own terms.</param>
    /// <param name="fix">The library setting that fixes it (e.g. "Name the label column in CsvLoadOptions.LabelColumn."), or null.</param>
    /// <param name="columns">Every column the problem concerns when there are several (<paramref name="column"/> first), or null.</param>
    public DataFormatException(string path, int? row, string? column, string detail, Exception? innerException = null,
        DataFormatProblem problem = DataFormatProblem.Other, string? fix = null, IReadOnlyList<string>? columns = null)
        : base(Compose(path, row, column, detail, fix), innerException)
    {
        Columns = columns ?? (column is null ? [] : [column]);
        Path = path;
        Row = row;
        Column = column;
        Detail = detail;
        Problem = problem;
        Fix = fix;
    }

    /// <summary>The file or source name.</summary>
    public string Path { get; }

    /// <summary>The 1-based line number in the file (where the offending field starts), or null.</summary>
    public int? Row { get; }

    /// <summary>The column name, or null.</summary>
    public string? Column { get; }

    /// <summary>Every column the problem concerns: <see cref="Column"/> and any others like it (e.g. each feature column whose first row holds text); empty when none.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>What is wrong: the message without the location prefix and without <see cref="Fix"/>.</summary>
    public string Detail { get; }

    /// <summary>The kind of problem.</summary>
    public DataFormatProblem Problem { get; }

    /// <summary>The library setting that fixes the problem, in this library's terms; null when the fix is in the file.</summary>
    public string? Fix { get; }

    /// <summary>"path, line 3, column 'x1'": where the problem is.</summary>
    public string Location => LocationOf(Path, Row, Column);

    private static string Compose(string path, int? row, string? column, string detail, string? fix) =>
        LocationOf(path, row, column) + ": " + detail + (fix is null ? "" : " " + fix);

    private static string LocationOf(string path, int? row, string? column)
    {
        string location = path;
        if (row is int line) location += ", line " + line.ToString(CultureInfo.InvariantCulture);
        if (column is not null) location += ", column '" + column + "'";
        return location;
    }
}
