using System;

namespace HiddenSpace;

// Evaluation: a network's mean loss and accuracy on a data set, through its batch path.
public static partial class Trainer
{
    /// <summary>Mean loss and accuracy (NaN for regression) of <paramref name="network"/> on <paramref name="data"/>.</summary>
    public static (double Loss, double Accuracy) Evaluate<TNetwork>(TNetwork network, Dataset data) where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        return Evaluate(network, data, data.TargetsFor(network.Shape), EvaluationBuffer(network.Shape));
    }

    private static (double Loss, double Accuracy) Evaluate<TNetwork>(TNetwork network, Dataset data, float[] targets, float[] output)
        where TNetwork : INetwork
    {
        (double loss, int correct) = EvaluateRows(network, data, targets, output, 0, data.Count);
        return Averages(data, loss, correct);
    }

    private static (double Loss, double Accuracy) Averages(Dataset data, double lossSum, int correct) =>
        data.Count == 0 ? (double.NaN, double.NaN)
        : (lossSum / data.Count, data.Task == TaskKind.Classification ? (double)correct / data.Count : double.NaN);

    /// <summary>Rows a ForwardBatch call covers when evaluating (whole lane groups, so generated networks use their lane form).</summary>
    private const int EvaluationRows = 256;

    private static float[] EvaluationBuffer(NetworkShape shape) => new float[EvaluationRows * shape.Outputs];

    /// <summary>Sum of losses and number of correct predictions over rows [from, to), <see cref="EvaluationRows"/> rows a batch.</summary>
    private static (double LossSum, int Correct) EvaluateRows<TNetwork>(TNetwork network, Dataset data, float[] targets, float[] outputBuffer, int from, int to)
        where TNetwork : INetwork
    {
        int inputs = data.FeatureCount, outputs = network.Shape.Outputs;
        Loss kind = network.Shape.Loss;
        bool classify = data.Task == TaskKind.Classification;
        double loss = 0;
        int correct = 0;
        for (int start = from; start < to; start += EvaluationRows)
        {
            int rows = Math.Min(EvaluationRows, to - start);
            Span<float> batch = outputBuffer.AsSpan(0, rows * outputs);
            ReadOnlySpan<float> batchTargets = targets.AsSpan(start * outputs, rows * outputs);
            network.ForwardBatch(data.Features.Slice(start * inputs, rows * inputs), batch);
            for (int r = 0; r < rows; r++)
                loss += Metrics.RowLoss(kind, batch.Slice(r * outputs, outputs), batchTargets.Slice(r * outputs, outputs));
            if (classify) correct += Metrics.CountCorrect(batch, batchTargets, outputs);
        }
        return (loss, correct);
    }
}
