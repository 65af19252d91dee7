using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        if (width > 64)
        {
            for (int r = 0; r < rows.Length; r++)
                source.Slice(rows[r] * width, width).CopyTo(destination.Slice(r * width, width));
            return;
        }
        // Shorter rows without a copy call each and without a value-by-value loop (probe, 64 random rows of 4,096: 13
        // values 403 -> 149 ns, 30 values 450 -> 293 ns, 64 values 563 -> 517 ns; the copy call wins from 128 on):
        // rows of 1, 2, 4 and 8 values move as one block each (the targets of one output, 2-D points, one-hot rows of 4
        // classes, 8 features), other widths as whole blocks of the widest size that fits plus one more ending at the
        // row's end (overlapping the one before: a table's 13 features are two 8-value blocks, 3 one-hot targets two
        // 2-value ones); unchecked after one check of the destination for all rows and of each row index.
        ref float to = ref MemoryMarshal.GetReference(destination[..(rows.Length * width)]);
        ref float from = ref MemoryMarshal.GetReference(source);
        int rowCount = source.Length / width;
        switch (width)
        {
            case 1: GatherBlocks<float>(ref from, rowCount, rows, ref to); break;
            case 2: GatherBlocks<ulong>(ref from, rowCount, rows, ref to); break;
            case 4: GatherBlocks<Vector128<float>>(ref from, rowCount, rows, ref to); break;
            case 8: GatherBlocks<Vector256<float>>(ref from, rowCount, rows, ref to); break;
            case < 4: GatherOverlapping<ulong>(ref from, rowCount, width, rows, ref to); break;
            case < 8: GatherOverlapping<Vector128<float>>(ref from, rowCount, width, rows, ref to); break;
            default: GatherOverlapping<Vector256<float>>(ref from, rowCount, width, rows, ref to); break;
        }
    }

    /// <summary>
    /// Gather for rows the size of one <typeparamref name="TRow"/>, each read and written as one value: apart from
    /// GatherOverlapping (which moves the same rows when given their width) because here a row's offset is a shift by a
    /// constant, with no loop per row, on the seed net's path (rows of 2 and targets of 1, every batch).
    /// </summary>
    private static void GatherBlocks<TRow>(ref float from, int rowCount, ReadOnlySpan<int> rows, ref float to)
        where TRow : unmanaged
    {
        ref byte source = ref Unsafe.As<float, byte>(ref from);
        ref byte destination = ref Unsafe.As<float, byte>(ref to);
        for (int r = 0; r < rows.Length; r++)
        {
            // Byte offsets in nint: a data set of more than 2³¹ bytes has rows past an int's reach.
            TRow row = Unsafe.ReadUnaligned<TRow>(ref Unsafe.Add(ref source, (nint)CheckedRow(rows[r], rowCount) * Unsafe.SizeOf<TRow>()));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, (nint)r * Unsafe.SizeOf<TRow>()), row);
        }
    }

    /// <summary>
    /// Gather for rows longer than one <typeparamref name="TRow"/>: the row's whole blocks from its start, then one block
    /// ending at its end (overlapping the one before unless the width is a multiple of the block).
    /// </summary>
    private static void GatherOverlapping<TRow>(ref float from, int rowCount, int width, ReadOnlySpan<int> rows, ref float to)
        where TRow : unmanaged
    {
        int block = Unsafe.SizeOf<TRow>() / sizeof(float), last = width - block;
        for (int r = 0; r < rows.Length; r++)
        {
            ref byte source = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref from, (nint)CheckedRow(rows[r], rowCount) * width));
            ref byte destination = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref to, (nint)r * width));
            for (int i = 0; i < last; i += block)
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, i * sizeof(float)), Unsafe.ReadUnaligned<TRow>(ref Unsafe.Add(ref source, i * sizeof(float))));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, last * sizeof(float)), Unsafe.ReadUnaligned<TRow>(ref Unsafe.Add(ref source, last * sizeof(float))));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CheckedRow(int row, int rowCount)
    {
        if ((uint)row >= (uint)rowCount) ThrowRowOutOfRange(row, rowCount);
        return row;
    }

    [DoesNotReturn]
    private static void ThrowRowOutOfRange(int row, int rowCount) =>
        throw new ArgumentOutOfRangeException("rows", row, $"The source has {rowCount} rows.");
}
