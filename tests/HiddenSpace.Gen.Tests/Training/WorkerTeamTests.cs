using System;
using System.Threading;
using Xunit;

namespace HiddenSpace.Tests.Training;

public class WorkerTeamTests
{
    /// <summary>Runs <paramref name="test"/> on a rented team and gives the team back, whatever happens.</summary>
    private static void WithTeam(int members, Action<WorkerTeam> test)
    {
        WorkerTeam team = WorkerTeam.Rent(members);
        try
        {
            test(team);
        }
        finally
        {
            WorkerTeam.Return(team);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void EveryMemberRunsOncePerRoundAndTheRoundEndsWhenAllHaveFinished(int members) => WithTeam(members, team =>
    {
        Assert.Equal(members, team.Members);
        var counts = new int[members];
        int running = 0;
        int callerThread = Environment.CurrentManagedThreadId, memberZeroThread = -1;
        const int Rounds = 2_000, SlowEvery = 100;
        for (int round = 1; round <= Rounds; round++)
        {
            bool slow = round % SlowEvery == 0;
            team.Run(m =>
            {
                if (m == 0) memberZeroThread = Environment.CurrentManagedThreadId;
                Interlocked.Increment(ref running);
                // Every member but the caller finishes late now and then: a Run that returned before its members
                // had finished would find their counts behind or the round still running.
                if (slow && m != 0) Thread.Sleep(5);
                Interlocked.Increment(ref counts[m]);
                Interlocked.Decrement(ref running);
            });
            Assert.Equal(0, Volatile.Read(ref running));
            for (int m = 0; m < members; m++)
                Assert.Equal(round, Volatile.Read(ref counts[m]));
        }
        Assert.Equal(callerThread, memberZeroThread);
    });

    [Fact]
    public void MembersThatWentToSleepWakeForTheNextRound() => WithTeam(2, team =>
    {
        int ran = 0;
        team.Run(_ => Interlocked.Increment(ref ran));
        Thread.Sleep(50); // well past the members' spin: they block
        team.Run(_ => Interlocked.Increment(ref ran));
        Assert.Equal(4, ran);
    });

    [Fact]
    public void AMembersExceptionIsRethrownAfterTheRoundAndTheTeamStaysUsable() => WithTeam(3, team =>
    {
        int finished = 0;
        var exception = Assert.Throws<InvalidOperationException>(() => team.Run(m =>
        {
            if (m == 2) throw new InvalidOperationException("member 2 failed");
            Thread.Sleep(20);
            Interlocked.Increment(ref finished);
        }));
        Assert.Equal("member 2 failed", exception.Message);
        Assert.Equal(2, finished); // members 0 and 1 completed before Run returned
        int ran = 0;
        team.Run(_ => Interlocked.Increment(ref ran));
        Assert.Equal(3, ran);
    });

    [Fact]
    public void AReturnedTeamIsRentedAgainInsteadOfStartingNewThreads()
    {
        WorkerTeam first = WorkerTeam.Rent(5); // a size no other test uses, so the pool holds only this team
        WorkerTeam.Return(first);
        WorkerTeam second = WorkerTeam.Rent(5);
        WorkerTeam.Return(second);
        Assert.Same(first, second);
    }
}
