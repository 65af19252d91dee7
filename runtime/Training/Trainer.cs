using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Numerics;
using System.Threading;
using HiddenSpace.Kernels;

namespace HiddenSpace;

/// <summary>How a training run is set up.</summary>
/// <param name="Epochs">Passes over the training set, ≥ 1.</param>
/// <param name="BatchSize">Samples per update, ≥ 1 (the last batch of an epoch may be smaller).</param>
/// <param name="Optimizer">Update rule and hyper-parameters.</param>
/// <param name="Seed">Seeds the shuffling: epoch e's order depends only on (Seed, e), so a run resumed at an epoch
/// (see <see cref="TrainingOptions.StartEpoch"/>) sees the same batches as an uninterrupted one.</param>
public sealed record TrainingOptions(int Epochs = 100, int BatchSize = 32, OptimizerSettings? Optimizer = null, int Seed = 0)
{
    /// <summary>Batches of at least this many rows are split across <see cref="Workers"/> threads.</summary>
    public const int DefaultParallelBatchThreshold = 1024;

    /// <summary>
    /// Threads that compute the gradients of one large batch (each on its own shard, summed in a fixed order,
    /// so a given worker count always gives the same weights). 0 (the default) uses every core.
    /// </summary>
    public int Workers { get; init; }

    /// <summary>
    /// The number of the first epoch to run (1 by default). To resume a run saved after epoch k with
    /// <see cref="WeightsFile"/> (parameters and optimizer state), load it and train with StartEpoch = k + 1 and
    /// the same optimizer: the result is bit-identical to the uninterrupted run.
    /// </summary>
    public int StartEpoch { get; init; } = 1;

    /// <summary>The smallest batch that is split across workers; smaller ones run on the calling thread.</summary>
    public int ParallelBatchThreshold { get; init; } = DefaultParallelBatchThreshold;

    /// <summary>The worker count in force: <see cref="Workers"/>, or the number of cores when it is 0.</summary>
    public int WorkersOrDefault => Workers > 0 ? Workers : Environment.ProcessorCount;

    /// <summary>The optimizer settings in force (Adam, η = 0.01 when none were given).</summary>
    public OptimizerSettings OptimizerOrDefault => Optimizer ?? new OptimizerSettings();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be at least 1.");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 1.");
        if (StartEpoch < 1 || StartEpoch > Epochs) throw new ArgumentOutOfRangeException(nameof(StartEpoch), StartEpoch, $"StartEpoch must be in 1..Epochs ({Epochs}).");
        if (Workers < 0) throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "Workers must be 0 (all cores) or more.");
        if (ParallelBatchThreshold <= 0) throw new ArgumentOutOfRangeException(nameof(ParallelBatchThreshold), ParallelBatchThreshold, "The parallel batch threshold must be at least 1.");
        OptimizerOrDefault.Validate();
    }
}

/// <summary>Figures after one epoch. Accuracies are NaN for regression, test figures NaN without a test set.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean per-sample training loss over the epoch's updates.</param>
/// <param name="TrainAccuracy">Accuracy on the training set after the epoch.</param>
/// <param name="TestLoss">Mean loss on the test set after the epoch.</param>
/// <param name="TestAccuracy">Accuracy on the test set after the epoch.</param>
public sealed record EpochStats(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy);

/// <summary>How a training run ended.</summary>
public enum TrainingOutcome
{
    /// <summary>All epochs ran.</summary>
    Completed,
    /// <summary>The cancellation token fired; the network holds the weights of the last finished update.</summary>
    Cancelled,
    /// <summary>The loss or a parameter became NaN or infinite; the network holds the last finite weights.</summary>
    Diverged,
}

/// <summary>The per-epoch figures of a run and how it ended.</summary>
public sealed class TrainingHistory
{
    internal TrainingHistory(List<EpochStats> epochs, TrainingOutcome outcome, string message)
    {
        Epochs = epochs;
        Outcome = outcome;
        Message = message;
    }

    /// <summary>One entry per finished epoch.</summary>
    public IReadOnlyList<EpochStats> Epochs { get; }

    /// <summary>How the run ended.</summary>
    public TrainingOutcome Outcome { get; }

    /// <summary>A sentence saying how the run ended (for divergence: the epoch and step).</summary>
    public string Message { get; }
}

