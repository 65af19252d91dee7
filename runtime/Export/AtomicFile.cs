using System;
using System.IO;
using System.Text;

namespace HiddenSpace;

/// <summary>
/// Writes a file so that readers see either the complete old content or the complete new content, never
/// a half-written file: the content goes to a uniquely named temporary file in the same directory, is
/// flushed to disk, and then replaces <c>path</c> with a rename (atomic within one file system).
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
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        string fileName = Path.GetFileName(fullPath);
        if (fileName.Length == 0)
            throw new ArgumentException($"'{path}' names a directory, not a file.", nameof(path));
        string directory = Path.GetDirectoryName(fullPath)!;

        CreateDirectory(directory, fullPath);
        // A leading dot hides the temporary file from casual listings; the GUID keeps concurrent writers apart.
        // The name is shortened so the temporary name stays within the 255-character limit of most file systems.
        string temporaryPath = Path.Combine(directory, $".{fileName[..Math.Min(fileName.Length, 100)]}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (FileStream stream = OpenTemporary(temporaryPath, fullPath, unixCreateMode))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            Replace(temporaryPath, fullPath);
        }
        catch
        {
            DeleteQuietly(temporaryPath);
            throw;
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
