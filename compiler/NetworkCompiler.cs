using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using HiddenSpace.Gen.Emitting;
using HiddenSpace.Gen.Parsing;

namespace HiddenSpace.Compiler;

/// <summary>Where a network compiler keeps compiled networks.</summary>
public sealed record NetworkCompilerOptions
{
    /// <summary>
    /// The cache folder. Null means the <see cref="NetworkCompiler.CacheDirectoryVariable"/> environment variable when set,
    /// else <see cref="NetworkCompiler.DefaultCacheDirectory"/>.
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>False compiles every network in memory and never reads or writes the cache.</summary>
    public bool UseCache { get; init; } = true;
}

/// <summary>
/// Turns a <see cref="NetworkShape"/> into generated code at run time, with no second code path: it writes the
/// shape's <c>[Network]</c>/<c>[Dense]</c> declaration (<see cref="NetworkShape.ToDeclaration"/>), runs the
/// HiddenSpace.Gen source generator over it in-process, compiles the result against the running runtime, and loads
/// it into a collectible <see cref="System.Runtime.Loader.AssemblyLoadContext"/>. Compiled assemblies are cached on
/// disk (see <see cref="NetworkCompilerOptions"/>), so a later process loads them without starting Roslyn.
/// Safe to use from several threads.
/// </summary>
public sealed class NetworkCompiler
{
    /// <summary>The environment variable that overrides the default cache folder.</summary>
    public const string CacheDirectoryVariable = "HIDDENSPACE_CACHE";

    private const string CompiledNamespace = "HiddenSpace.Compiled";
    private const string CompiledClass = "Network";
    private const string FactoryClass = "NetworkFactory";
    // Read by name: loading the generator's types would load Roslyn, which a cache hit must not do.
    private const string GeneratorAssemblyName = "HiddenSpace.Gen.Generator";

    private static readonly Lazy<string> BuildIdentity = new(DescribeBuild);

    private readonly CompiledNetworkCache? _cache;
    private readonly Action<string> _notes;

    /// <summary>
    /// A compiler with the cache in <paramref name="options"/>. One-line notes — a cache that cannot be used (then
    /// networks are compiled in memory) or a damaged entry that was rebuilt — go to <paramref name="notes"/>.
    /// </summary>
    public NetworkCompiler(NetworkCompilerOptions? options = null, Action<string>? notes = null)
    {
        options ??= new NetworkCompilerOptions();
        _notes = notes ?? (_ => { });
        if (!options.UseCache) return;
        string directory = options.CacheDirectory
            ?? (Environment.GetEnvironmentVariable(CacheDirectoryVariable) is { Length: > 0 } fromVariable ? fromVariable : DefaultCacheDirectory());
        _cache = CompiledNetworkCache.Open(directory, out string? reason);
        if (_cache is null) _notes($"warning: {reason}; networks are compiled in memory for this run.");
    }

    /// <summary>The cache folder in use, or null when networks are compiled in memory.</summary>
    public string? CacheDirectory => _cache?.Directory;

