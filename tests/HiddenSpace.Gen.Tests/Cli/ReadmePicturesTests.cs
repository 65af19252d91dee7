using System;
using System.IO;
using HiddenSpace.Cli;
using HiddenSpace.Tests.Generator;
using Xunit;

namespace HiddenSpace.Tests.Cli;

/// <summary>The README's pictures in docs/images are exactly what <c>hiddenspace pictures</c> writes.</summary>
public sealed class ReadmePicturesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hsg-pictures-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void TheCommittedPicturesAreWhatTheCommandWrites()
    {
        var stderr = new StringWriter();
        Assert.Equal(CliProgram.Success, CliProgram.Run(["pictures", "--out", _directory], TextWriter.Null, stderr));
        Assert.Equal("", stderr.ToString());
        string committed = Path.Combine(DiagnosticTests.RepositoryRoot(), "docs", "images");
        foreach ((_, _, string picture) in ReadmePictures.Pictures)
        {
            string expected = File.ReadAllText(Path.Combine(committed, picture)), written = File.ReadAllText(Path.Combine(_directory, picture));
            Assert.True(expected == written,
                $"docs/images/{picture} differs from what 'hiddenspace pictures' writes now; regenerate with " +
                "dotnet run -c Release --project samples/HiddenSpace.Cli -- pictures");
        }
        // The regression view: target bands as polygons under the 1,000 points.
        string regression = File.ReadAllText(Path.Combine(_directory, "sineridge-bottleneck.svg"));
        Assert.Equal(1000, CliTests.CountOf(regression, "<circle class=\"point\""));
        Assert.Equal(5, CliTests.CountOf(regression, "<polygon class=\"region\""));
    }
}
