using System;
using System.IO;

namespace HiddenSpace.Tests;

/// <summary>
/// A folder of a test's own under the system's temporary folder, deleted with everything in it on
/// <see cref="Dispose"/>. A test class holds one in a field (xunit makes a new instance for every test, and disposes
/// it after). The folder is not created: tests that need it create it, and tests of code that creates its own output
/// folder start without it.
/// </summary>
internal sealed class TempDirectory : IDisposable
{
    /// <summary>A new, unique path: <c>hsg-{purpose}-{guid}</c> in the temporary folder.</summary>
    public TempDirectory(string purpose) =>
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"hsg-{purpose}-{Guid.NewGuid():N}");

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>Creates the folder, if it does not exist yet.</summary>
    public void Create() => Directory.CreateDirectory(Path);

    /// <summary>The path of <paramref name="parts"/> inside the folder.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Deletes the folder and everything in it, if it exists.</summary>
    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
