using System;
using System.IO;
using System.Text;
using Xunit;

namespace HiddenSpace.Tests.Export;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _directory = new("atomic");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void WriteAllTextCreatesMissingDirectoriesAndWritesUtf8WithoutBom()
    {
        string path = _directory.Combine("a", "b", "out.txt");

        AtomicFile.WriteAllText(path, "héllo");

        Assert.Equal(Encoding.UTF8.GetBytes("héllo"), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void WriteReplacesAnExistingFile()
    {
        string path = _directory.Combine("out.txt");
        AtomicFile.WriteAllText(path, "a much longer old content");

        AtomicFile.WriteAllText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void CallbackThrowingMidwayLeavesTheOldFileAndNoTemporaryFile()
    {
        string path = _directory.Combine("out.txt");
        AtomicFile.WriteAllText(path, "old content");
        var failure = new InvalidOperationException("disk full, pretend");

        var thrown = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(Encoding.UTF8.GetBytes("half of the new cont"));
            stream.Flush();
            throw failure;
        }));

        Assert.Same(failure, thrown);
        Assert.Equal("old content", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(_directory.Path));
    }

    [Fact]
    public void CallbackThrowingBeforeAnyFileExistedLeavesNothing()
    {
        string path = _directory.Combine("out.txt");

        Assert.Throws<FormatException>(() => AtomicFile.Write(path, _ => throw new FormatException()));

        Assert.Empty(Directory.GetFileSystemEntries(_directory.Path));
    }

    [Fact]
    public void ParentThatIsAFileGivesAnIOExceptionNamingThePath()
    {
        _directory.Create();
        string blocker = _directory.Combine("not-a-directory");
        File.WriteAllText(blocker, "x");
        string path = Path.Combine(blocker, "sub", "out.svg");

        var error = Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(path, "content"));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal("x", File.ReadAllText(blocker));
    }

    [Fact]
    public void LongestAllowedFileNameStillGetsATemporaryFile()
    {
        string path = _directory.Combine(new string('n', 250) + ".svg");

        AtomicFile.WriteAllText(path, "content");

        Assert.Equal("content", File.ReadAllText(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void BlankPathIsRejectedNamingTheParameter(string path)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => AtomicFile.WriteAllText(path, "x"));

        Assert.Equal("path", error.ParamName);
    }

    [Fact]
    public void PathEndingInASeparatorIsRejectedAsADirectory()
    {
        var error = Assert.Throws<ArgumentException>(() => AtomicFile.WriteAllText(_directory.Path + Path.DirectorySeparatorChar, "x"));

        Assert.Equal("path", error.ParamName);
    }

    [Fact]
    public void ADeviceIsRefusedAndStaysADevice()
    {
        // As root, a rename over /dev/null would succeed and replace the device with a regular file.
        var error = Assert.Throws<IOException>(() => WeightsFile.Save("/dev/null", new ReferenceNetwork(
            new NetworkShape(2, Loss.MeanSquaredError, new LayerShape(1, Activation.Linear)), seed: 1)));
        Assert.Contains("'/dev/null': it is a device, not a regular file", error.Message, StringComparison.Ordinal);
        Assert.Equal(FileKind.Device, FileKinds.Of("/dev/null"));
    }

    [Fact]
    public void APipeALinkAndADirectoryAreRefusedAndNothingIsLeftBeside()
    {
        _directory.Create();
        string pipe = _directory.Combine("pipe"), link = _directory.Combine("link"), folder = _directory.Combine("folder");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", pipe)) mkfifo.WaitForExit();
        File.WriteAllText(_directory.Combine("target"), "kept");
        File.CreateSymbolicLink(link, _directory.Combine("target"));
        Directory.CreateDirectory(folder);

        foreach ((string path, string kind) in new[] { (pipe, "a named pipe"), (link, "a symbolic link"), (folder, "a directory") })
        {
            var error = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "x"));
            Assert.Contains($"it is {kind}, not a regular file", error.Message, StringComparison.Ordinal);
        }
        Assert.Equal(FileKind.Pipe, FileKinds.Of(pipe));
        Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(link));
        Assert.Equal("kept", File.ReadAllText(_directory.Combine("target")));
        Assert.Equal(4, Directory.GetFileSystemEntries(_directory.Path).Length); // no temporary file left
    }

    [Fact]
    public void APendingFileAppearsOnlyOnCommit()
    {
        string path = _directory.Combine("pending.txt");
        using (AtomicFile.Pending file = AtomicFile.Begin(path))
        {
            file.Stream.Write("abc"u8);
            Assert.False(File.Exists(path));
            file.Commit();
        }
        Assert.Equal("abc", File.ReadAllText(path));
        using (AtomicFile.Pending file = AtomicFile.Begin(path))
            file.Stream.Write("never"u8);
        Assert.Equal("abc", File.ReadAllText(path));
        Assert.Single(Directory.GetFileSystemEntries(_directory.Path));
    }
}
