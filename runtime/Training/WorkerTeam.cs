using System;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace HiddenSpace;

/// <summary>
/// A fixed team of threads that run one piece of work per member, round after round, with a cheap hand-off:
/// between rounds the members spin for a while (<see cref="SpinRounds"/>) before they block, so a training loop
/// that hands out a batch every few tens of microseconds finds them awake instead of paying a thread wake-up per
/// batch, as it did with <c>Parallel.For</c>. Member 0 is the calling thread.
/// One round at a time: <see cref="Run"/> is not reentrant. Teams are pooled (<see cref="Rent"/>,
/// <see cref="Return"/>) so that repeated training calls do not start threads each time; an idle team's
/// threads are blocked and cost nothing. They are background threads and end with the process.
/// </summary>
internal sealed class WorkerTeam
{
    private static readonly ConcurrentDictionary<int, ConcurrentBag<WorkerTeam>> Idle = new();

    private const int SpinRounds = 200; // × Thread.SpinWait(50) before a member blocks

    private readonly Thread[] _threads;
    private readonly object _gate = new();
    private Action<int>? _work;
    private long _round;
    private int _pending;
    private Exception? _failure;

    /// <summary>An idle team of <paramref name="members"/> (≥ 1) from the pool, or a new one.</summary>
    public static WorkerTeam Rent(int members) =>
        Idle.TryGetValue(members, out ConcurrentBag<WorkerTeam>? teams) && teams.TryTake(out WorkerTeam? team) ? team : new WorkerTeam(members);

    /// <summary>Gives a team back to the pool once its last <see cref="Run"/> has returned.</summary>
    public static void Return(WorkerTeam team) => Idle.GetOrAdd(team.Members, _ => new ConcurrentBag<WorkerTeam>()).Add(team);

    private WorkerTeam(int members)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(members);
        _threads = new Thread[members - 1];
        for (int i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(MemberLoop) { IsBackground = true, Name = $"HiddenSpace worker {i + 1}" };
            _threads[i].Start(i + 1);
        }
    }

    /// <summary>Number of members, the calling thread included.</summary>
    public int Members => _threads.Length + 1;

    /// <summary>
    /// Runs <paramref name="work"/>(m) for every member m, member 0 on the calling thread, and returns when all
    /// have finished. The first exception a member throws is rethrown here, after the round has finished.
    /// </summary>
    public void Run(Action<int> work)
    {
        _work = work;
        _failure = null;
        Volatile.Write(ref _pending, _threads.Length);
        Interlocked.Increment(ref _round); // publishes _work and _pending to the spinning members
        if (_threads.Length > 0)
            lock (_gate) Monitor.PulseAll(_gate); // and wakes the blocked ones
        try
        {
            work(0);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
        }
        var spin = new SpinWait();
        while (Volatile.Read(ref _pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
        _work = null;
        if (_failure is not null) ExceptionDispatchInfo.Throw(_failure);
    }

    private void MemberLoop(object? state)
    {
        int member = (int)state!;
        long seen = 0;
        while (true)
        {
            for (int spins = 0; Volatile.Read(ref _round) == seen; spins++)
            {
                if (spins < SpinRounds)
                {
                    Thread.SpinWait(50);
                    continue;
                }
                lock (_gate)
                {
                    // Re-checked under the lock: Run increments the round before it takes the lock to pulse,
                    // so a member either sees the new round here or is waiting when the pulse comes.
                    if (Volatile.Read(ref _round) == seen) Monitor.Wait(_gate);
                }
            }
            seen = Volatile.Read(ref _round);
            try
            {
                _work!(member);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            Interlocked.Decrement(ref _pending);
        }
    }
}
