using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using HiddenSpace.Tests.Baking;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Packaging;

/// <summary>
/// The NuGet packages as a user gets them: HiddenSpace.Gen (runtime + generator) and HiddenSpace.Gen.Compiler,
/// packed from a copy of the sources into a temp feed with a unique version, restored by fresh console projects
/// outside the solution (nuget.config adds the feed to the default sources; NUGET_PACKAGES is a fresh folder so
/// no cached copy can stand in); one of them bakes a weights file (an AdditionalFiles item: the SDK hands those to every
/// analyzer, so the package needs no build props or targets for it). Filter: <c>Category=Package</c>.
/// </summary>
[Trait("Category", "Package")]
public class PackageTests(ITestOutputHelper output)
{
    private const string Network = """
        [Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]
        [Dense(16, Activation.Tanh)]
        [Dense(16, Activation.Tanh)]
        [Dense(2, Activation.Tanh, Tap = "Bottleneck")]
        [Dense(1, Activation.Sigmoid)]
        """;

    [Fact]
    public void PackagesTrainInFreshStrictConsumersAndReportDiagnostics()
    {
        string root = Directory.CreateTempSubdirectory("hsg-package-").FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            string version = "0.1.0-test." + Guid.NewGuid().ToString("N");
            string feed = Path.Combine(root, "feed");
            string packages = Path.Combine(root, "packages");

            // Pack from a copy, so the worktree's bin/obj (and builds running in it) are left alone.
            string sources = Path.Combine(root, "src");
            string repository = Repository.Root();
            foreach (string item in new[] { "runtime", "generator", "compiler" })
                CopySources(Path.Combine(repository, item), Path.Combine(sources, item));
            foreach (string file in new[] { "Directory.Build.props", "Directory.Packages.props" })
                File.Copy(Path.Combine(repository, file), Path.Combine(sources, file));
            Dotnet(sources, null, "pack", "runtime", "-c", "Release", "-o", feed, "-p:Version=" + version).AssertSuccess("pack");
            Dotnet(sources, null, "pack", "compiler", "-c", "Release", "-o", feed, "-p:Version=" + version).AssertSuccess("pack compiler");
            TimeSpan packed = clock.Elapsed;

            string package = Path.Combine(feed, $"HiddenSpace.Gen.{version}.nupkg");
            using (ZipArchive archive = ZipFile.OpenRead(package))
            {
                string[] entries = archive.Entries.Select(e => e.FullName).Where(n => n.EndsWith(".dll", StringComparison.Ordinal)).Order().ToArray();
                Assert.Equal(["analyzers/dotnet/cs/HiddenSpace.Gen.Generator.dll", "lib/net10.0/HiddenSpace.Gen.dll"], entries);
            }
            using (ZipArchive archive = ZipFile.OpenRead(Path.Combine(feed, $"HiddenSpace.Gen.Compiler.{version}.nupkg")))
            {
                string[] entries = archive.Entries.Select(e => e.FullName).Where(n => n.EndsWith(".dll", StringComparison.Ordinal)).Order().ToArray();
                Assert.Equal(["lib/net10.0/HiddenSpace.Gen.Compiler.dll", "lib/net10.0/HiddenSpace.Gen.Generator.dll"], entries);
            }

            // The good consumer trains a declared network and bakes a weights file (an AdditionalFiles item and
            // [Network(Weights = ...)], nothing else): the baked class prints its bits and class on 40 rows.
            string bakedDeclaration = Network.Replace("Loss.BinaryCrossEntropy)]", "Loss.BinaryCrossEntropy, Weights = \"models/moons.weights.json\")]", StringComparison.Ordinal)
                + "\ninternal sealed partial class BakedMoons { }";
            string good = Consumer(root, "Good", feed, version, "HiddenSpace.Gen", Network + "\ninternal sealed partial class MoonsNet { }\n\n" + bakedDeclaration, """
                var net = new MoonsNet(seed: 0);
                (Dataset train, Dataset test) = Datasets.Moons(400, noise: 0.1, seed: 0).StratifiedSplit(0.3, seed: 0);
                TrainingHistory history = Trainer.Train(net, train, test, new TrainingOptions(Epochs: 30, BatchSize: 16));
                Console.WriteLine("test accuracy " + history.Epochs[^1].TestAccuracy.ToString("0.000", CultureInfo.InvariantCulture));
                var baked = new BakedMoons();
                Dataset rows = Datasets.Moons(40, noise: 0.1, seed: 3);
                var output = new float[1];
                for (int r = 0; r < rows.Count; r++)
                {
                    baked.Forward(rows.Row(r), output);
                    Console.WriteLine($"row {r}: {BitConverter.SingleToInt32Bits(output[0])} class {baked.Predict(rows.Row(r))}");
                }
                """, additionalFiles: "models/moons.weights.json");
            Directory.CreateDirectory(Path.Combine(good, "models"));
            File.Copy(BakedMoonsNet.CommittedPath, Path.Combine(good, "models", "moons.weights.json"));
            ProcessResult build = Dotnet(good, packages, "build", "-c", "Release");
            build.AssertSuccess("consumer build");
            Assert.Contains(" 0 Warning(s)", build.Output);
            string GeneratedMoonsNet() => File.ReadAllText(Directory.EnumerateFiles(Path.Combine(good, "obj"), "*MoonsNet.g.cs", SearchOption.AllDirectories).Single());
            Assert.All(new[] { "512", "256", "128" }, width => Assert.Contains($"void ForwardLayer1Lanes{width}(", GeneratedMoonsNet()));
            ProcessResult run = Dotnet(good, packages, "run", "-c", "Release", "--no-build");
            run.AssertSuccess("consumer run");
            string line = run.Output.Split('\n').Single(l => l.StartsWith("test accuracy ", StringComparison.Ordinal));
            double accuracy = double.Parse(line["test accuracy ".Length..], CultureInfo.InvariantCulture);
            Assert.InRange(accuracy, 0.8, 1.0);
            // The oracle: this project's BakedMoonsNet, baked from the same file, gives the trained network's bits (BakedMoonsTests).
            var oracle = new BakedMoonsNet();
            Dataset moons = Datasets.Moons(40, noise: 0.1, seed: 3);
            var expected = new float[1];
            string[] printed = [.. run.Output.Split('\n').Where(l => l.StartsWith("row ", StringComparison.Ordinal))];
            Assert.Equal(moons.Count, printed.Length);
            for (int r = 0; r < moons.Count; r++)
            {
                oracle.Forward(moons.Row(r), expected);
                Assert.Equal($"row {r}: {BitConverter.SingleToInt32Bits(expected[0])} class {oracle.Predict(moons.Row(r))}", printed[r]);
            }

            // The package makes the generator's build property visible: one lane width asked for, one written.
            Dotnet(good, packages, "build", "-c", "Release", "-p:HiddenSpace_LaneWidth=256").AssertSuccess("consumer build at one lane width");
            Assert.Contains("void ForwardLayer1Lanes256(", GeneratedMoonsNet());
            Assert.DoesNotContain("Lanes512", GeneratedMoonsNet());

            string bad = Consumer(root, "Bad", feed, version, "HiddenSpace.Gen", Network + "\ninternal sealed class MoonsNet { }", "Console.WriteLine(\"unreachable\");");
            ProcessResult failed = Dotnet(bad, packages, "build", "-c", "Release");
            Assert.NotEqual(0, failed.ExitCode);
            Assert.Contains("error HSG0001: The class 'MoonsNet' declares a network but is not partial", failed.Output);

            // The compiler package alone: no declaration in the project, the network compiled at run time.
            string runTime = Consumer(root, "RunTime", feed, version, "HiddenSpace.Gen.Compiler", "", """
                var shape = new NetworkShape(2, Loss.BinaryCrossEntropy, new LayerShape(8, Activation.Tanh), new LayerShape(1, Activation.Sigmoid));
                using CompiledNetwork compiled = new NetworkCompiler(new NetworkCompilerOptions { UseCache = false }).Compile(shape);
                INetwork net = compiled.Create(seed: 0);
                (Dataset train, Dataset test) = Datasets.Moons(400, noise: 0.1, seed: 0).StratifiedSplit(0.3, seed: 0);
                TrainingHistory history = Trainer.Train(net, train, test, new TrainingOptions(Epochs: 30, BatchSize: 16));
                Console.WriteLine(compiled.Origin + " " + net.GetType().FullName + " test accuracy " + history.Epochs[^1].TestAccuracy.ToString("0.000", CultureInfo.InvariantCulture));
                """);
            Dotnet(runTime, packages, "build", "-c", "Release").AssertSuccess("run-time consumer build");
            ProcessResult compiledRun = Dotnet(runTime, packages, "run", "-c", "Release", "--no-build");
            compiledRun.AssertSuccess("run-time consumer run");
            Assert.Contains("CompiledInMemory HiddenSpace.Compiled.Network test accuracy 0.", compiledRun.Output);

            output.WriteLine($"pack {packed.TotalSeconds:0.0} s, total {clock.Elapsed.TotalSeconds:0.0} s, {line}");
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>A console project with every analyzer on and warnings as errors, restoring from the default sources plus <paramref name="feed"/>.</summary>
    private static string Consumer(string root, string name, string feed, string version, string package, string declarations, string program, string? additionalFiles = null)
    {
        string directory = Path.Combine(root, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="hiddenspace-test-feed" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <AnalysisMode>All</AnalysisMode>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{package}" Version="{version}" />
                {(additionalFiles is null ? "" : $"<AdditionalFiles Include=\"{additionalFiles}\" />")}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), $"""
            using System.Globalization;
            using HiddenSpace;
            {(package == "HiddenSpace.Gen" ? "" : "using HiddenSpace.Compiler;")}

            {program}

            {declarations}
            """);
        return directory;
    }

    private static void CopySources(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj") continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }

    private sealed record ProcessResult(string Description, int ExitCode, string Output)
    {
        public void AssertSuccess(string step) => Assert.True(ExitCode == 0, $"{step} failed ({Description}, exit {ExitCode}):\n{Output}");
    }

    private static ProcessResult Dotnet(string directory, string? packagesFolder, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        if (arguments[0] != "run") start.ArgumentList.Add("-nodeReuse:false");
        // Variables the test host sets for its own MSBuild must not leak into the child builds.
        foreach (string variable in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
            start.Environment.Remove(variable);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (packagesFolder is not null) start.Environment["NUGET_PACKAGES"] = packagesFolder;
        using Process process = Process.Start(start)!;
        var lines = new List<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish in 4 minutes");
        }
        process.WaitForExit();
        lock (lines) return new ProcessResult("dotnet " + string.Join(' ', arguments), process.ExitCode, string.Join('\n', lines));
    }
}
