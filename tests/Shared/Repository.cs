using System;
using System.IO;

namespace HiddenSpace.Tests;

/// <summary>The repository the tests run from: the folder above the test binaries that holds HiddenSpace.Gen.sln.</summary>
internal static class Repository
{
    public static string Root()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "HiddenSpace.Gen.sln")))
            directory = Path.GetDirectoryName(directory);
        return directory ?? throw new InvalidOperationException("HiddenSpace.Gen.sln not found above " + AppContext.BaseDirectory);
    }
}
