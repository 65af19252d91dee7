using System;
using System.IO;
using System.Text;

namespace HiddenSpace;

/// <summary>
/// Writes a file so that readers see either the complete old content or the complete new content, never
/// a half-written file: the content goes to a uniquely named temporary file in the same directory, is
/// flushed to disk, and then replaces <c>path</c> with a rename (atomic within one file system). Only a
/// regular file is ever replaced: a device (such as /dev/null), a pipe, a socket, a directory or a symbolic
/// link at <c>path</c> is refused before anything is written, since the rename would put a file in its place.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8WithoutBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Writes the file at <paramref name="path"/> with the bytes <paramref name="write"/> puts into the
    /// stream it is given. The callback must not dispose the stream. If anything throws, the temporary file
    /// is deleted, the exception propagates and the previous file at <paramref name="path"/> is untouched.
    /// Creates the directory when it is missing. On Unix, <paramref name="unixCreateMode"/> sets the new file's
    /// permissions (e.g. owner-only for files that hold code); by default they follow the umask.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, blank or names a directory.</exception>
    /// <exception cref="IOException">The directory cannot be created or the file cannot be written; the message names the path.</exception>
    /// <exception cref="UnauthorizedAccessException">Writing there is not permitted; the message names the path.</exception>
    public static void Write(string path, Action<Stream> write, UnixFileMode? unixCreateMode = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        using Pending file = Begin(path, unixCreateMode);
        write(file.Stream);
        file.Commit();
    }

    /// <summary>
    /// Starts writing the file at <paramref name="path"/>: write to <see cref="Pending.Stream"/>, then call
    /// <see cref="Pending.Commit"/>. Disposing without committing deletes the temporary file and leaves the
    /// previous file at <paramref name="path"/> untouched. Creates the directory when it is missing. On Unix,
    /// <paramref name="unixCreateMode"/> sets the new file's permissions; by default they follow the umask.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, blank or names a directory.</exception>
    /// <exception cref="IOException">Something other than a regular file is at <paramref name="path"/>, or the directory or temporary file cannot be created; the message names the path.</exception>
    /// <exception cref="UnauthorizedAccessException">Writing there is not permitted; the message names the path.</exception>
    public static Pending Begin(string path, UnixFileMode? unixCreateMode = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = Path.GetFullPath(path);
        string fileName = Path.GetFileName(fullPath);
        if (fileName.Length == 0)
            throw new ArgumentException($"'{path}' names a directory, not a file.", nameof(path));
        CheckReplaceable(fullPath);
        string directory = Path.GetDirectoryName(fullPath)!;

        CreateDirectory(directory, fullPath);
        // A leading dot hides the temporary file from casual listings; the GUID keeps concurrent writers apart.
        // The name is shortened so the temporary name stays within the 255-character limit of most file systems.
        string temporaryPath = Path.Combine(directory, $".{fileName[..Math.Min(fileName.Length, 100)]}.{Guid.NewGuid():N}.tmp");
        return new Pending(OpenTemporary(temporaryPath, fullPath, unixCreateMode), temporaryPath, fullPath);
    }

    /// <summary>Throws an <see cref="IOException"/> naming <paramref name="path"/> unless nothing or a regular file is there.</summary>
    /// <exception cref="IOException">Something other than a regular file is at <paramref name="path"/>.</exception>
    public static void CheckReplaceable(string path)
    {
        FileKind kind = FileKinds.Of(path);
        if (kind is not (FileKind.Missing or FileKind.Regular))
            throw new IOException($"Cannot write '{path}': it is {FileKinds.Describe(kind)}, not a regular file, and only a regular file is replaced; choose another path.");
    }

    /// <summary>A file being written: its temporary stream, replaced into place by <see cref="Commit"/>.</summary>
    public sealed class Pending : IDisposable
    {
        private readonly string _temporaryPath;
        private readonly string _fullPath;
        private bool _committed;

        internal Pending(FileStream stream, string temporaryPath, string fullPath)
        {
            Stream = stream;
            _temporaryPath = temporaryPath;
            _fullPath = fullPath;
        }

        /// <summary>The temporary file; do not dispose it.</summary>
        public Stream Stream { get; }

        /// <summary>Flushes the temporary file to disk and renames it over the path.</summary>
        /// <exception cref="IOException">The file cannot be flushed or replaced; the message names the path.</exception>
        public void Commit()
        {
            ObjectDisposedException.ThrowIf(_committed, this);
            ((FileStream)Stream).Flush(flushToDisk: true);
            Stream.Dispose();
            CheckReplaceable(_fullPath); // something other than a file may have appeared meanwhile
            Replace(_temporaryPath, _fullPath);
            _committed = true;
        }

        /// <summary>Deletes the temporary file unless <see cref="Commit"/> succeeded.</summary>
        public void Dispose()
        {
            if (_committed) return;
            Stream.Dispose();
            DeleteQuietly(_temporaryPath);
            _committed = true;
        }
    }

    /// <summary>
    /// Writes <paramref name="text"/> as UTF-8 without a byte order mark, atomically as
    /// <see cref="Write(string, Action{Stream}, UnixFileMode?)"/> does.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, blank or names a directory.</exception>
    /// <exception cref="IOException">The directory cannot be created or the file cannot be written; the message names the path.</exception>
    /// <exception cref="UnauthorizedAccessException">Writing there is not permitted; the message names the path.</exception>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] bytes = Utf8WithoutBom.GetBytes(text);
        Write(path, stream => stream.Write(bytes));
    }

    private static void CreateDirectory(string directory, string fullPath)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (IOException e)
        {
            throw new IOException($"Cannot write '{fullPath}': cannot create directory '{directory}': {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"Cannot write '{fullPath}': cannot create directory '{directory}': {e.Message}", e);
        }
    }

    private static FileStream OpenTemporary(string temporaryPath, string fullPath, UnixFileMode? unixCreateMode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (unixCreateMode is UnixFileMode mode && !OperatingSystem.IsWindows()) options.UnixCreateMode = mode;
        try
        {
            return new FileStream(temporaryPath, options);
        }
        catch (IOException e)
        {
            throw new IOException($"Cannot write '{fullPath}': cannot create temporary file '{temporaryPath}': {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"Cannot write '{fullPath}': cannot create temporary file '{temporaryPath}': {e.Message}", e);
        }
    }

    private static void Replace(string temporaryPath, string fullPath)
    {
        try
        {
            File.Move(temporaryPath, fullPath, overwrite: true);
        }
        catch (IOException e)
        {
            throw new IOException($"Cannot write '{fullPath}': cannot replace it with '{temporaryPath}': {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"Cannot write '{fullPath}': cannot replace it with '{temporaryPath}': {e.Message}", e);
        }
    }

    private static void DeleteQuietly(string temporaryPath)
    {
        try
        {
            File.Delete(temporaryPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original exception matters more than a leftover temporary file.
        }
    }
}
