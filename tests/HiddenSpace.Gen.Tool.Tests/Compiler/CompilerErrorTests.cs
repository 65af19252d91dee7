using System.IO;
using System.Linq;
using HiddenSpace.Compiler;
using HiddenSpace.Tests.Generator;
using Microsoft.CodeAnalysis;
using Xunit;

namespace HiddenSpace.Tests.Compiler;

/// <summary>What the compiler says when the generator refuses an architecture, and when its own output does not compile.</summary>
public class CompilerErrorTests
{
    [Fact]
    public void ARejectedArchitectureCarriesTheBuildsDiagnosticIdAndMessage()
    {
        // 1 input and 750,000,000 linear units: 1.5 billion parameters fit one array, but the scratch buffer (the input
        // and each unit's z, a and d: 2,250,000,001 floats) does not, which NetworkShape does not check and the generator does.
        var shape = new NetworkShape(1, Loss.MeanSquaredError, new LayerShape(750_000_000, Activation.Linear));
        var rejected = Assert.Throws<ArchitectureRejectedException>(() => TestCompiler.Shared.Compile(shape));

        Diagnostic build = GeneratorHarness.Run("using HiddenSpace;\n" + shape.ToDeclaration("Network")).GeneratorDiagnostics
            .Single(d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(build.Id, rejected.DiagnosticId);
        Assert.Equal("HSG0019", rejected.DiagnosticId);
        Assert.Equal(build.GetMessage(System.Globalization.CultureInfo.InvariantCulture), rejected.DiagnosticMessage);
        Assert.Equal($"HSG0019: {rejected.DiagnosticMessage}", rejected.Message);
    }

    [Fact]
    public void GeneratedCodeThatDoesNotCompileIsReportedAsOurBugWithItsFilesKept()
    {
        var shape = new NetworkShape(2, Loss.MeanSquaredError, new LayerShape(1, Activation.Linear));
        var output = new BuildOutput([new GeneratedFile("Network.g.cs", "partial class Network { int x = ; }")], null,
            ["Network.g.cs(1,33): error CS1525: Invalid expression term ';'"]);
        NetworkCompilerException failure = NetworkCompiler.BuildFailure(shape, "[Network(...)] declaration", output);
        try
        {
            Assert.StartsWith("Internal error (a bug in HiddenSpace.Gen): the generated code for 2-1 (MeanSquaredError) does not compile: Network.g.cs(1,33): error CS1525", failure.Message);
            Assert.NotNull(failure.KeptFilesDirectory);
            Assert.EndsWith($"kept in '{failure.KeptFilesDirectory}' for the bug report.", failure.Message);
            Assert.Equal("[Network(...)] declaration", File.ReadAllText(Path.Combine(failure.KeptFilesDirectory, "Declaration.cs")));
            Assert.Equal("partial class Network { int x = ; }", File.ReadAllText(Path.Combine(failure.KeptFilesDirectory, "Network.g.cs")));
            Assert.Equal("Network.g.cs(1,33): error CS1525: Invalid expression term ';'\n", File.ReadAllText(Path.Combine(failure.KeptFilesDirectory, "errors.txt")));
        }
        finally
        {
            if (failure.KeptFilesDirectory is not null) Directory.Delete(failure.KeptFilesDirectory, recursive: true);
        }
    }
}
