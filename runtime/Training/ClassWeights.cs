using System;
using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>
/// Class weights for imbalanced labels (<see cref="TrainingOptions.ClassWeights"/>): each row's loss counts
/// weight[label] times, and a batch's gradient is the weighted sum divided by the sum of its rows' weights (the
/// weighted mean, as PyTorch's <c>CrossEntropyLoss(weight=…)</c>).
/// </summary>
public static class ClassWeights
{
    /// <summary>
    /// scikit-learn's "balanced" weights: rows / (classes · rows of the class), so every class carries the same
    /// total weight; 1 for a class without rows.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="train"/> is not a classification set.</exception>
    public static float[] Balanced(Dataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Task != TaskKind.Classification)
            throw new ArgumentException($"Data set '{train.Name}' is a regression set; class weights need class labels.", nameof(train));
        var counts = new int[train.ClassCount];
        foreach (int label in train.Labels) counts[label]++;
        var weights = new float[train.ClassCount];
        for (int c = 0; c < weights.Length; c++)
            weights[c] = counts[c] == 0 ? 1f : (float)((double)train.Count / (train.ClassCount * counts[c]));
        return weights;
    }
}
