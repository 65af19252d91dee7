using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using HiddenSpace.Tests.Generated;
using Xunit;

namespace HiddenSpace.Tests.Training;

/// <summary>Same seed, same bits: across runs, across processes, and across threads that each use a worker.</summary>
public sealed class DeterminismTests : IDisposable
{
    private readonly TempDirectory _directory = new("determinism");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TheMainJobWritesByteIdenticalFilesInTwoSeparateProcesses()
    {
        string moons = Path.Combine(AppContext.BaseDirectory, "Moons.dll");
        Dictionary<string, string> first = RunAndHash(moons, _directory.Combine("a"));
        Dictionary<string, string> second = RunAndHash(moons, _directory.Combine("b"));
        Assert.Equal(["bottleneck.csv", "bottleneck.svg", "input.svg", "report.html", "summary.json", "weights.json"], first.Keys.Order());
        Assert.Equal(first, second);
    }

    [Fact]
    public void ThreadsWithTheirOwnWorkersComputeWhatOneThreadComputes()
    {
        var network = new SeedNet(seed: 12);
        var random = new SeededRandom(4);
        float[] inputs = Enumerable.Range(0, 2 * 4000).Select(_ => (float)random.NextGaussian()).ToArray();
        float[] Outputs(INetwork worker, int from, int to)
        {
            var result = new float[to - from];
            var output = new float[1];
            for (int row = from; row < to; row++)
            {
                worker.Forward(inputs.AsSpan(2 * row, 2), output);
                result[row - from] = output[0];
            }
            return result;
        }
        float[] sequential = Outputs(network, 0, 4000);
        Task<float[]>[] parallel = Enumerable.Range(0, 4)
            .Select(t => Task.Run(() => Outputs(network.CreateWorker(), t * 1000, (t + 1) * 1000)))
            .ToArray();
        Assert.Equal(sequential, parallel.SelectMany(task => task.Result).ToArray());
    }

    private static Dictionary<string, string> RunAndHash(string program, string directory)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { program, "--out", directory, "--epochs", "30" }) start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr);
        return Directory.GetFiles(directory).Where(f => Path.GetFileName(f) != OutputFolder.MarkerName)
            .ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
    }
}
