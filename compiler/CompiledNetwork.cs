using System;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace HiddenSpace.Compiler;

/// <summary>Where a <see cref="CompiledNetwork"/>'s code came from.</summary>
public enum CompiledNetworkOrigin
{
    /// <summary>An intact cache entry: Roslyn was not started.</summary>
    Cache,
    /// <summary>Generated and compiled in this process, then cached.</summary>
    Compiled,
    /// <summary>Generated and compiled in this process; the cache was not usable, so nothing was kept.</summary>
    CompiledInMemory,
}

/// <summary>
/// The generated code of one architecture, loaded into its own collectible load context: a factory for networks of
/// that architecture. <see cref="Dispose"/> unloads the code once the networks it made are unreachable.
/// </summary>
public sealed class CompiledNetwork : IDisposable
{
    private readonly LoadContext _context;
    private Func<int, INetwork>? _create;

    private CompiledNetwork(NetworkShape shape, LoadContext context, Func<int, INetwork> create, CompiledNetworkOrigin origin, TimeSpan elapsed)
    {
        Shape = shape;
        _context = context;
        _create = create;
        Origin = origin;
        Elapsed = elapsed;
    }

    /// <summary>The architecture.</summary>
    public NetworkShape Shape { get; }

    /// <summary>Whether the code came from the cache or was compiled now.</summary>
    public CompiledNetworkOrigin Origin { get; }

    /// <summary>The time <see cref="NetworkCompiler.Compile"/> took: the cache look-up and load, plus generating and compiling on a miss.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>A new network with weights initialised from <paramref name="seed"/>, as the generated <c>(int seed)</c> constructor does.</summary>
    /// <exception cref="ObjectDisposedException">The code was unloaded.</exception>
    public INetwork Create(int seed)
    {
        Func<int, INetwork> create = _create ?? throw new ObjectDisposedException(nameof(CompiledNetwork), "The compiled network's code was unloaded.");
        return create(seed);
    }

    /// <summary>Starts unloading the code: it goes once no network made by <see cref="Create"/> is reachable.</summary>
    public void Dispose()
    {
        if (_create is null) return;
        _create = null;
        _context.Unload();
    }

    internal static CompiledNetwork Load(NetworkShape shape, byte[] assembly, string name, CompiledNetworkOrigin origin, Stopwatch clock)
    {
        var context = new LoadContext(name);
        Assembly loaded;
        using (var stream = new MemoryStream(assembly, writable: false)) loaded = context.LoadFromStream(stream);
        // Reflection once per load; instances come from a delegate.
        MethodInfo factory = loaded.GetType(NetworkCompiler.FactoryTypeName, throwOnError: true)!.GetMethod("Create")!;
        var create = factory.CreateDelegate<Func<int, INetwork>>();
        INetwork probe = create(0);
        if (!probe.Shape.Equals(shape))
            throw new NetworkCompilerException($"Internal error (a bug in HiddenSpace.Gen): the compiled network is {probe.Shape.Fingerprint()}, not {shape.Fingerprint()}.", null);
        return new CompiledNetwork(shape, context, create, origin, clock.Elapsed);
    }

    /// <summary>A collectible context that resolves the HiddenSpace.Gen runtime to the one this compiler runs with, so INetwork is one type.</summary>
    private sealed class LoadContext(string name) : AssemblyLoadContext(name, isCollectible: true)
    {
        private static readonly Assembly Runtime = typeof(INetwork).Assembly;

        protected override Assembly? Load(AssemblyName assemblyName) =>
            AssemblyName.ReferenceMatchesDefinition(assemblyName, Runtime.GetName()) ? Runtime : null;
    }
}
