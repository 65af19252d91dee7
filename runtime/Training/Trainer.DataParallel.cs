using System;
using HiddenSpace.Kernels;

namespace HiddenSpace;

public static partial class Trainer
{
    /// <summary>
    /// Splits a batch into one shard per worker (whole lane-form passes each), gathers and computes the shards' gradients on a
    /// <see cref="WorkerTeam"/> with networks that share the parameters, then adds the workers' gradients into
    /// the main network's in worker order: deterministic for a given worker count. Evaluation is sharded the
    /// same way. A large network's gradient sum and optimizer step are split too, each worker taking a range of the
    /// parameters, with the bits of the whole sum and step.
    /// </summary>
    private sealed class DataParallel : IDisposable
    {
        private readonly INetwork[] _networks;
        private readonly WorkerTeam _team;
        private readonly float[] _losses;
        private readonly float[][] _outputs;
        private readonly (double LossSum, int Correct)[] _evaluations;
        private readonly Action<int> _accumulateShard, _evaluateShard, _sumShard, _stepShard;
        // Where each worker's range of the parameters starts (and the last ends) when the gradient sum and the optimizer
        // step are split across the workers too; null for a network too small to be worth a round of the team.
        private readonly int[]? _parameterRanges;
        private readonly bool[] _finite;

        // The current round's arguments, read by the shard delegates (cached, so a round allocates nothing).
        private float[] _inputs = [], _targets = [], _batchTargets = [], _previous = [];
        private Optimizer? _optimizer;
        private Optimizer.Rule _rule;
        private float[]? _batchOutputs;
        private ReadOnlyMemory<int> _rows;
        private int _shardRows;
        private Dataset? _data;

        /// <summary>Workers for <paramref name="network"/>; from <paramref name="splitStepParameters"/> parameters on they also split its gradient sum and optimizer step.</summary>
        public DataParallel(INetwork network, int workers, int splitStepParameters)
        {
            _networks = new INetwork[workers];
            _networks[0] = network;
            for (int w = 1; w < workers; w++) _networks[w] = network.CreateWorker();
            _losses = new float[workers];
            _outputs = new float[workers][];
            for (int w = 0; w < workers; w++) _outputs[w] = EvaluationBuffer(network.Shape);
            _evaluations = new (double, int)[workers];
            _finite = new bool[workers];
            _parameterRanges = network.Shape.ParameterCount >= splitStepParameters ? ParameterRanges(network.Shape.ParameterCount, workers) : null;
            _accumulateShard = AccumulateShard;
            _evaluateShard = EvaluateShard;
            _sumShard = SumShard;
            _stepShard = StepShard;
            _team = WorkerTeam.Rent(workers);
        }

        /// <summary>Loss and accuracy over the data set, one contiguous shard per worker, summed in worker order.</summary>
        public (double Loss, double Accuracy) Evaluate(Dataset data, float[] targets)
        {
            (_data, _targets) = (data, targets);
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
            return Averages(data, loss, correct);
        }

        private void EvaluateShard(int w)
        {
            int start = Math.Min(w * _shardRows, _data!.Count);
            _evaluations[w] = EvaluateRows(_networks[w], _data, _targets, _outputs[w], start, Math.Min(start + _shardRows, _data.Count));
        }

        /// <summary>
        /// The gradients of the rows of <paramref name="data"/> listed in <paramref name="rows"/>: each worker gathers
        /// its shard of the batch into its part of the batch buffers, then accumulates it (writing its rows' outputs
        /// into its part of <paramref name="batchOutputs"/> when given).
        /// </summary>
        public float AccumulateBatchGradients(Dataset data, float[] targets, ReadOnlyMemory<int> rows, float[] batchInputs, float[] batchTargets, float[]? batchOutputs)
        {
            (_data, _targets, _rows, _inputs, _batchTargets, _batchOutputs) = (data, targets, rows, batchInputs, batchTargets, batchOutputs);
            _shardRows = ShardRows(rows.Length);
            _team.Run(_accumulateShard);
            _data = null;
            if (_parameterRanges is null) SumGradients(0, _networks[0].Gradients.Length);
            else _team.Run(_sumShard);
            float loss = _losses[0];
            for (int w = 1; w < _networks.Length; w++) loss += _losses[w];
            return loss;
        }

        /// <summary>Adds every other worker's gradients into the main network's, in worker order, over [from, to).</summary>
        private void SumGradients(int from, int to)
        {
            Span<float> total = _networks[0].Gradients[from..to];
            for (int w = 1; w < _networks.Length; w++) DenseKernels.AddScaled(1f, _networks[w].Gradients[from..to], total);
        }

        private void SumShard(int w) => SumGradients(_parameterRanges![w], _parameterRanges[w + 1]);

        /// <summary>
        /// The keeping optimizer step of <see cref="BatchStep.Finish"/> (the previous parameters into
        /// <paramref name="previous"/>; whether every parameter is finite), each worker updating its range of the
        /// parameters when the network is large enough: the same bits as one whole step.
        /// </summary>
        public bool Step(Optimizer optimizer, float gradientScale, float learningRate, float[] previous)
        {
            INetwork network = _networks[0];
            if (_parameterRanges is null) return optimizer.Step(network.Parameters, network.Gradients, gradientScale, learningRate, previous);
            (_optimizer, _rule, _previous) = (optimizer, optimizer.Begin(gradientScale, learningRate), previous);
            _team.Run(_stepShard);
            _optimizer = null;
            return Array.TrueForAll(_finite, finite => finite);
        }

        private void StepShard(int w)
        {
            int from = _parameterRanges![w], to = _parameterRanges[w + 1];
            INetwork network = _networks[0];
            _finite[w] = _optimizer!.StepRange(in _rule, network.Parameters[from..to], network.Gradients[from..to], _previous.AsSpan(from..to), from);
        }

        /// <summary>Each worker's range of <paramref name="parameters"/>: whole 64-byte blocks of floats but for the last.</summary>
        private static int[] ParameterRanges(int parameters, int workers)
        {
            const int Block = 16;
            int blocks = (parameters + Block - 1) / Block;
            var ranges = new int[workers + 1];
            for (int w = 1; w <= workers; w++) ranges[w] = Math.Min((int)((long)blocks * w / workers) * Block, parameters);
            return ranges;
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
            Span<float> outputs = _batchOutputs is null ? default : _batchOutputs.AsSpan(start * outputCount, count * outputCount);
            _losses[w] = count == 0 ? 0f : shard.AccumulateBatchGradients(inputs, targets, outputs);
        }

        /// <summary>Rows a worker takes of <paramref name="rows"/>: an equal share, rounded up to whole lane-form passes.</summary>
        private int ShardRows(int rows)
        {
            int pass = LaneKernels.RowsPerPass;
            return ((rows + _networks.Length - 1) / _networks.Length + pass - 1) / pass * pass;
        }

        /// <summary>Returns the worker team to the pool.</summary>
        public void Dispose() => WorkerTeam.Return(_team);
    }
}