/// <summary>
/// Mini-batch training of any <see cref="INetwork"/>: seeded shuffling, one
/// <see cref="INetwork.AccumulateBatchGradients"/> call and one optimizer step per batch. All buffers
/// are allocated before the first epoch.
/// </summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="network"/> on <paramref name="train"/>. After every epoch, figures go to
    /// <paramref name="progress"/>, whose Report runs on the training thread while the network holds
    /// that epoch's weights (so it may read taps; wrap it in <see cref="Progress{T}"/> to hop threads).
    /// Pass an <paramref name="optimizer"/> to keep its state across calls (to resume, or to save it with
    /// <see cref="WeightsFile"/>); by default a fresh one is made from the options.
    /// </summary>
    public static TrainingHistory Train<TNetwork>(TNetwork network, Dataset train, Dataset? test, TrainingOptions options,
        IProgress<EpochStats>? progress = null, CancellationToken cancellationToken = default, Optimizer? optimizer = null)
        where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (train.Count == 0) throw new ArgumentException("The training set is empty.", nameof(train));

        NetworkShape shape = network.Shape;
        float[] targets = train.TargetsFor(shape);
        float[]? testTargets = test?.TargetsFor(shape);
        int inputs = shape.Inputs, outputs = shape.Outputs;
        int batchSize = Math.Min(options.BatchSize, train.Count);

        if (optimizer is not null && optimizer.ParameterCount != shape.ParameterCount)
            throw new ArgumentException($"The optimizer updates {optimizer.ParameterCount} parameters but the network has {shape.ParameterCount}.", nameof(optimizer));
        optimizer ??= Optimizer.Create(options.OptimizerOrDefault, shape.ParameterCount);
        var order = new int[train.Count];
        var batchInputs = new float[batchSize * inputs];
        var batchTargets = new float[batchSize * outputs];
        var lastFinite = new float[shape.ParameterCount];
        var output = EvaluationBuffer(shape);
        var epochs = new List<EpochStats>(options.Epochs);
        using DataParallel? parallel = batchSize >= options.ParallelBatchThreshold && options.WorkersOrDefault > 1
            ? new DataParallel(network, options.WorkersOrDefault)
            : null;
        ReadOnlySpan<float> features = train.Features;
        Span<float> parameters = network.Parameters;
        Span<float> gradients = network.Gradients;

        for (int epoch = options.StartEpoch; epoch <= options.Epochs; epoch++)
        {
            for (int i = 0; i < order.Length; i++) order[i] = i;
            new SeededRandom(options.Seed * 1_000_003L + epoch).Shuffle<int>(order);
            double lossSum = 0;
            int step = 0;
            for (int start = 0; start < order.Length; start += batchSize, step++)
            {
                if (cancellationToken.IsCancellationRequested)
                    return new TrainingHistory(epochs, TrainingOutcome.Cancelled, $"Cancelled in epoch {epoch} at step {step}.");
                int rows = Math.Min(batchSize, order.Length - start);
                gradients.Clear();
                parameters.CopyTo(lastFinite);
                float batchLoss;
                if (parallel is not null && rows >= options.ParallelBatchThreshold)
                {
                    batchLoss = parallel.AccumulateBatchGradients(train, targets, order.AsMemory(start, rows), batchInputs, batchTargets);
                }
                else
                {
                    Gather(features, inputs, order.AsSpan(start, rows), batchInputs);
                    Gather(targets, outputs, order.AsSpan(start, rows), batchTargets);
                    batchLoss = network.AccumulateBatchGradients(batchInputs.AsSpan(0, rows * inputs), batchTargets.AsSpan(0, rows * outputs));
                }
                optimizer.Step(parameters, gradients, 1f / rows);
                if (!float.IsFinite(batchLoss) || !AllFinite(parameters))
                {
                    lastFinite.CopyTo(parameters);
                    return new TrainingHistory(epochs, TrainingOutcome.Diverged,
                        $"Training diverged in epoch {epoch} at step {step}: the {(float.IsFinite(batchLoss) ? "parameters" : "loss")} became NaN or infinite. The network holds the weights from before that step; lower the learning rate.");
                }
                lossSum += batchLoss;
            }

            // The training loss is the epoch's running mean above; the training set is re-run for accuracy only.
            double trainAccuracy = train.Task != TaskKind.Classification ? double.NaN
                : (parallel?.Evaluate(train, targets, withLoss: false) ?? Evaluate(network, train, targets, output, withLoss: false)).Accuracy;
            (double testLoss, double testAccuracy) = test is null ? (double.NaN, double.NaN)
                : parallel?.Evaluate(test, testTargets!, withLoss: true) ?? Evaluate(network, test, testTargets!, output, withLoss: true);
            var stats = new EpochStats(epoch, lossSum / train.Count, trainAccuracy, testLoss, testAccuracy);
            epochs.Add(stats);
            progress?.Report(stats);
        }
        return new TrainingHistory(epochs, TrainingOutcome.Completed, $"Completed {options.Epochs} epochs.");
    }

    /// <summary>Mean loss and accuracy (NaN for regression) of <paramref name="network"/> on <paramref name="data"/>.</summary>
    public static (double Loss, double Accuracy) Evaluate<TNetwork>(TNetwork network, Dataset data) where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        return Evaluate(network, data, data.TargetsFor(network.Shape), EvaluationBuffer(network.Shape), withLoss: true);
    }

    private static (double Loss, double Accuracy) Evaluate<TNetwork>(TNetwork network, Dataset data, float[] targets, float[] output, bool withLoss)
        where TNetwork : INetwork
    {
        (double loss, int correct) = EvaluateRows(network, data, targets, output, 0, data.Count, withLoss);
        return Averages(data, loss, correct, withLoss);
    }

    private static (double Loss, double Accuracy) Averages(Dataset data, double lossSum, int correct, bool withLoss) =>
        data.Count == 0 ? (double.NaN, double.NaN)
        : (withLoss ? lossSum / data.Count : double.NaN, data.Task == TaskKind.Classification ? (double)correct / data.Count : double.NaN);

    /// <summary>destination row r = source row rows[r], rows of <paramref name="width"/> values.</summary>
    private static void Gather(ReadOnlySpan<float> source, int width, ReadOnlySpan<int> rows, Span<float> destination)
    {
        // Element by element: the rows are a few floats wide, too short for a copy call per row to pay off.
        for (int r = 0; r < rows.Length; r++)
        {
            ReadOnlySpan<float> from = source.Slice(rows[r] * width, width);
            Span<float> to = destination.Slice(r * width, width);
            for (int i = 0; i < from.Length; i++) to[i] = from[i];
        }
    }

    /// <summary>Rows a ForwardBatch call covers when evaluating (whole lane groups, so generated networks use their lane form).</summary>
    private const int EvaluationRows = 256;

    private static float[] EvaluationBuffer(NetworkShape shape) => new float[EvaluationRows * shape.Outputs];

    /// <summary>Sum of losses and number of correct predictions over rows [from, to), <see cref="EvaluationRows"/> rows a batch.</summary>
    private static (double LossSum, int Correct) EvaluateRows<TNetwork>(TNetwork network, Dataset data, float[] targets, float[] outputBuffer, int from, int to, bool withLoss)
        where TNetwork : INetwork
    {
        int inputs = data.FeatureCount, outputs = network.Shape.Outputs;
        double loss = 0;
        int correct = 0;
        ReadOnlySpan<int> labels = data.Labels;
        for (int start = from; start < to; start += EvaluationRows)
        {
            int rows = Math.Min(EvaluationRows, to - start);
            Span<float> batch = outputBuffer.AsSpan(0, rows * outputs);
            network.ForwardBatch(data.Features.Slice(start * inputs, rows * inputs), batch);
            for (int r = 0; r < rows; r++)
            {
                int i = start + r;
                Span<float> output = batch.Slice(r * outputs, outputs);
                if (withLoss) loss += Metrics.LossFromOutput(network.Shape.Loss, output, targets.AsSpan(i * outputs, outputs));
                if (data.Task == TaskKind.Classification && Metrics.PredictedClass(output) == labels[i]) correct++;
            }
        }
        return (loss, correct);
    }

    /// <summary>
    /// Splits a batch into one shard per worker (whole lane-form passes each), gathers and computes the shards' gradients on a
    /// <see cref="WorkerTeam"/> with networks that share the parameters, then adds the workers' gradients into
    /// the main network's in worker order: deterministic for a given worker count. Evaluation is sharded the
    /// same way.
    /// </summary>
    private sealed class DataParallel : IDisposable
    {
        private readonly INetwork[] _networks;
        private readonly WorkerTeam _team;
        private readonly float[] _losses;
        private readonly float[][] _outputs;
        private readonly (double LossSum, int Correct)[] _evaluations;
        private readonly Action<int> _accumulateShard, _evaluateShard;

        // The current round's arguments, read by the shard delegates (cached, so a round allocates nothing).
        private float[] _inputs = [], _targets = [], _batchTargets = [];
        private ReadOnlyMemory<int> _rows;
        private int _shardRows;
        private Dataset? _data;
        private bool _withLoss;

        public DataParallel(INetwork network, int workers)
        {
            _networks = new INetwork[workers];
            _networks[0] = network;
            for (int w = 1; w < workers; w++) _networks[w] = network.CreateWorker();
            _losses = new float[workers];
            _outputs = new float[workers][];
            for (int w = 0; w < workers; w++) _outputs[w] = EvaluationBuffer(network.Shape);
            _evaluations = new (double, int)[workers];
            _accumulateShard = AccumulateShard;
            _evaluateShard = EvaluateShard;
            _team = WorkerTeam.Rent(workers);
        }

        /// <summary>Loss (NaN unless <paramref name="withLoss"/>) and accuracy over the data set, one contiguous shard per worker, summed in worker order.</summary>
        public (double Loss, double Accuracy) Evaluate(Dataset data, float[] targets, bool withLoss)
        {
            (_data, _targets, _withLoss) = (data, targets, withLoss);
            _shardRows = ShardRows(data.Count);
            _team.Run(_evaluateShard);
            _data = null;
            double loss = 0;
            int correct = 0;
            foreach ((double shardLoss, int shardCorrect) in _evaluations)
            {
                loss += shardLoss;
                correct += shardCorrect;
            }
            return Averages(data, loss, correct, withLoss);
        }

        private void EvaluateShard(int w)
        {
            int start = Math.Min(w * _shardRows, _data!.Count);
            _evaluations[w] = EvaluateRows(_networks[w], _data, _targets, _outputs[w], start, Math.Min(start + _shardRows, _data.Count), _withLoss);
        }

        /// <summary>
        /// The gradients of the rows of <paramref name="data"/> listed in <paramref name="rows"/>: each worker gathers
        /// its shard of the batch into its part of the batch buffers, then accumulates it.
        /// </summary>
        public float AccumulateBatchGradients(Dataset data, float[] targets, ReadOnlyMemory<int> rows, float[] batchInputs, float[] batchTargets)
        {
            (_data, _targets, _rows, _inputs, _batchTargets) = (data, targets, rows, batchInputs, batchTargets);
            _shardRows = ShardRows(rows.Length);
            _team.Run(_accumulateShard);
            _data = null;
            Span<float> total = _networks[0].Gradients;
            float loss = _losses[0];
            for (int w = 1; w < _networks.Length; w++)
            {
                Add(_networks[w].Gradients, total);
                loss += _losses[w];
            }
            return loss;
        }

        private void AccumulateShard(int w)
        {
            int inputCount = _networks[w].Shape.Inputs, outputCount = _networks[w].Shape.Outputs;
            int start = Math.Min(w * _shardRows, _rows.Length), count = Math.Min(_shardRows, _rows.Length - start);
            INetwork shard = _networks[w];
            if (w > 0) shard.Gradients.Clear(); // worker 0 is the main network, already cleared
            Span<float> inputs = _inputs.AsSpan(start * inputCount, count * inputCount), targets = _batchTargets.AsSpan(start * outputCount, count * outputCount);
            Gather(_data!.Features, inputCount, _rows.Span.Slice(start, count), inputs);
            Gather(_targets, outputCount, _rows.Span.Slice(start, count), targets);
            _losses[w] = count == 0 ? 0f : shard.AccumulateBatchGradients(inputs, targets);
        }

        /// <summary>Rows a worker takes of <paramref name="rows"/>: an equal share, rounded up to whole lane-form passes.</summary>
        private int ShardRows(int rows)
        {
            int pass = LaneKernels.RowsPerPass;
            return ((rows + _networks.Length - 1) / _networks.Length + pass - 1) / pass * pass;
        }

        private static void Add(ReadOnlySpan<float> source, Span<float> destination)
        {
            int i = 0;
            for (; i <= source.Length - Vector<float>.Count; i += Vector<float>.Count)
                (new Vector<float>(source[i..]) + new Vector<float>(destination[i..])).CopyTo(destination[i..]);
            for (; i < source.Length; i++) destination[i] += source[i];
        }

        /// <summary>Returns the worker team to the pool.</summary>
        public void Dispose() => WorkerTeam.Return(_team);
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        // x − x is 0 for every finite x and NaN for NaN and ±∞.
        ref float start = ref MemoryMarshal.GetReference(values);
        Vector<float> acc = Vector<float>.Zero;
        int i = 0;
        for (; i <= values.Length - 16; i += 16)
        {
            Vector<float> v = Vector.LoadUnsafe(ref start, (nuint)i);
            acc += v - v;
        }
        if (!Vector.EqualsAll(acc, Vector<float>.Zero)) return false;
        for (; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return false;
        return true;
    }
}
