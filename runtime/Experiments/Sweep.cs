using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace HiddenSpace;

/// <summary>
/// Trains every point of a grid (architectures × seeds) on a fixed-size pool of threads and measures each run as
/// <see cref="BottleneckExperiment"/> does, without writing its files. Each run has its own network and trains on one
/// thread (<see cref="TrainingOptions.Workers"/> = 1), so a run's figures depend on its point and data alone, never on
/// the parallelism or on which runs share the machine with it.
/// </summary>
public static class Sweep
{
    /// <summary>
    /// Trains and measures every point on <paramref name="parallelism"/> threads, the largest networks first (so no
    /// thread is left alone with a large one at the end). The raw input is measured once per seed.
    /// <paramref name="progress"/> hears of every finished run, from the thread that ran it. On cancellation the runs
    /// in progress stop, and the result holds the runs that had finished.
    /// </summary>
    /// <param name="points">The grid, in the order the results keep.</param>
    /// <param name="data">The data and training options of every seed the points use.</param>
    /// <param name="createNetwork">A new network for a point, initialised from its seed; called from the pool's threads.</param>
    /// <param name="parallelism">Threads, at least 1.</param>
    /// <param name="progress">Told of each finished run.</param>
    /// <param name="cancellationToken">Stops the sweep.</param>
    /// <exception cref="ArgumentException">A point has no data, the data do not fit its network, or a network does not have its point's shape.</exception>
    public static SweepResult Run(IReadOnlyList<SweepPoint> points, IReadOnlyList<SweepData> data, Func<SweepPoint, INetwork> createNetwork, int parallelism,
        IProgress<SweepRun>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(createNetwork);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        if (data.Count == 0) throw new ArgumentException("A sweep needs the data of at least one seed.", nameof(data));
        var seeds = new Dictionary<int, int>();
        for (int i = 0; i < data.Count; i++)
        {
            if (!seeds.TryAdd(data[i].Seed, i)) throw new ArgumentException($"Seed {data[i].Seed} has data twice.", nameof(data));
            if (data[i].Train.Task != data[0].Train.Task) throw new ArgumentException("Every seed's data must have the same task.", nameof(data));
            data[i].Options.Validate();
        }
        foreach (SweepPoint point in points)
        {
            if (!seeds.ContainsKey(point.Seed)) throw new ArgumentException($"The point with seed {point.Seed} has no data.", nameof(points));
            if (BottleneckExperiment.BottleneckTap(point.Network) < 0) throw new ArgumentException($"The network {point.Network.Widths()} has no tap to measure.", nameof(points));
        }

        // Jobs: the input of every seed first, then the runs, largest networks first (a stable sort keeps grid order on ties).
        var inputs = new LayerFigures?[data.Count];
        var runs = new SweepRun?[points.Count];
        int[] runOrder = [.. Enumerable.Range(0, points.Count).OrderByDescending(i => points[i].Network.ParameterCount)];
        int next = -1;
        ExceptionDispatchInfo? failure = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();

        void Work()
        {
            for (int job = Interlocked.Increment(ref next); job < data.Count + points.Count && !stop.IsCancellationRequested; job = Interlocked.Increment(ref next))
            {
                try
                {
                    if (job < data.Count)
                    {
                        Volatile.Write(ref inputs[job], HiddenSpaceAnalysis.Measure("input", data[job].Train, data[job].Test));
                        continue;
                    }
                    int index = runOrder[job - data.Count];
                    SweepPoint point = points[index];
                    int seed = seeds[point.Seed];
                    // The inputs were taken first, so this seed's is finished or being measured by another thread.
                    SpinWait.SpinUntil(() => Volatile.Read(ref inputs[seed]) is not null || stop.IsCancellationRequested);
                    if (inputs[seed] is not LayerFigures input) return;
                    SweepRun? run = TrainAndMeasure(point, data[seed], input, createNetwork, stop.Token);
                    if (run is null) return;
                    runs[index] = run;
                    progress?.Report(run);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                    stop.Cancel();
                }
            }
        }

        var threads = new Thread[Math.Min(parallelism, data.Count + points.Count)];
        for (int t = 0; t < threads.Length; t++)
        {
            threads[t] = new Thread(Work) { IsBackground = true, Name = $"sweep worker {t}" };
            threads[t].Start();
        }
        foreach (Thread thread in threads) thread.Join();
        failure?.Throw();
        return new SweepResult(data[0].Train.Task, points.Count, [.. runs.OfType<SweepRun>()], threads.Length, clock.Elapsed);
    }

    /// <summary>Trains one point and measures it; null when it was cancelled.</summary>
    private static SweepRun? TrainAndMeasure(SweepPoint point, SweepData data, LayerFigures input, Func<SweepPoint, INetwork> createNetwork, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        INetwork network = createNetwork(point);
        if (!network.Shape.Equals(point.Network))
            throw new ArgumentException($"The network made for {point.Network.Widths()} is {network.Shape.Widths()}.", nameof(createNetwork));
        TrainingHistory history = Trainer.Train(network, data.Train, data.Test, data.Options with { Workers = 1 }, cancellationToken: cancellationToken);
        if (history.Outcome == TrainingOutcome.Cancelled) return null;

        bool classify = data.Train.Task == TaskKind.Classification;
        int tap = BottleneckExperiment.BottleneckTap(point.Network);
        LayerFigures bottleneck = HiddenSpaceAnalysis.Measure(point.Network.Taps[tap].Name,
            TapRecorder.AsDataset(network, data.Train, tap), TapRecorder.AsDataset(network, data.Test, tap));
        return new SweepRun(point, history.Outcome, history.Epochs.Count,
            classify ? Trainer.Evaluate(network, data.Train).Accuracy : double.NaN,
            classify ? Trainer.Evaluate(network, data.Test).Accuracy : double.NaN,
            classify ? double.NaN : Metrics.PredictionRSquared(network, data.Train),
            classify ? double.NaN : Metrics.PredictionRSquared(network, data.Test),
            input, bottleneck, clock.Elapsed);
    }
}
