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
public sealed record CsvLoadOptions(
    string LabelColumn = "label",
    TaskKind Task = TaskKind.Classification,
    IReadOnlyList<string>? FeatureColumns = null)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that cannot work with any file.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(LabelColumn))
            throw new ArgumentException("The label column name is empty.", nameof(LabelColumn));
        if (!Enum.IsDefined(Task))
            throw new ArgumentOutOfRangeException(nameof(Task), Task, "Not a defined TaskKind.");
        if (FeatureColumns is null) return;
        if (FeatureColumns.Count == 0)
            throw new ArgumentException("The feature column list is empty; pass null to use every column except the label.", nameof(FeatureColumns));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string? name in FeatureColumns)
        {
            if (string.IsNullOrWhiteSpace(name))
                throw new ArgumentException("The feature column list holds an empty name.", nameof(FeatureColumns));
            if (name == LabelColumn)
                throw new ArgumentException($"'{name}' is the label column; it cannot also be a feature.", nameof(FeatureColumns));
            if (!seen.Add(name))
                throw new ArgumentException($"The feature column list names '{name}' twice.", nameof(FeatureColumns));
        }
    }
}
