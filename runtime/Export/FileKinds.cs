using System;
using System.IO;
using System.Runtime.InteropServices;

namespace HiddenSpace;

/// <summary>What kind of file system entry a path names, without following a symbolic link.</summary>
internal enum FileKind
{
    /// <summary>Nothing is there.</summary>
    Missing,
    /// <summary>A regular file.</summary>
    Regular,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>A symbolic link (to anything).</summary>
    SymbolicLink,
    /// <summary>A character or block device (such as /dev/null).</summary>
    Device,
    /// <summary>A named pipe (FIFO).</summary>
    Pipe,
    /// <summary>A socket.</summary>
    Socket,
}

/// <summary>
/// Tells a regular file from a device, pipe, socket, directory or link. .NET reports devices and pipes as
/// "Normal" files, so on Unix this asks lstat(2) through the runtime's own native shim (libSystem.Native ships with
/// every .NET runtime; its FileStatus layout is the runtime's, the same on every architecture).
/// </summary>
internal static class FileKinds
{
    // PAL file type bits of SystemNative_LStat's FileStatus.Mode (pal_io.h).
    private const int TypeMask = 0xF000, Pipe = 0x1000, CharacterDevice = 0x2000, DirectoryType = 0x4000, BlockDevice = 0x6000,
        RegularType = 0x8000, Link = 0xA000, SocketType = 0xC000;

    /// <summary>The kind of entry at <paramref name="path"/>.</summary>
    public static FileKind Of(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            var info = new FileInfo(path);
            if (!info.Exists && !System.IO.Directory.Exists(path)) return FileKind.Missing;
            FileAttributes attributes = info.Attributes;
            return (attributes & FileAttributes.ReparsePoint) != 0 ? FileKind.SymbolicLink
                : (attributes & FileAttributes.Directory) != 0 ? FileKind.Directory
                : (attributes & FileAttributes.Device) != 0 ? FileKind.Device
                : FileKind.Regular;
        }
        var status = new byte[256]; // FileStatus is about 120 bytes
        if (LStat(path, status) != 0) return FileKind.Missing;
        return (BitConverter.ToInt32(status, 4) & TypeMask) switch
        {
            RegularType => FileKind.Regular,
            DirectoryType => FileKind.Directory,
            Link => FileKind.SymbolicLink,
            CharacterDevice or BlockDevice => FileKind.Device,
            Pipe => FileKind.Pipe,
            SocketType => FileKind.Socket,
            _ => FileKind.Device, // no other kinds exist; a new one would not be a regular file either
        };
    }

    /// <summary>"a character or block device" and the like, for messages.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Device => "a device",
        FileKind.Pipe => "a named pipe",
        FileKind.Socket => "a socket",
        FileKind.Regular => "a regular file",
        _ => "nothing",
    };

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat")]
    private static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] status);
}
