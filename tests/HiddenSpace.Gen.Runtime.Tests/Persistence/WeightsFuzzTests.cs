using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using HiddenSpace.Tests.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Persistence;

/// <summary>
/// Mutated and random weights files through <see cref="WeightsFile.Load(Stream, INetwork, Optimizer?)"/>:
/// only <see cref="InvalidDataException"/> may escape, a rejected file changes nothing, and a file that loads
/// is the original (or, for files whose checksum the fuzzer recomputed, at least passes every check).
/// 3,000 cases by default; set HSG_FUZZ_CASES for more.
/// </summary>
public class WeightsFuzzTests(ITestOutputHelper output)
{
    private static readonly OptimizerKind?[] Kinds = [null, OptimizerKind.Sgd, OptimizerKind.Momentum, OptimizerKind.Adam];

    private sealed record WeightsCase(int Index, byte[] Original, byte[] Bytes, bool Resealed, OptimizerKind? LoadWith, string Edits);

    [Fact]
    public void OnlyInvalidDataExceptionsEscapeAndRejectedFilesChangeNothing()
    {
        byte[][] originals = Kinds.Select(Save).ToArray();
        int cases = FuzzRunner.Cases(3000);
        int loaded = 0;
        FuzzRunner.Run(cases, index => Generate(index, originals), c =>
        {
            var network = new ReferenceNetwork(TestShapes.Small, seed: 5);
            Optimizer? optimizer = c.LoadWith is OptimizerKind kind ? Optimizer.Create(new OptimizerSettings(kind), network.Shape.ParameterCount) : null;
            float[] before = network.Parameters.ToArray();
            try
            {
                WeightsFile.Load(new MemoryStream(c.Bytes), network, optimizer);
            }
            catch (InvalidDataException)
            {
                Assert.Equal(before, network.Parameters.ToArray());
                Assert.True(optimizer is null || (optimizer.Steps == 0 && optimizer.FirstMoments.ToArray().All(m => m == 0)), "a rejected file changed the optimizer");
                throw;
            }
            if (!c.Resealed) Assert.Equal(c.Original, c.Bytes);
            loaded++;
        }, c => $"case {c.Index}, load with {c.LoadWith?.ToString() ?? "no optimizer"}, resealed {c.Resealed}, edits {c.Edits}", typeof(InvalidDataException));
        output.WriteLine($"{cases} weights-file cases, {loaded} loaded, the rest rejected with InvalidDataException.");
    }

    private static byte[] Save(OptimizerKind? kind)
    {
        var network = new ReferenceNetwork(TestShapes.Small, seed: 1);
        Optimizer? optimizer = null;
        if (kind is OptimizerKind k)
        {
            optimizer = Optimizer.Create(new OptimizerSettings(k), network.Shape.ParameterCount);
            network.Gradients.Fill(0.5f);
            optimizer.Step(network.Parameters, network.Gradients, 1f);
        }
        using var stream = new MemoryStream();
        WeightsFile.Save(stream, network, optimizer);
        return stream.ToArray();
    }

    private static WeightsCase Generate(int index, byte[][] originals)
    {
        var random = new Random(index);
        int which = random.Next(originals.Length);
        byte[] original = originals[which];
        OptimizerKind? loadWith = random.Next(3) == 0 ? Kinds[random.Next(Kinds.Length)] : Kinds[which];
        if (index % 10 == 9)
        {
            byte[] noise = new byte[random.Next(200)];
            random.NextBytes(noise);
            if (noise.Length >= 4 && random.Next(2) == 0) "HSGW"u8.CopyTo(noise);
            return new WeightsCase(index, original, noise, false, loadWith, "random bytes");
        }
        var bytes = original.ToList();
        var edits = new System.Text.StringBuilder();
        for (int n = random.Next(1, 4); n > 0; n--)
        {
            int at = random.Next(bytes.Count + 1);
            switch (random.Next(6))
            {
                case 0 when at < bytes.Count:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    edits.Append($"flip@{at} ");
                    break;
                case 1 when at < bytes.Count:
                    bytes[at] = (byte)random.Next(256);
                    edits.Append($"set@{at} ");
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    edits.Append($"truncate@{at} ");
                    break;
                case 3:
                    bytes.Insert(at, (byte)random.Next(256));
                    edits.Append($"insert@{at} ");
                    break;
                case 4 when at < bytes.Count:
                    int count = Math.Min(random.Next(1, 9), bytes.Count - at);
                    bytes.RemoveRange(at, count);
                    edits.Append($"delete{count}@{at} ");
                    break;
                default:
                    // A plausible-looking extreme in a 32-bit field (lengths, counts, flags).
                    int[] extremes = [0, -1, int.MaxValue, int.MinValue, 1 << 20];
                    int value = extremes[random.Next(extremes.Length)];
                    for (int b = 0; b < 4 && at + b < bytes.Count; b++) bytes[at + b] = (byte)(value >> (8 * b));
                    edits.Append($"int{value}@{at} ");
                    break;
            }
        }
        byte[] mutated = bytes.ToArray();
        // Half the time recompute the checksum, so the checks behind it (lengths, kinds, fingerprint) get fuzzed too.
        bool reseal = mutated.Length >= 32 && random.Next(2) == 0;
        if (reseal) SHA256.HashData(mutated.AsSpan(0, mutated.Length - 32), mutated.AsSpan(mutated.Length - 32));
        return new WeightsCase(index, original, mutated, reseal, loadWith, edits.ToString());
    }
}
