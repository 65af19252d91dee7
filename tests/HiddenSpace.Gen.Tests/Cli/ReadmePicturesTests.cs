using System;
using System.IO;
using HiddenSpace.Cli;
using HiddenSpace.Tests.Generator;
using Xunit;

namespace HiddenSpace.Tests.Cli;

/// <summary>The README's pictures in docs/images are exactly what <c>hiddenspace pictures</c> writes.</summary>
public sealed class ReadmePicturesTests : IDisposable
{
    private readonly TempDirectory _directory = new("pictures");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TheCommittedPicturesAreWhatTheCommandWrites()
    {
        var stderr = new StringWriter();
        Assert.Equal(CliProgram.Success, CliProgram.Run(["pictures", "--out", _directory.Path], TextWriter.Null, stderr));
        Assert.Equal("", stderr.ToString());
        string committed = Path.Combine(DiagnosticTests.RepositoryRoot(), "docs", "images");
        foreach ((_, _, string picture) in ReadmePictures.Pictures)
        {
            string expected = File.ReadAllText(Path.Combine(committed, picture)), written = File.ReadAllText(_directory.Combine(picture));
            Assert.True(expected == written,
                $"docs/images/{picture} differs from what 'hiddenspace pictures' writes now; regenerate with " +
                "dotnet run -c Release --project samples/HiddenSpace.Cli -- pictures");
        }
        // The regression view: target bands as polygons under the 1,000 points.
        string regression = File.ReadAllText(_directory.Combine("sineridge-bottleneck.svg"));
        Assert.Equal(1000, CliTests.CountOf(regression, "<circle class=\"point\""));
        Assert.Equal(5, CliTests.CountOf(regression, "<polygon class=\"region\""));
    }
}
