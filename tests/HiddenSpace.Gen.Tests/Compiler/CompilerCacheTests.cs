using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HiddenSpace.Compiler;
using Xunit;

namespace HiddenSpace.Tests.Compiler;

/// <summary>The on-disk cache of compiled networks: hits, damage, concurrency, unusable folders, and processes without Roslyn.</summary>
public sealed class CompilerCacheTests : IDisposable
{
    private static readonly NetworkShape Small = new(2, Loss.MeanSquaredError, new LayerShape(3, Activation.Tanh, "H"), new LayerShape(1, Activation.Linear));
    private readonly TempDirectory _directory = new("cache");
    private readonly List<string> _notes = [];

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void AMissCompilesAndCachesOwnerOnlyAndTheNextCompilerLoadsTheEntry()
    {
        string cache = _directory.Combine("cache");
        using CompiledNetwork first = Compiler(cache).Compile(Small);
        Assert.Equal(CompiledNetworkOrigin.Compiled, first.Origin);
        string entry = Assert.Single(Directory.GetFiles(cache));
        Assert.EndsWith(".hsnet", entry);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(cache));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(entry));
        }

        using CompiledNetwork second = Compiler(cache).Compile(Small);
        Assert.Equal(CompiledNetworkOrigin.Cache, second.Origin);
        Assert.Equal(first.Create(4).Parameters.ToArray(), second.Create(4).Parameters.ToArray());
        Assert.Empty(_notes);
    }

    public static TheoryData<string, string> Damages => new()
    {
        { "payload byte flipped", "does not match its recorded SHA-256" },
        { "payload truncated", "(truncated?)" },
        { "header truncated", "has no complete header" },
        { "other key", "has a header that does not match" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void ADamagedEntryIsNotLoadedButRebuiltWithANote(string damage, string expectedNote)
    {
        string cache = _directory.Combine("cache");
        Compiler(cache).Compile(Small).Dispose();
        string entry = Assert.Single(Directory.GetFiles(cache));
        byte[] bytes = File.ReadAllBytes(entry);
        int headerEnd = bytes.AsSpan().IndexOf("\n\n"u8) + 2;
        byte[] damaged = damage switch
        {
            "payload byte flipped" => Flip(bytes, headerEnd + (bytes.Length - headerEnd) / 2),
            "payload truncated" => bytes[..^100],
            "header truncated" => bytes[..(headerEnd / 2)],
            _ => [.. "HiddenSpace.Gen compiled network\nshape inputs=9\n\n"u8.ToArray(), .. bytes[headerEnd..]],
        };
        File.WriteAllBytes(entry, damaged);

        using CompiledNetwork rebuilt = Compiler(cache).Compile(Small);
        Assert.Equal(CompiledNetworkOrigin.Compiled, rebuilt.Origin);
        string note = Assert.Single(_notes);
        Assert.Contains(expectedNote, note);
        Assert.Contains(entry, note);
        Assert.Equal(bytes, File.ReadAllBytes(entry)); // the deterministic compilation wrote the same entry again
        using CompiledNetwork hit = Compiler(cache).Compile(Small);
        Assert.Equal(CompiledNetworkOrigin.Cache, hit.Origin);
    }

    [Fact]
    public void ACacheFolderThatCannotBeCreatedFallsBackToMemoryWithAWarning()
    {
        _directory.Create();
        string file = _directory.Combine("a-file");
        File.WriteAllText(file, "not a folder");
        NetworkCompiler compiler = Compiler(Path.Combine(file, "cache"));
        Assert.Null(compiler.CacheDirectory);
        using CompiledNetwork compiled = compiler.Compile(Small);
        Assert.Equal(CompiledNetworkOrigin.CompiledInMemory, compiled.Origin);
        Assert.Equal(Small, compiled.Create(1).Shape);
        string warning = Assert.Single(_notes);
        Assert.StartsWith("warning: the network cache folder '", warning);
        Assert.Contains("cannot be created", warning);
        Assert.EndsWith("networks are compiled in memory for this run.", warning);
    }

    [Fact]
    public void ACacheFolderOthersMayWriteIsNotTrusted()
    {
        if (OperatingSystem.IsWindows()) return;
        string cache = _directory.Combine("shared");
        Directory.CreateDirectory(cache);
        File.SetUnixFileMode(cache, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        using CompiledNetwork compiled = Compiler(cache).Compile(Small);
        Assert.Equal(CompiledNetworkOrigin.CompiledInMemory, compiled.Origin);
        Assert.Contains("may be written by other users", Assert.Single(_notes));
        Assert.Empty(Directory.GetFileSystemEntries(cache));
    }

    [Fact]
    public async Task TwoProcessesCompilingTheSameShapeAtOnceBothSucceedAndLeaveOneValidEntry()
    {
        string cache = _directory.Combine("cache");
        ChildResult[] results = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => Task.Run(() => RunCli(CliDirectory(), cache, _directory.Combine($"out{i}"), "--hidden", "5"))));
        foreach (ChildResult result in results)
        {
            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Contains("engine: generated (", result.Output);
        }
        Assert.Single(Directory.GetFileSystemEntries(cache)); // no temporary file left behind
        using CompiledNetwork hit = Compiler(cache).Compile(TestCompiler.ToolDefault(5));
        Assert.Equal(CompiledNetworkOrigin.Cache, hit.Origin);
    }

    [Fact]
    public void AProcessThatHitsTheCacheDoesNotNeedRoslyn()
    {
        string cache = _directory.Combine("cache");
        Compiler(cache).Compile(TestCompiler.ToolDefault(16, 16)).Dispose(); // the tool's network for xor, compiled in this process

        // The tool without Roslyn's assemblies (and without its dependency manifest, which names them): loading
        // Microsoft.CodeAnalysis would fail, so a run that succeeds never started it.
        string withoutRoslyn = _directory.Combine("tool");
        Directory.CreateDirectory(withoutRoslyn);
        foreach (string file in Directory.GetFiles(CliDirectory()))
        {
            string name = Path.GetFileName(file);
            if (name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) || name.EndsWith(".deps.json", StringComparison.Ordinal)) continue;
            File.Copy(file, Path.Combine(withoutRoslyn, name));
        }

        ChildResult result = RunCli(withoutRoslyn, cache, _directory.Combine("out"));
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("engine: generated (from the cache in ", result.Output);

        ChildResult miss = RunCli(withoutRoslyn, cache, _directory.Combine("out2"), "--hidden", "7");
        Assert.NotEqual(0, miss.ExitCode); // the same tool without the cache entry does need Roslyn: the check above can fail
        Assert.Contains("Microsoft.CodeAnalysis", miss.Output);
    }

    private NetworkCompiler Compiler(string cache) => new(new NetworkCompilerOptions { CacheDirectory = cache }, _notes.Add);

    private static byte[] Flip(byte[] bytes, int index)
    {
        byte[] copy = [.. bytes];
        copy[index] ^= 0x40;
        return copy;
    }

    private sealed record ChildResult(int ExitCode, string Output);

    /// <summary>Runs the built hiddenspace tool from <paramref name="toolDirectory"/> on a small xor run in a process of its own.</summary>
    private static ChildResult RunCli(string toolDirectory, string cache, string output, params string[] extra)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])[Path.Combine(toolDirectory, "HiddenSpace.Cli.dll"), "train", "--data", "xor", "--points", "60", "--epochs", "1", "--cache", cache, "--out", output, .. extra])
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("hiddenspace did not finish in 3 minutes");
        }
        return new ChildResult(process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>The built tool's folder: samples/HiddenSpace.Cli/bin/&lt;configuration&gt;/net10.0 of this checkout.</summary>
    private static string CliDirectory()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = testOutput.Name, configuration = testOutput.Parent!.Name;
        for (DirectoryInfo? directory = testOutput; directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "samples", "HiddenSpace.Cli", "bin", configuration, framework);
            if (File.Exists(Path.Combine(candidate, "HiddenSpace.Cli.dll"))) return candidate;
        }
        throw new DirectoryNotFoundException($"The built hiddenspace tool (samples/HiddenSpace.Cli/bin/{configuration}/{framework}) was not found above {testOutput.FullName}.");
    }
}
