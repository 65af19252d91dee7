using System;
using System.Globalization;

namespace HiddenSpace;

/// <summary>
/// A data file that cannot be read as a data set. The message names the file, the line and the column
/// (when one applies) and says what is wrong; the same facts are available as properties.
/// </summary>
public sealed class DataFormatException : FormatException
{
    /// <summary>An error at <paramref name="row"/> (a 1-based line number) in column <paramref name="column"/> of <paramref name="path"/>.</summary>
    /// <param name="path">The file or source name.</param>
    /// <param name="row">The 1-based line number in the file, or null when the error concerns no single line.</param>
    /// <param name="column">The column name, or null when the error concerns no single column.</param>
    /// <param name="detail">What is wrong and, where it helps, how to fix it.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public DataFormatException(string path, int? row, string? column, string detail, Exception? innerException = null)
        : base(Compose(path, row, column, detail), innerException)
    {
        Path = path;
        Row = row;
        Column = column;
        Detail = detail;
    }

    /// <summary>The file or source name.</summary>
    public string Path { get; }

    /// <summary>The 1-based line number in the file (where the offending field starts), or null.</summary>
    public int? Row { get; }

    /// <summary>The column name, or null.</summary>
    public string? Column { get; }

    /// <summary>The message without the location prefix.</summary>
    public string Detail { get; }

    private static string Compose(string path, int? row, string? column, string detail)
    {
        string location = path;
        if (row is int line) location += ", line " + line.ToString(CultureInfo.InvariantCulture);
        if (column is not null) location += ", column '" + column + "'";
        return location + ": " + detail;
    }
}
