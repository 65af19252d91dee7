using System;
using System.Collections.Generic;

namespace HiddenSpace;

/// <summary>
/// Accumulates a batch's class-weighted gradient: the batch's rows are grouped by class (their order within the
/// batch changes, not the batch), each class's rows are accumulated on their own and added into the gradient
/// scaled by the class weight.
/// </summary>
internal sealed class ClassWeightedBatches
{
    private readonly IReadOnlyList<float> _weights;
    private readonly int[] _labels;     // [training rows]
    private readonly int[] _grouped;    // [batch], scratch
    private readonly int[] _classStart; // [classes + 1], scratch
    private readonly float[] _sum;      // [parameters], the weighted gradient

    public ClassWeightedBatches(IReadOnlyList<float> weights, Dataset train, int batchSize, int parameterCount)
    {
        if (train.Task != TaskKind.Classification)
            throw new ArgumentException($"Class weights need class labels; data set '{train.Name}' is a regression set.", nameof(TrainingOptions.ClassWeights));
        if (weights.Count != train.ClassCount)
            throw new ArgumentException($"{weights.Count} class weights for the {train.ClassCount} classes of data set '{train.Name}'.", nameof(TrainingOptions.ClassWeights));
        _weights = weights;
        _labels = train.Labels.ToArray();
        _grouped = new int[batchSize];
        _classStart = new int[weights.Count + 1];
        _sum = new float[parameterCount];
    }

    /// <summary>
    /// Sorts order[start, start + rows) by class (stable), accumulates each class with <paramref name="accumulate"/>
    /// (start, rows → loss sum, adding into <paramref name="gradients"/>) and leaves the weighted gradient sum in
    /// <paramref name="gradients"/>. Returns the unweighted loss sum and the sum of the rows' weights.
    /// </summary>
    public (float Loss, float WeightSum) Accumulate(int[] order, int start, int rows, Span<float> gradients, Func<int, int, float> accumulate)
    {
        Span<int> batch = order.AsSpan(start, rows);
        Span<int> classStart = _classStart;
        classStart.Clear();
        foreach (int row in batch) classStart[_labels[row] + 1]++;
        for (int c = 1; c < classStart.Length; c++) classStart[c] += classStart[c - 1];
        for (int i = 0; i < batch.Length; i++)
        {
            int label = _labels[batch[i]];
            _grouped[classStart[label]++] = batch[i];
        }
        // classStart[c] now holds the end of class c's run; runs are in class order.
        _grouped.AsSpan(0, rows).CopyTo(batch);
        _sum.AsSpan().Clear();
        float loss = 0, weightSum = 0;
        for (int c = 0, runStart = 0; c < _weights.Count; c++)
        {
            int runRows = classStart[c] - runStart;
            if (runRows == 0) continue;
            gradients.Clear();
            loss += accumulate(start + runStart, runRows);
            float weight = _weights[c];
            for (int i = 0; i < _sum.Length; i++) _sum[i] += weight * gradients[i];
            weightSum += weight * runRows;
            runStart = classStart[c];
        }
        _sum.AsSpan().CopyTo(gradients);
        return (loss, weightSum);
    }
}
