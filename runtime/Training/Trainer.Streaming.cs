using System;
using System.Collections.Generic;
using System.Threading;

namespace HiddenSpace;

public static partial class Trainer
{
    /// <summary>
    /// Trains <paramref name="network"/> on the train split of a file that stays on disk: each epoch reads the
    /// train rows once, in file order, on a background thread, and shuffles them through a buffer of
    /// <see cref="StreamedSplit.ShuffleBufferRows"/> rows. The buffer first fills; then each row read takes the
    /// place of a random row of the buffer, which goes into the current mini-batch; at the end the buffer is
    /// shuffled and emptied. When the train split fits in the buffer no random choice is made before the final
    /// shuffle, which is then the in-memory trainer's shuffle: the same batches, so the same weights as
    /// <see cref="Train{TNetwork}(TNetwork, Dataset, Dataset?, TrainingOptions, IProgress{EpochStats}?, CancellationToken, Optimizer?)"/>
    /// on the same rows (and the rows stay in memory, read once). When it does not fit, an epoch is still a random
    /// permutation of the rows, but not a uniform one: a row can come out at most (buffer size) places earlier
    /// than its place in the file, so a file sorted by class starts every epoch with the first classes; shuffle
    /// such a file once before training. The per-epoch training figures are the epoch's running ones (every row, measured
    /// by its batch's forward pass), the test figures are measured on <see cref="StreamedSplit.TestSample"/>; batches run on the
    /// calling thread (the other core reads). <paramref name="rowProgress"/> hears the rows done within each epoch.
    /// </summary>
    /// <exception cref="ArgumentException">The network does not fit the data.</exception>
    /// <exception cref="System.IO.IOException">The file changed or cannot be read.</exception>
    public static TrainingHistory Train<TNetwork>(TNetwork network, StreamedSplit train, TrainingOptions options,
        IProgress<EpochStats>? progress = null, CancellationToken cancellationToken = default, Optimizer? optimizer = null,
        IProgress<PhaseProgress>? rowProgress = null)
        where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        NetworkShape shape = network.Shape;
        CsvDataStream data = train.Data;
        Dataset.CheckTargetsFit(shape, data.Name, data.FeatureCount, data.Task, data.ClassCount);
        if (optimizer is not null && optimizer.ParameterCount != shape.ParameterCount)
            throw new ArgumentException($"The optimizer updates {optimizer.ParameterCount} parameters but the network has {shape.ParameterCount}.", nameof(optimizer));
        optimizer ??= Optimizer.Create(options.OptimizerOrDefault, shape.ParameterCount);
        // Both need every training row at hand: early stopping holds out a validation split, class weights regroup each batch.
        if (options.EarlyStopping is not null)
            throw new ArgumentException("TrainingOptions.EarlyStopping needs the training rows in memory (it holds out a validation split); streamed data supports neither it nor class weights. Load the data as a Dataset, or train without early stopping.", nameof(options));
        if (options.ClassWeights is not null)
            throw new ArgumentException("TrainingOptions.ClassWeights needs the training rows in memory; streamed data does not support class weights. Load the data as a Dataset, or train without them.", nameof(options));
        // Regression targets are standardised with the statistics of the train sample: all of the train split when it fits the sample.
        TargetScale? scale = TargetScale.For(shape, train.TrainSample, options);

