using System;

namespace HiddenSpace;

/// <summary>The argument checks shared by the linear probe and the linear fit.</summary>
internal static class LinearModelChecks
{
    /// <summary>Throws unless there is at least one row and the features hold exactly rows × dimension values.</summary>
    public static void CheckRows(int featureLength, int rows, int dimension, string measure, string rowNoun, string rowsParameter)
    {
        if (rows == 0)
            throw new ArgumentException($"{measure} needs at least one row.", rowsParameter);
        if (featureLength != rows * dimension)
            throw new ArgumentException($"{featureLength} feature values for {rows} {rowNoun} of dimension {dimension}; expected {rows * dimension}.", "features");
    }

    /// <summary>Throws naming the row and column of the first value of row-major <paramref name="features"/> that is not finite.</summary>
    public static void CheckFinite(ReadOnlySpan<float> features, int dimension)
    {
        for (int i = 0; i < features.Length; i++)
            if (!float.IsFinite(features[i]))
                throw new ArgumentException($"Feature value at row {i / dimension}, column {i % dimension} is {features[i]}; features must be finite.", nameof(features));
    }

    /// <summary>
    /// Throws unless <paramref name="train"/> and <paramref name="test"/> are both of <paramref name="task"/> and have
    /// the same features; <paramref name="need"/> ends the message for a set of the other task (e.g. "a probe needs class labels").
    /// </summary>
    public static void CheckSplits(Dataset train, Dataset test, TaskKind task, string need)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        string other = task == TaskKind.Classification ? "regression" : "classification";
        if (train.Task != task)
            throw new ArgumentException($"Data set '{train.Name}' is a {other} set; {need}.", nameof(train));
        if (test.Task != task)
            throw new ArgumentException($"Data set '{test.Name}' is a {other} set; {need}.", nameof(test));
        if (test.FeatureCount != train.FeatureCount)
            throw new ArgumentException($"The test set has {test.FeatureCount} features but the training set has {train.FeatureCount}.", nameof(test));
    }
}
