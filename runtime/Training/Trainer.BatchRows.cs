using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HiddenSpace;

public static partial class Trainer
{
    /// <summary>
    /// The in-memory trainer's batches: the epoch's row order, each batch's rows gathered into contiguous buffers and
    /// accumulated (split across the workers when the batch is large enough), and, for classification, the rows the
    /// batch's forward pass predicted right, counted from the outputs it returns.
    /// </summary>
    private sealed class BatchRows<TNetwork>(TNetwork network, DataParallel? parallel, int parallelThreshold, Dataset data, float[] targets, int batchSize)
        where TNetwork : INetwork
    {
        private readonly int _inputs = data.FeatureCount, _outputs = network.Shape.Outputs;
        private readonly float[] _inputRows = new float[batchSize * data.FeatureCount];
        private readonly float[] _targetRows = new float[batchSize * network.Shape.Outputs];
        private readonly float[]? _outputRows = data.Task == TaskKind.Classification ? new float[batchSize * network.Shape.Outputs] : null;

        /// <summary>Row indices in training order; the trainer shuffles it every epoch.</summary>
        public int[] Order { get; } = new int[data.Count];

        /// <summary>Rows predicted right since the trainer last set it to 0.</summary>
        public int Correct { get; set; }

        /// <summary>Adds the gradients of rows Order[start, start + rows) into the network's; returns their loss sum.</summary>
        public float Accumulate(int start, int rows)
        {
            int inputs = _inputs, outputs = _outputs;
            float loss;
            if (parallel is not null && rows >= parallelThreshold)
            {
                loss = parallel.AccumulateBatchGradients(data, targets, Order.AsMemory(start, rows), _inputRows, _targetRows, _outputRows);
            }
            else
            {
                Gather(data.Features, inputs, Order.AsSpan(start, rows), _inputRows);
                Gather(targets, outputs, Order.AsSpan(start, rows), _targetRows);
                loss = network.AccumulateBatchGradients(_inputRows.AsSpan(0, rows * inputs), _targetRows.AsSpan(0, rows * outputs),
                    _outputRows is null ? default : _outputRows.AsSpan(0, rows * outputs));
            }
            if (_outputRows is not null)
                Correct += Metrics.CountCorrect(_outputRows.AsSpan(0, rows * outputs), _targetRows.AsSpan(0, rows * outputs), outputs);
            return loss;
        }
    }

    /// <summary>destination row r = source row rows[r], rows of <paramref name="width"/> values.</summary>
    private static void Gather(ReadOnlySpan<float> source, int width, ReadOnlySpan<int> rows, Span<float> destination)
    {
        if (width >= 16)
        {
            for (int r = 0; r < rows.Length; r++)
                source.Slice(rows[r] * width, width).CopyTo(destination.Slice(r * width, width));
            return;
        }
        // Narrow rows element by element, too short for a copy call per row to pay off; unchecked after one check of
        // the destination for all rows and of each row index.
        ref float to = ref MemoryMarshal.GetReference(destination[..(rows.Length * width)]);
        ref float from = ref MemoryMarshal.GetReference(source);
        int rowCount = source.Length / width;
        for (int r = 0; r < rows.Length; r++)
        {
            int row = rows[r];
            if ((uint)row >= (uint)rowCount) throw new ArgumentOutOfRangeException(nameof(rows), row, $"The source has {rowCount} rows.");
            ref float sourceRow = ref Unsafe.Add(ref from, row * width);
            ref float destinationRow = ref Unsafe.Add(ref to, r * width);
            for (int i = 0; i < width; i++) Unsafe.Add(ref destinationRow, i) = Unsafe.Add(ref sourceRow, i);
        }
    }
}