        var run = new ShuffleBufferRun(network, train, options, optimizer, scale, cancellationToken);
        float[] testTargets = train.TestSample.TargetsFor(shape);
        float[] output = EvaluationBuffer(shape);
        var epochs = new List<EpochStats>(Math.Min(options.Epochs, HistoryCapacity));
        Span<float> parameters = network.Parameters;
        float baseRate = optimizer.Settings.LearningRate;
        scale?.StartAtTheMean(shape, parameters, options);
        for (int epoch = options.StartEpoch; epoch <= options.Epochs; epoch++)
        {
            float learningRate = (float)(baseRate * (options.Schedule?.Factor(epoch, options.Epochs) ?? 1));
            scale?.ToModelUnits(shape, parameters);
            TrainingHistory? stopped = run.Epoch(epoch, learningRate, epochs, rowProgress);
            scale?.ToOriginalUnits(shape, parameters);
            if (stopped is not null) return stopped;
            double trainLoss = run.LossSum / train.TrainCount * (scale is null ? 1 : scale.Deviation * scale.Deviation);
            double trainAccuracy = data.Task != TaskKind.Classification ? double.NaN : (double)run.Correct / train.TrainCount;
            (double testLoss, double testAccuracy) = Evaluate(network, train.TestSample, testTargets, output);
            var stats = new EpochStats(epoch, trainLoss, trainAccuracy, testLoss, testAccuracy) { LearningRate = learningRate };
            epochs.Add(stats);
            progress?.Report(stats);
        }
        return new TrainingHistory(epochs, TrainingOutcome.Completed, $"Completed {options.Epochs} epochs.", scale);
    }

    /// <summary>The shuffle buffer and the mini-batch being filled, across the epochs of one streamed run.</summary>
    private sealed class ShuffleBufferRun
    {
        private readonly INetwork _network;
        private readonly StreamedSplit _train;
        private readonly TrainingOptions _options;
        private readonly CancellationToken _cancellationToken;
        private readonly BatchStep _step;
        private readonly TargetScale? _scale;
        private readonly int _inputs, _outputs, _capacity, _batchSize;
        private readonly float[] _slots;       // [capacity × inputs]
        private readonly float[] _slotTargets; // [capacity × outputs]
        private readonly int[] _order;         // [capacity], the final shuffle
        private readonly float[] _batchInputs, _batchTargets;
        private readonly float[]? _batchOutputs; // classification: the batch's outputs, for the running accuracy
        private bool _resident; // the whole train split is in the buffer, in file order
        private int _batchRows, _stepIndex, _epoch;
        private long _emitted; // rows of this epoch moved into a batch
        private float _failedLoss, _learningRate;

        public ShuffleBufferRun(INetwork network, StreamedSplit train, TrainingOptions options, Optimizer optimizer, TargetScale? scale, CancellationToken cancellationToken)
        {
            _scale = scale;
            _network = network;
            _train = train;
            _options = options;
            _cancellationToken = cancellationToken;
            _step = new BatchStep(network, optimizer);
            _inputs = network.Shape.Inputs;
            _outputs = network.Shape.Outputs;
            _capacity = (int)Math.Min(train.ShuffleBufferRows, train.TrainCount);
            _batchSize = (int)Math.Min(options.BatchSize, train.TrainCount);
            _slots = new float[(long)_capacity * _inputs];
            _slotTargets = new float[(long)_capacity * _outputs];
            _order = new int[_capacity];
            _batchInputs = new float[_batchSize * _inputs];
            _batchTargets = new float[_batchSize * _outputs];
            _batchOutputs = train.Data.Task == TaskKind.Classification ? new float[_batchSize * _outputs] : null;
        }

        /// <summary>Sum of the batch losses of the current epoch.</summary>
        public double LossSum { get; private set; }

        /// <summary>Rows of the current epoch predicted right by their batch's forward pass (classification).</summary>
        public long Correct { get; private set; }

        /// <summary>Runs one epoch; null when it completed, else how the run ended.</summary>
        public TrainingHistory? Epoch(int epoch, float learningRate, List<EpochStats> epochs, IProgress<PhaseProgress>? rowProgress)
        {
            _learningRate = learningRate;
            var random = new SeededRandom(_options.Seed * 1_000_003L + epoch);
            (_epoch, _batchRows, _stepIndex, _emitted, LossSum, Correct) = (epoch, 0, 0, 0, 0, 0);
            int filled = _resident ? _capacity : 0;
            string description = $"epoch {epoch} of {_options.Epochs}";
            if (!_resident)
            {
                long read = 0;
                try
                {
                    using RowPipeline rows = _train.ReadTrainRows(_outputs, _cancellationToken);
                    while (rows.Take() is RowBlock block)
                    {
                        for (int r = 0; r < block.Count; r++)
                        {
                            int slot;
                            if (filled < _capacity)
                            {
                                slot = filled++;
                            }
                            else
                            {
                                slot = random.NextInt(_capacity);
                                if (!Emit(slot)) return Stopped(epochs);
                            }
                            block.Features.AsSpan(r * _inputs, _inputs).CopyTo(_slots.AsSpan(slot * _inputs, _inputs));
                            Span<float> targets = _slotTargets.AsSpan(slot * _outputs, _outputs);
                            block.Targets.AsSpan(r * _outputs, _outputs).CopyTo(targets);
                            _scale?.Standardize(targets);
                            read++;
                        }
                        rows.Return(block);
                        // While the buffer fills no row is trained on yet: the display says so rather than stand at 0 %.
                        rowProgress?.Report(filled < _capacity || _emitted == 0
                            ? new PhaseProgress(RunPhase.Training, description + ": filling the shuffle buffer", read, _capacity, ProgressUnit.Rows)
                            : new PhaseProgress(RunPhase.Training, description, _emitted, _train.TrainCount, ProgressUnit.Rows));
                    }
                }
                catch (OperationCanceledException) when (_cancellationToken.IsCancellationRequested)
                {
                    return BatchStep.Cancelled(epochs, epoch, _stepIndex, _scale);
                }
                _resident = read <= _capacity;
            }

            random.Permute(_order.AsSpan(0, filled));
            for (int i = 0; i < filled; i++)
                if (!Emit(_order[i])) return Stopped(epochs);
            if (_batchRows > 0 && !Step()) return Stopped(epochs);
            rowProgress?.Report(new PhaseProgress(RunPhase.Training, description, _train.TrainCount, _train.TrainCount, ProgressUnit.Rows));
            return null;
        }

        /// <summary>Moves the row in <paramref name="slot"/> into the batch; trains when the batch is full. False when the run must stop.</summary>
        private bool Emit(int slot)
        {
            _slots.AsSpan(slot * _inputs, _inputs).CopyTo(_batchInputs.AsSpan(_batchRows * _inputs, _inputs));
            _slotTargets.AsSpan(slot * _outputs, _outputs).CopyTo(_batchTargets.AsSpan(_batchRows * _outputs, _outputs));
            _emitted++;
            return ++_batchRows < _batchSize || Step();
        }

        private bool Step()
        {
            if (_cancellationToken.IsCancellationRequested) return false;
            int rows = _batchRows;
            _step.Begin();
            Span<float> outputs = _batchOutputs is null ? default : _batchOutputs.AsSpan(0, rows * _outputs);
            float batchLoss = _network.AccumulateBatchGradients(_batchInputs.AsSpan(0, rows * _inputs), _batchTargets.AsSpan(0, rows * _outputs), outputs);
            if (!outputs.IsEmpty) Correct += Metrics.CountCorrect(outputs, _batchTargets.AsSpan(0, rows * _outputs), _outputs);
            _batchRows = 0;
            if (!_step.Finish(batchLoss, rows, _learningRate))
            {
                _failedLoss = batchLoss;
                return false;
            }
            LossSum += batchLoss;
            _stepIndex++;
            return true;
        }

        private TrainingHistory Stopped(List<EpochStats> epochs) => _cancellationToken.IsCancellationRequested
            ? BatchStep.Cancelled(epochs, _epoch, _stepIndex, _scale)
            : BatchStep.Diverged(epochs, _epoch, _stepIndex, _failedLoss, _scale);
    }
}