    /// <summary>
    /// The per-user cache folder: <c>$XDG_CACHE_HOME/hiddenspace/networks</c> (else <c>~/.cache/hiddenspace/networks</c>)
    /// on Linux and macOS, <c>%LOCALAPPDATA%\HiddenSpace\networks</c> on Windows.
    /// </summary>
    public static string DefaultCacheDirectory()
    {
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "HiddenSpace", "networks");
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "hiddenspace", "networks");
    }

    /// <summary>
    /// The network of <paramref name="shape"/> as generated code: from the cache when an intact entry exists, else
    /// generated, compiled and (when the cache is usable) cached.
    /// </summary>
    /// <exception cref="ArchitectureRejectedException">The generator rejects the architecture (the build diagnostic's id and message).</exception>
    /// <exception cref="NetworkCompilerException">The generated code does not compile: a bug, with the files kept for the report.</exception>
    public CompiledNetwork Compile(NetworkShape shape, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var clock = Stopwatch.StartNew();
        string keyMaterial = KeyMaterial(shape);
        if (_cache is not null)
        {
            byte[]? cached = _cache.TryRead(keyMaterial, out string? damage);
            if (cached is not null)
                return CompiledNetwork.Load(shape, cached, AssemblyName(keyMaterial), CompiledNetworkOrigin.Cache, clock);
            if (damage is not null)
                _notes($"note: the cached network '{_cache.EntryPath(keyMaterial)}' {damage}; rebuilding it.");
        }

        byte[] assembly = Build(shape, keyMaterial, cancellationToken);
        CompiledNetworkOrigin origin = CompiledNetworkOrigin.CompiledInMemory;
        if (_cache is not null)
        {
            try
            {
                _cache.Write(keyMaterial, assembly);
                origin = CompiledNetworkOrigin.Compiled;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _notes($"warning: the compiled network could not be cached ({e.Message}); it runs from memory.");
            }
        }
        return CompiledNetwork.Load(shape, assembly, AssemblyName(keyMaterial), origin, clock);
    }

    /// <summary>
    /// The code the generator writes for <paramref name="shape"/> declared as class <paramref name="className"/> in
    /// <paramref name="namespaceName"/> (the global namespace when null): the declaration and the generated files.
    /// </summary>
    /// <exception cref="ArchitectureRejectedException">The generator rejects the architecture.</exception>
    public static GeneratedNetworkCode Generate(NetworkShape shape, string className, string? namespaceName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(className);
        if (!IsIdentifier(className))
            throw new ArgumentException($"The class name '{className}' is not a C# identifier (letters, digits and '_', not starting with a digit, not a keyword).", nameof(className));
        if (namespaceName is not null && !IsNamespace(namespaceName))
            throw new ArgumentException($"The namespace '{namespaceName}' is not dot-separated C# identifiers.", nameof(namespaceName));
        string declaration = Declaration(shape, className, namespaceName, withFactory: false);
        BuildOutput output = RoslynBuild.Build("HiddenSpace.Generate", declaration, emit: false, laneWidth: null, cancellationToken);
        return new GeneratedNetworkCode(declaration, output.Files);
    }

    /// <summary>Whether <paramref name="name"/> can name a class: a C# identifier that is not a keyword.</summary>
    public static bool IsIdentifier(string name) => HiddenSpace.Shapes.ShapeRules.IsIdentifier(name);

    /// <summary>
    /// Why an identifier cannot name the class this library writes, or null when it can: the trainable network
    /// <see cref="Generate"/> declares (<paramref name="standalone"/> false) or the standalone class of
    /// <see cref="NetworkExport.CSharp"/> (true). A class cannot share a name with one of its members, and a class named
    /// like a type or namespace its code names hides that one, so either would not compile.
    /// </summary>
    public static string? ClassNameProblem(string name, bool standalone)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (standalone ? GeneratedMembers.Baked.Contains(name) || NetworkEmitter.StandaloneMembers.Contains(name) : GeneratedMembers.Fixed.Contains(name))
            return $"'{name}' is the name of one of the class's members, and a class cannot have a member of its own name; choose another name.";
        if (name == "System" || (!standalone && (name == "HiddenSpace" || GeneratedMembers.Aliases.ContainsKey(name) || DeclarationTypes.Contains(name))))
            return $"'{name}' names a type or namespace the {(standalone ? "exported" : "generated")} code uses, which a class of that name would hide; choose another name.";
        return null;
    }

    /// <summary>
    /// The types a network declaration names from its namespace (<c>using HiddenSpace;</c>) that a class of the same name
    /// would hide: the enums and the attribute classes. ([Network] and [Dense] still find NetworkAttribute and
    /// DenseAttribute beside a class named Network or Dense: the default class name is Network.)
    /// </summary>
    private static readonly HashSet<string> DeclarationTypes = new(StringComparer.Ordinal)
    {
        "NetworkAttribute", "DenseAttribute", "Loss", "Activation",
    };

    /// <summary>Whether <paramref name="name"/> can name a namespace: dot-separated <see cref="IsIdentifier"/> names.</summary>
    public static bool IsNamespace(string name) => name.Split('.').All(IsIdentifier);

    // Roslyn is touched only below this call, so a cache hit never loads it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte[] Build(NetworkShape shape, string keyMaterial, CancellationToken cancellationToken)
    {
        string declaration = Declaration(shape, CompiledClass, CompiledNamespace, withFactory: true);
        BuildOutput output = RoslynBuild.Build(AssemblyName(keyMaterial), declaration, emit: true, LaneWidth, cancellationToken);
        return output.Assembly ?? throw BuildFailure(shape, declaration, output);
    }

    /// <summary>The exception for generated code that did not compile, with the declaration, files and errors kept on disk.</summary>
    internal static NetworkCompilerException BuildFailure(NetworkShape shape, string declaration, BuildOutput output)
    {
        string? kept = KeepFiles(declaration, output);
        return new NetworkCompilerException(
            $"Internal error (a bug in HiddenSpace.Gen): the generated code for {shape} does not compile: {output.Errors.FirstOrDefault()}" +
            (kept is null ? "" : $" The declaration and generated files are kept in '{kept}' for the bug report."), kept);
    }

    private static string? KeepFiles(string declaration, BuildOutput output)
    {
        try
        {
            string directory = Path.Combine(Path.GetTempPath(), "hiddenspace-compile-failure-" + Guid.NewGuid().ToString("N")[..12]);
            AtomicFile.WriteAllText(Path.Combine(directory, "Declaration.cs"), declaration);
            foreach (GeneratedFile file in output.Files) AtomicFile.WriteAllText(Path.Combine(directory, file.HintName), file.Text);
            AtomicFile.WriteAllText(Path.Combine(directory, "errors.txt"), string.Join("\n", output.Errors) + "\n");
            return directory;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The C# file that declares <paramref name="shape"/>; with a factory the loader binds a delegate to.</summary>
    private static string Declaration(NetworkShape shape, string className, string? namespaceName, bool withFactory)
    {
        var source = new StringBuilder("using HiddenSpace;\n\n");
        if (namespaceName is not null) source.Append("namespace ").Append(namespaceName).Append(";\n\n");
        source.Append(shape.ToDeclaration(className));
        if (withFactory)
            source.Append($"\n/// <summary>Creates {className} instances for the loader, without reflection per instance.</summary>\n")
                .Append($"public static class {FactoryClass}\n{{\n    public static INetwork Create(int seed) => new {className}(seed);\n}}\n");
        return source.ToString();
    }

    internal static string FactoryTypeName => $"{CompiledNamespace}.{FactoryClass}";

    /// <summary>Everything the compiled bytes depend on: the architecture, the lane width, the generator, the runtime, this compiler.</summary>
    private static string KeyMaterial(NetworkShape shape) => $"shape {shape.Fingerprint()}\nlanes {LaneWidth ?? "none"}\n{BuildIdentity.Value}";

    /// <summary>
    /// The one lane-form width compiled: this machine's (<see cref="Kernels.LaneKernels.Lanes"/> floats; "512", "256" or
    /// "128" bits), which is the only one the code runs here. A build writes all three; a third of the code compiles
    /// in about a third of the time. Null without vector hardware (all three written, none run).
    /// </summary>
    private static string? LaneWidth => Kernels.LaneKernels.Lanes switch
    {
        16 => "512",
        8 => "256",
        4 => "128",
        _ => null,
    };

    private static string AssemblyName(string keyMaterial) =>
        "HiddenSpace.Compiled." + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(keyMaterial)))[..16];

    private static string DescribeBuild()
    {
        Assembly generator = Assembly.Load(new AssemblyName(GeneratorAssemblyName));
        Assembly runtime = typeof(INetwork).Assembly;
        Assembly compiler = typeof(NetworkCompiler).Assembly;
        return $"generator {generator.GetName().Version} {generator.ManifestModule.ModuleVersionId}\n" +
               $"runtime {runtime.GetName().Version} {runtime.ManifestModule.ModuleVersionId}\n" +
               $"compiler {compiler.GetName().Version} {compiler.ManifestModule.ModuleVersionId}";
    }
}

/// <summary>The generator's code for one architecture, as <c>hiddenspace generate</c> writes it.</summary>
/// <param name="Declaration">The <c>[Network]</c>/<c>[Dense]</c> declaration the generator read.</param>
/// <param name="Files">The files the generator wrote.</param>
public sealed record GeneratedNetworkCode(string Declaration, System.Collections.Generic.IReadOnlyList<GeneratedFile> Files);
