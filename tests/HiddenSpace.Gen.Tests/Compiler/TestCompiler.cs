using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using HiddenSpace.Compiler;

namespace HiddenSpace.Tests.Compiler;

/// <summary>
/// One network compiler for the whole test run, with its cache in a temporary folder (deleted when the process
/// exits): tests that compile the same architecture pay for Roslyn once. The folder is also the default cache of
/// every compiler the tests make (the hiddenspace tool run in-process included), so no test writes to the user's
/// cache. Cache behaviour itself is tested with compilers and folders of their own.
/// </summary>
internal static class TestCompiler
{
    [ModuleInitializer]
    internal static void UseTheTestCache() => Environment.SetEnvironmentVariable(NetworkCompiler.CacheDirectoryVariable, CacheDirectory);

    private static readonly TempDirectory Cache = new("test-cache");

    public static string CacheDirectory => Cache.Path;

    public static readonly NetworkCompiler Shared = new(new NetworkCompilerOptions { CacheDirectory = CacheDirectory });

    /// <summary>The network <c>hiddenspace train</c> builds with its defaults for a 2-class, 2-input set (xor, moons) and these hidden widths.</summary>
    public static NetworkShape ToolDefault(params int[] hidden) => new(2, Loss.BinaryCrossEntropy,
        [.. hidden.Select(width => new LayerShape(width, Activation.ReLU)), new LayerShape(2, Activation.Linear, "Bottleneck"), new LayerShape(1, Activation.Sigmoid)]);

    static TestCompiler() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        try
        {
            Cache.Dispose();
        }
        catch (IOException)
        {
            // Another test process may still read it; the folder is in the temporary directory either way.
        }
    };
}
