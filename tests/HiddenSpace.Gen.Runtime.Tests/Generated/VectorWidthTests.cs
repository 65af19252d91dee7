using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.Intrinsics;
using HiddenSpace.Kernels;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Generated;

/// <summary>
/// The batch path at every vector width this machine can run: this process runs the widest (16 floats with AVX-512),
/// and child test runs with AVX-512 or AVX2 switched off in the runtime (DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0; .NET 10 reads DOTNET_EnableAVX512, not the older DOTNET_EnableAVX512F)
/// run the 8- and 4-float forms, which AVX2-only and ARM64 machines use. Each child runs the batch-versus-per-sample
/// and reference comparisons, the lane kernel, optimizer and finiteness tests, and a check that it really ran at the width it was started for.
/// </summary>
public class VectorWidthTests(ITestOutputHelper output)
{
    private const string ExpectedLanesVariable = "HSG_EXPECTED_LANES";
    private const string ChildFilter =
        "FullyQualifiedName~GeneratedVersusReferenceTests|FullyQualifiedName~EveryActivationAndLossTests|FullyQualifiedName~LaneKernelTests|FullyQualifiedName~OptimizerTests|FullyQualifiedName~FiniteTests|FullyQualifiedName~VectorWidthTests.RunsAtTheExpectedWidth";

    [Fact]
    public void RunsAtTheExpectedWidth()
    {
        string? expected = Environment.GetEnvironmentVariable(ExpectedLanesVariable);
        Assert.Equal(expected is null ? Widest() : int.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), LaneKernels.Lanes);
    }

    [Theory]
    [InlineData("DOTNET_EnableAVX512", 8)]
    [InlineData("DOTNET_EnableAVX2", 4)]
    public async System.Threading.Tasks.Task BatchPathMatchesAtNarrowerWidths(string switchedOff, int lanes)
    {
        if (Environment.GetEnvironmentVariable(ExpectedLanesVariable) is not null) return; // inside a child run
        if (LaneKernels.Lanes <= lanes) return; // this process already runs at that width or narrower
        string assembly = typeof(VectorWidthTests).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", ["test", assembly, "--filter", ChildFilter])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.Environment[switchedOff] = "0";
        start.Environment[ExpectedLanesVariable] = lanes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using Process child = Process.Start(start)!;
        System.Threading.Tasks.Task<string> error = child.StandardError.ReadToEndAsync();
        string text = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        string errors = await error;
        output.WriteLine(text + errors);
        Assert.True(child.ExitCode == 0, $"The child run with {switchedOff}=0 ({lanes} lanes) failed:\n{text}\n{errors}");
        Assert.Contains("Passed!", text, StringComparison.Ordinal);
    }

    private static int Widest() =>
        Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : Vector128.IsHardwareAccelerated ? 4 : 0;
}
