using System;
using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>How <see cref="CsvDataLoader"/> turns the columns of a CSV file into a <see cref="Dataset"/>.</summary>
/// <param name="LabelColumn">Name of the column holding the class label (classification) or the target value (regression).</param>
/// <param name="Task">Whether the label column holds class numbers or real-valued targets.</param>
/// <param name="FeatureColumns">
/// The feature columns, in the order the network takes them; null for every column except the label
/// column, in file order. Columns that are neither features nor the label are not parsed, so they may
/// hold text (an id, a name).
/// </param>
/// <param name="IgnoredColumns">
/// Columns to leave out when <paramref name="FeatureColumns"/> is null (an id, a name: columns of text that are not
/// features); every other column except the label is a feature. Null or empty to leave none out.
/// </param>
/// <param name="SkipRowsWithMissingValues">
/// Leave out every row with a missing value in a feature or the label column — a field that is empty or one of the
/// usual markers <c>?</c>, <c>NA</c>, <c>N/A</c>, <c>#N/A</c>, <c>NaN</c>, <c>null</c>, <c>None</c> (any case) —
/// instead of stopping at the first (the default). The rows kept keep their place in the file as
/// <see cref="Dataset.SourceRow"/>; <see cref="CsvDataStream.SkippedRows"/> counts the others.
/// </param>
public sealed record CsvLoadOptions(
    string LabelColumn = "label",
    TaskKind Task = TaskKind.Classification,
    IReadOnlyList<string>? FeatureColumns = null,
    IReadOnlyList<string>? IgnoredColumns = null,
    bool SkipRowsWithMissingValues = false)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that cannot work with any file.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(LabelColumn))
            throw new ArgumentException("The label column name is empty.", nameof(LabelColumn));
        if (!Enum.IsDefined(Task))
            throw new ArgumentOutOfRangeException(nameof(Task), Task, "Not a defined TaskKind.");
        if (IgnoredColumns is { Count: > 0 })
        {
            if (FeatureColumns is not null)
                throw new ArgumentException("Both the feature columns and columns to leave out are given; name the features, or the columns to leave out, not both.", nameof(IgnoredColumns));
            CheckNames(IgnoredColumns, "column to leave out", nameof(IgnoredColumns));
        }
        if (FeatureColumns is null) return;
        if (FeatureColumns.Count == 0)
            throw new ArgumentException("The feature column list is empty; pass null to use every column except the label.", nameof(FeatureColumns));
        CheckNames(FeatureColumns, "feature column", nameof(FeatureColumns));
    }

    private void CheckNames(IReadOnlyList<string> names, string what, string parameterName)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string? name in names)
        {
            if (string.IsNullOrWhiteSpace(name))
                throw new ArgumentException($"The {what} list holds an empty name.", parameterName);
            if (name == LabelColumn)
                throw new ArgumentException($"'{name}' is the label column; it cannot also be a {what}.", parameterName);
            if (!seen.Add(name))
                throw new ArgumentException($"The {what} list names '{name}' twice.", parameterName);
        }
    }
}
