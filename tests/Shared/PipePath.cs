using System;
using System.IO.Pipes;
using System.Text;

namespace HiddenSpace.Tests;

/// <summary>
/// A path that reads as a pipe, as a shell's <c>&lt;(cat file)</c> gives one: the read end of an anonymous pipe holding
/// <paramref name="text"/> (up to the pipe's buffer, 64 KB), opened again through /proc/self/fd. Linux only.
/// </summary>
internal sealed class PipePath : IDisposable
{
    private readonly AnonymousPipeServerStream _writer;

    public PipePath(string text)
    {
        _writer = new AnonymousPipeServerStream(PipeDirection.Out);
        _writer.Write(Encoding.UTF8.GetBytes(text));
        _writer.Flush();
        Path = $"/proc/self/fd/{_writer.ClientSafePipeHandle.DangerousGetHandle()}";
    }

    /// <summary>The pipe's path.</summary>
    public string Path { get; }

    public void Dispose() => _writer.Dispose();
}
