using System;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace HiddenSpace.Compiler;

/// <summary>
/// Compiled network assemblies on disk, one file per entry, named by a hash of everything the bytes depend on (the
/// architecture fingerprint, the generator, the runtime and this compiler). An entry is a short text header — the
/// key material, the SHA-256 and length of the assembly — followed by the assembly; it is written atomically
/// (temporary file, then rename), so concurrent writers each leave one complete entry, and it is used only when its
/// key material and hash check out. The folder is created readable and writable by its owner only and is not used
/// when others may write to it: the entries are code that will run.
/// </summary>
internal sealed class CompiledNetworkCache
{
    private const string Magic = "HiddenSpace.Gen compiled network";
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private CompiledNetworkCache(string directory) => Directory = directory;

    /// <summary>The cache folder.</summary>
    public string Directory { get; }

    /// <summary>
    /// The cache in <paramref name="directory"/>, created when missing; null, with the reason, when it cannot be used
    /// (it cannot be created, it is not a folder, or others may write to it).
    /// </summary>
    public static CompiledNetworkCache? Open(string directory, out string? reason)
    {
        string fullPath = Path.GetFullPath(directory);
        try
        {
            if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(fullPath);
            else System.IO.Directory.CreateDirectory(fullPath, OwnerOnlyFolder);
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(fullPath) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                reason = $"the network cache folder '{fullPath}' may be written by other users, so its code is not trusted";
                return null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"the network cache folder '{fullPath}' cannot be created: {e.Message}";
            return null;
        }
        reason = null;
        return new CompiledNetworkCache(fullPath);
    }

    /// <summary>The entry file for <paramref name="keyMaterial"/>.</summary>
    public string EntryPath(string keyMaterial) =>
        Path.Combine(Directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(keyMaterial)))[..32] + ".hsnet");

    /// <summary>
    /// The assembly cached for <paramref name="keyMaterial"/>: null when there is no entry, or when the entry is damaged
    /// (then <paramref name="damage"/> says how, and the caller rebuilds it).
    /// </summary>
    public byte[]? TryRead(string keyMaterial, out string? damage)
    {
        damage = null;
        string path = EntryPath(keyMaterial);
        byte[] entry;
        try
        {
            entry = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            damage = $"cannot be read ({e.Message})";
            return null;
        }
        byte[]? assembly = Decode(entry, keyMaterial, out damage);
        return assembly;
    }

    /// <summary>Writes the entry for <paramref name="keyMaterial"/> atomically, owner-only.</summary>
    /// <exception cref="IOException">The entry cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The entry cannot be written.</exception>
    public void Write(string keyMaterial, byte[] assembly)
    {
        byte[] header = Encoding.UTF8.GetBytes(Header(keyMaterial, assembly));
        AtomicFile.Write(EntryPath(keyMaterial), stream =>
        {
            stream.Write(header);
            stream.Write(assembly);
        }, OperatingSystem.IsWindows() ? null : OwnerOnlyFile);
    }

    private static string Header(string keyMaterial, byte[] assembly) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Magic}\n{keyMaterial}\nsha256 {Convert.ToHexStringLower(SHA256.HashData(assembly))}\nlength {assembly.Length}\n\n");

    private static byte[]? Decode(byte[] entry, string keyMaterial, out string? damage)
    {
        int end = entry.AsSpan().IndexOf("\n\n"u8);
        if (end < 0)
        {
            damage = "has no complete header (truncated?)";
            return null;
        }
        string header = Encoding.UTF8.GetString(entry, 0, end + 2);
        string[] lines = header.TrimEnd('\n').Split('\n');
        string expectedStart = $"{Magic}\n{keyMaterial}\n";
        if (!header.StartsWith(expectedStart, StringComparison.Ordinal) || lines.Length < 2
            || !lines[^2].StartsWith("sha256 ", StringComparison.Ordinal) || !lines[^1].StartsWith("length ", StringComparison.Ordinal)
            || !int.TryParse(lines[^1].AsSpan("length ".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int length))
        {
            damage = "has a header that does not match this architecture, generator and runtime";
            return null;
        }
        byte[] assembly = entry.AsSpan(end + 2).ToArray();
        if (assembly.Length != length)
        {
            damage = $"holds {assembly.Length} bytes of code where its header says {length} (truncated?)";
            return null;
        }
        if (lines[^2]["sha256 ".Length..] != Convert.ToHexStringLower(SHA256.HashData(assembly)))
        {
            damage = "does not match its recorded SHA-256 (changed on disk?)";
            return null;
        }
        damage = null;
        return assembly;
    }
}
