using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HiddenSpace;

/// <summary>How outputs turn into class predictions and losses outside the training step.</summary>
public static class Metrics
{
    /// <summary>
    /// The predicted class of one output row: for a single output, 1 when it is ≥ 0.5 (the sigmoid's
    /// decision threshold), else 0; for several outputs, the index of the largest (first on ties).
    /// </summary>
    public static int PredictedClass(ReadOnlySpan<float> output)
    {
        if (output.Length == 0) throw new ArgumentException("An output row needs at least one value.", nameof(output));
        if (output.Length == 1) return Positive(output[0]) ? 1 : 0;
        return Largest(output);
    }

    /// <summary>
    /// Rows of <paramref name="outputs"/> (<paramref name="width"/> values each) whose <see cref="PredictedClass"/> is
    /// their target row's: the label (0 or 1) for one output, the hot class of a one-hot row for several (read as the
    /// row's target at the predicted class being the hot 1: one value a row instead of the whole row's argmax).
    /// </summary>
    internal static int CountCorrect(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int width)
    {
        int correct = 0;
        if (width == 1)
        {
            // Four rows at a time (a trainer counts every batch, and a branch on each row's outcome mispredicts): a row
            // is right when its output and its target are on the same side of 0.5, a NaN output on neither (as in Positive).
            int length = Math.Min(outputs.Length, targets.Length), r = 0;
            if (Vector128.IsHardwareAccelerated)
            {
                Vector128<float> threshold = Vector128.Create(Threshold);
                for (; r <= length - Vector128<float>.Count; r += Vector128<float>.Count)
                {
                    Vector128<float> predicted = Vector128.GreaterThanOrEqual(Vector128.Create(outputs.Slice(r, Vector128<float>.Count)), threshold);
                    Vector128<float> actual = Vector128.GreaterThanOrEqual(Vector128.Create(targets.Slice(r, Vector128<float>.Count)), threshold);
                    correct += Vector128<float>.Count - BitOperations.PopCount(Vector128.Xor(predicted, actual).ExtractMostSignificantBits());
                }
            }
            for (; r < length; r++)
                if (Positive(outputs[r]) == Positive(targets[r])) correct++;
            return correct;
        }
        int row = 0;
        if (Avx2.IsSupported && width >= GatheredFrom)
            correct = CountCorrectEightRows(outputs, targets, width, Math.Min(outputs.Length, targets.Length) / width, out row);
        for (int r = row * width; r + width <= outputs.Length; r += width)
            correct += Positive(targets.Slice(r, width)[Largest(outputs.Slice(r, width))]) ? 1 : 0;
        return correct;
    }

    /// <summary>
    /// Classes from which <see cref="CountCorrect"/> gathers eight rows at a time. Probe on the Zen 5, 4,096 rows in
    /// batches of 32, one row at a time against gathered: 3 classes 20.2 against 7.7 µs, 4 classes 34.3 against 14.1, 5
    /// 50.5 against 11.4, 8 97.8 against 17.3, 10 135.4 against 21.1; 2 classes 9.4 against 14.8 (two gathers a column
    /// cost more than a two-value argmax). With the target read only at the predicted class: 2 classes 7.6 against 7.9.
    /// </summary>
    private const int GatheredFrom = 3;

    /// <summary>
    /// <see cref="CountCorrect"/> for several outputs, eight rows at a time: each row's outputs gathered column by column
    /// (AVX2 gathers), the same argmax as <see cref="Largest"/> lane by lane (a value replaces the best only when it is
    /// larger, so the first wins on ties and a NaN never does), then each row's target at that class gathered and the
    /// hot ones counted from one compare.
    /// Returns the count and sets <paramref name="row"/> to the rows done (a count passed by reference would keep the
    /// caller's one-row loop's count in memory: that loop ran at half speed).
    /// </summary>
    private static unsafe int CountCorrectEightRows(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int width, int rows, out int row)
    {
        int correct = 0, done = 0;
        Vector256<int> offsets = Vector256<int>.Indices * width;
        fixed (float* output = outputs, target = targets)
        {
            for (; done + 8 <= rows; done += 8)
            {
                Vector256<int> at = offsets + Vector256.Create(done * width);
                Vector256<float> bestOutput = Avx2.GatherVector256(output, at, sizeof(float));
                Vector256<int> outputClass = Vector256<int>.Zero;
                for (int k = 1; k < width; k++)
                {
                    Vector256<float> o = Avx2.GatherVector256(output, at + Vector256.Create(k), sizeof(float));
                    Vector256<float> outputLarger = Vector256.GreaterThan(o, bestOutput);
                    bestOutput = Vector256.ConditionalSelect(outputLarger, o, bestOutput);
                    outputClass = Vector256.ConditionalSelect(outputLarger.AsInt32(), Vector256.Create(k), outputClass);
                }
                Vector256<float> hot = Avx2.GatherVector256(target, at + outputClass, sizeof(float));
                correct += BitOperations.PopCount(Vector256.GreaterThanOrEqual(hot, Vector256.Create(Threshold)).ExtractMostSignificantBits());
            }
        }
        row = done;
        return correct;
    }

