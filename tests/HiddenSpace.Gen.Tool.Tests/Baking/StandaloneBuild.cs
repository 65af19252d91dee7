using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Xunit.Sdk;

namespace HiddenSpace.Tests.Baking;

/// <summary>The two targets a standalone file must compile for, as C# 9 with every warning on.</summary>
public enum StandaloneTarget
{
    /// <summary>netstandard2.0 reference assemblies and the symbols the SDK defines for it: the FMA is emulated.</summary>
    NetStandard20,

    /// <summary>net10.0 reference assemblies and its symbols: MathF's FMA.</summary>
    Net100,
}

/// <summary>Compiles <c>hiddenspace export</c>'s file with Roslyn the way a project of each target would, and loads it.</summary>
internal static class StandaloneBuild
{
    private static readonly Lazy<MetadataReference[]> NetStandard20 = new(() =>
    {
        string folder = typeof(StandaloneBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NetStandard20References").Value!;
        return [.. Directory.EnumerateFiles(folder, "*.dll").Select(path => MetadataReference.CreateFromFile(path))];
    });

    /// <summary>Compiles <paramref name="source"/>, failing on any error or warning, and loads it into a collectible context.</summary>
    public static Assembly CompileAndLoad(string source, StandaloneTarget target)
    {
        string[] symbols = target == StandaloneTarget.NetStandard20
            ? ["NETSTANDARD", "NETSTANDARD2_0", "NETSTANDARD1_0_OR_GREATER", "NETSTANDARD2_0_OR_GREATER"]
            : ["NET", "NET10_0", "NETCOREAPP", "NETCOREAPP3_0_OR_GREATER", "NET5_0_OR_GREATER", "NET8_0_OR_GREATER", "NET10_0_OR_GREATER"];
        var parse = new CSharpParseOptions(LanguageVersion.CSharp9, preprocessorSymbols: symbols);
        CSharpCompilation compilation = CSharpCompilation.Create("Standalone" + target,
            [CSharpSyntaxTree.ParseText(source, parse, path: "Exported.cs")],
            target == StandaloneTarget.NetStandard20 ? NetStandard20.Value : Basic.Reference.Assemblies.Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999, checkOverflow: true));
        using var stream = new MemoryStream();
        EmitResult emit = compilation.Emit(stream);
        List<Diagnostic> problems = [.. emit.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning)];
        if (!emit.Success || problems.Count > 0)
            throw new XunitException($"The standalone file does not compile cleanly for {target}:\n" + string.Join("\n", problems));
        stream.Position = 0;
        return new AssemblyLoadContext("standalone-" + Guid.NewGuid().ToString("N"), isCollectible: true).LoadFromStream(stream);
    }

    /// <summary>A static method of the file's nested Kernels class as a delegate.</summary>
    public static T Kernel<T>(Type exported, string name) where T : Delegate =>
        exported.GetNestedType("Kernels", BindingFlags.NonPublic)!.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<T>();
}
