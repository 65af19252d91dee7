using System.Linq;
using Xunit;

namespace HiddenSpace.Tests.Training;

public sealed class FrameScheduleTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(12, 12)]
    [InlineData(60, 60)]
    [InlineData(61, 31)]
    [InlineData(100, 51)]
    [InlineData(200, 51)]
    [InlineData(119, 60)]
    [InlineData(10_000, 60)]
    public void KeepsFirstAndLastEpochAndAtMostSixtyFrames(int epochs, int expectedFrames)
    {
        int interval = FrameSchedule.Interval(epochs);
        int[] frames = Enumerable.Range(1, epochs).Where(e => FrameSchedule.IsFrame(e, epochs, interval)).ToArray();
        Assert.Equal(expectedFrames, frames.Length);
        Assert.Equal(1, frames[0]);
        Assert.Equal(epochs, frames[^1]);
    }

    [Fact]
    public void EveryEpochCountUpToAThousandStaysWithinTheLimit()
    {
        for (int epochs = 1; epochs <= 1000; epochs++)
        {
            int interval = FrameSchedule.Interval(epochs, maxFrames: 7);
            int frames = Enumerable.Range(1, epochs).Count(e => FrameSchedule.IsFrame(e, epochs, interval));
            Assert.InRange(frames, 1, 7);
        }
    }
}