    /// <summary>The sigmoid's decision threshold, which also tells a label or a one-hot value of 1 from one of 0.</summary>
    private const float Threshold = 0.5f;

    /// <summary>Whether a value is on the positive side of <see cref="Threshold"/>: a single output's class, a label, the hot 1 of a one-hot row.</summary>
    private static bool Positive(float value) => value >= Threshold;

    /// <summary>The index of the largest value (the first on ties; a NaN is never larger).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Largest(ReadOnlySpan<float> output)
    {
        // Without a branch on the comparison: which class wins is the data's, not a pattern the branch predictor
        // learns, and a trainer counts every row of every batch (13-16-16-2-3, 3 classes: a mispredicted branch a row
        // cost more than the row's gather).
        int best = 0;
        for (int j = 1; j < output.Length; j++)
        {
            int larger = Unsafe.BitCast<bool, byte>(output[j] > output[best]);
            best ^= (best ^ j) & -larger;
        }
        return best;
    }

    /// <summary>
    /// The loss of one sample computed from the network's outputs (probabilities, not logits), with
    /// probabilities clamped to [1e-7, 1 − 1e-7] so a saturated output gives a large finite loss.
    /// Training computes the same losses from the logits; the two agree wherever no clamping happens.
    /// </summary>
    public static double LossFromOutput(Loss loss, ReadOnlySpan<float> output, ReadOnlySpan<float> target)
    {
        NetworkArguments.CheckLength(target.Length, output.Length, nameof(target));
        return RowLoss(loss, output, target);
    }

    /// <summary><see cref="LossFromOutput"/> of a row whose target is as long (an evaluation's rows, sliced to one width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double RowLoss(Loss loss, ReadOnlySpan<float> output, ReadOnlySpan<float> target)
    {
        const double Floor = 1e-7;
        double sum = 0;
        for (int j = 0; j < output.Length; j++)
        {
            double a = output[j], t = target[j];
            switch (loss)
            {
                case Loss.BinaryCrossEntropy:
                    a = Math.Clamp(a, Floor, 1 - Floor);
                    // A label of 1 or 0 takes one log: the other term is 0 × a finite log, which adds nothing to the
                    // bits (Trainer.Evaluate of 4,096 rows of the seed net 97.7–99.8 -> 78.1–79.9 µs, probe, Zen 5).
                    sum -= t == 1 ? Math.Log(a) : t == 0 ? Math.Log(1 - a) : t * Math.Log(a) + (1 - t) * Math.Log(1 - a);
                    break;
                case Loss.SoftmaxCrossEntropy:
                    if (t != 0) sum -= t * Math.Log(Math.Max(a, Floor));
                    break;
                default:
                    sum += (a - t) * (a - t);
                    break;
            }
        }
        return loss == Loss.SoftmaxCrossEntropy ? sum : sum / output.Length;
    }

    /// <summary>R² of <paramref name="network"/>'s (single) output against the targets of the regression set <paramref name="data"/>.</summary>
    public static double PredictionRSquared(INetwork network, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        var output = new float[network.Shape.Outputs];
        var predictions = new float[data.Count];
        for (int i = 0; i < data.Count; i++)
        {
            network.Forward(data.Row(i), output);
            predictions[i] = output[0];
        }
        return RSquared(predictions, data.Values);
    }

    /// <summary>Coefficient of determination 1 − SS_res/SS_tot (1 for a perfect fit, 0 for predicting the mean).</summary>
    public static double RSquared(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets)
    {
        NetworkArguments.CheckLength(predictions.Length, targets.Length, nameof(predictions));
        if (targets.Length == 0) throw new ArgumentException("R² needs at least one value.", nameof(targets));
        double mean = 0;
        foreach (float t in targets) mean += t;
        mean /= targets.Length;
        double residual = 0, total = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            residual += (predictions[i] - (double)targets[i]) * (predictions[i] - (double)targets[i]);
            total += (targets[i] - mean) * (targets[i] - mean);
        }
        return total == 0 ? (residual == 0 ? 1 : 0) : 1 - residual / total;
    }
}
