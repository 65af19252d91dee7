using System;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace HiddenSpace;

/// <summary>
/// A block of rows read from a file: features (raw or standardised, row-major), targets, labels or values, the
/// rows' positions in the file and their split. Which arrays are filled depends on the reader.
/// </summary>
internal sealed class RowBlock
{
    /// <summary>A block of <paramref name="capacity"/> rows of <paramref name="width"/> features and <paramref name="outputs"/> targets.</summary>
    public RowBlock(int capacity, int width, int outputs)
    {
        Capacity = capacity;
        Features = new float[capacity * width];
        Targets = new float[capacity * outputs];
        Labels = new int[capacity];
        Values = new float[capacity];
        Rows = new long[capacity];
        IsTest = new bool[capacity];
    }

    /// <summary>Rows the block can hold.</summary>
    public int Capacity { get; }

    /// <summary>Rows it holds.</summary>
    public int Count { get; set; }

    /// <summary>[Capacity × width] features.</summary>
    public float[] Features { get; }

    /// <summary>[Capacity × outputs] training targets.</summary>
    public float[] Targets { get; }

    /// <summary>[Capacity] class labels (classification).</summary>
    public int[] Labels { get; }

    /// <summary>[Capacity] target values (regression).</summary>
    public float[] Values { get; }

    /// <summary>[Capacity] each row's position among the file's data rows (0 for the first row after the header).</summary>
    public long[] Rows { get; }

    /// <summary>[Capacity] whether each row belongs to the test split.</summary>
    public bool[] IsTest { get; }

    /// <summary>Rows per block for rows of <paramref name="valuesPerRow"/> floats: about 256 K floats (1 MB) a block, at most 4,096 rows.</summary>
    public static int RowsFor(int valuesPerRow) => Math.Clamp((1 << 18) / Math.Max(1, valuesPerRow), 1, 4096);
}

/// <summary>
/// Rows parsed on a background thread and handed to the caller in <see cref="RowBlock"/>s, so parsing (one core)
/// overlaps the caller's work (training or writing, on the other core). A fixed set of blocks circulates: the
/// reader rents a free block, fills it and publishes it; the caller takes it and returns it. Memory is the blocks,
/// whatever the file's size. A failure of the reader is rethrown to the caller; disposing stops the reader.
/// </summary>
internal sealed class RowPipeline : IDisposable
{
    private readonly BlockingCollection<RowBlock> _free = new();
    private readonly BlockingCollection<RowBlock> _full = new();
    private readonly CancellationTokenSource _stop;
    private readonly CancellationToken _callerToken;
    private readonly Thread _thread;
    private ExceptionDispatchInfo? _failure;

    /// <summary>Starts <paramref name="read"/> on a background thread with <paramref name="blocks"/> blocks made by <paramref name="createBlock"/>.</summary>
    public RowPipeline(int blocks, Func<RowBlock> createBlock, Action<RowPipeline, CancellationToken> read, CancellationToken cancellationToken)
    {
        for (int b = 0; b < blocks; b++) _free.Add(createBlock());
        _callerToken = cancellationToken;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CancellationToken stop = _stop.Token;
        _thread = new Thread(() =>
        {
            try
            {
                read(this, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped by the caller: nothing to report.
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                _full.CompleteAdding();
            }
        })
        {
            IsBackground = true,
            Name = "HiddenSpace row reader",
        };
        _thread.Start();
    }

    /// <summary>The next filled block, or null when the reader has finished.</summary>
    /// <exception cref="OperationCanceledException">The caller's token was cancelled.</exception>
    public RowBlock? Take()
    {
        if (_full.TryTake(out RowBlock? block, Timeout.Infinite, _callerToken)) return block;
        _failure?.Throw();
        return null;
    }

    /// <summary>Gives a block back to the reader.</summary>
    public void Return(RowBlock block)
    {
        block.Count = 0;
        _free.Add(block);
    }

    /// <summary>For the reader: a free block to fill (waits while the caller holds them all).</summary>
    public RowBlock Rent(CancellationToken stop) => _free.Take(stop);

    /// <summary>For the reader: hands a filled block to the caller.</summary>
    public void Publish(RowBlock block) => _full.Add(block);

    /// <summary>Stops the reader and waits for its thread.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
        _free.Dispose();
        _full.Dispose();
    }
}
