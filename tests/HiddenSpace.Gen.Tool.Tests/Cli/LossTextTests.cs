using HiddenSpace.Cli;
using Xunit;

namespace HiddenSpace.Tests.Cli;

public class LossTextTests
{
    [Theory]
    [InlineData(0.69314718, "0.6931")]
    [InlineData(0.0, "0.0000")]
    [InlineData(99999.99994, "99999.9999")]
    [InlineData(100000.0, "1.0000E+5")]
    [InlineData(1.2345678e60, "1.2346E+60")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NaN, "NaN")]
    public void ALossIsFourDecimalsOrAnExponentFromOneHundredThousandOn(double loss, string text) =>
        Assert.Equal(text, TrainCommand.LossText(loss));
}
