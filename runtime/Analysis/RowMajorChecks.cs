using System;

namespace HiddenSpace;

/// <summary>The argument check shared by the linear probe and the linear fit when they score row-major features.</summary>
internal static class RowMajorChecks
{
    /// <summary>Throws unless there is at least one row and the features hold exactly rows × dimension values.</summary>
    public static void CheckRows(int featureLength, int rows, int dimension, string measure, string rowNoun, string rowsParameter)
    {
        if (rows == 0)
            throw new ArgumentException($"{measure} needs at least one row.", rowsParameter);
        if (featureLength != rows * dimension)
            throw new ArgumentException($"{featureLength} feature values for {rows} {rowNoun} of dimension {dimension}; expected {rows * dimension}.", "features");
    }
}
