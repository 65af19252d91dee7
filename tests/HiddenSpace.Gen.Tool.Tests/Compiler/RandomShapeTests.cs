using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using HiddenSpace.Compiler;
using HiddenSpace.Tests.Numerics;
using Xunit;
using Xunit.Abstractions;

namespace HiddenSpace.Tests.Compiler;

/// <summary>Run-time compiled networks of random valid architectures against the reference, and the code unloaded after use.</summary>
public class RandomShapeTests(ITestOutputHelper output)
{
    private static readonly Activation[] Hidden = [Activation.Linear, Activation.ReLU, Activation.LeakyReLU, Activation.Tanh, Activation.Sigmoid, Activation.Softplus, Activation.GELU, Activation.ELU];

    [Fact]
    public void FiftyRandomShapesMatchTheReferenceAndTheirCodeIsUnloaded()
    {
        var compiler = new NetworkCompiler(new NetworkCompilerOptions { UseCache = false });
        var random = new SeededRandom(2026);
        var unloaded = new List<WeakReference>();
        long heapAfterTen = 0;
        for (int i = 0; i < 50; i++)
        {
            NetworkShape shape = RandomShape(random);
            unloaded.Add(CompareAndUnload(compiler, shape, seed: i));
            if (i == 9) heapAfterTen = CollectedHeap();
        }
        long heapAfterFifty = CollectedHeap();
        output.WriteLine($"managed heap after 10 compilations {heapAfterTen / 1e6:0.0} MB, after 50 {heapAfterFifty / 1e6:0.0} MB");

        // Each compilation's load context is collected once its networks are unreachable…
        int alive = unloaded.FindAll(reference => reference.IsAlive).Count;
        Assert.True(alive <= 1, $"{alive} of 50 compiled networks' code is still loaded after unloading");
        // …and forty more compilations leave the heap where ten left it (a leak of Roslyn state per compilation would not).
        Assert.True(heapAfterFifty < heapAfterTen + 64_000_000, $"heap grew from {heapAfterTen} to {heapAfterFifty} bytes over 40 compilations");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private WeakReference CompareAndUnload(NetworkCompiler compiler, NetworkShape shape, int seed)
    {
        using CompiledNetwork compiled = compiler.Compile(shape);
        INetwork network = compiled.Create(seed);
        output.WriteLine(ReferenceComparison.Compare(network, seed));
        return new WeakReference(network.GetType());
    }

    private static long CollectedHeap()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>1–5 layers of 1–12 units (unrolled, so every compilation has the full lane form), any hidden activation, a tap or two, and a valid output layer and loss.</summary>
    private static NetworkShape RandomShape(SeededRandom random)
    {
        int inputs = 1 + random.NextInt(6);
        var layers = new List<LayerShape>();
        int hidden = random.NextInt(4);
        for (int l = 0; l < hidden; l++)
            layers.Add(new LayerShape(1 + random.NextInt(12), Hidden[random.NextInt(Hidden.Length)], random.NextInt(3) == 0 ? $"Tap{l}" : null));
        Loss loss = (Loss)random.NextInt(3);
        int outputs = 1 + random.NextInt(4);
        layers.Add(loss switch
        {
            Loss.BinaryCrossEntropy => new LayerShape(outputs, Activation.Sigmoid),
            Loss.SoftmaxCrossEntropy => new LayerShape(outputs + 1, Activation.Softmax),
            _ => new LayerShape(outputs, Hidden[random.NextInt(Hidden.Length)], random.NextInt(4) == 0 ? "Out" : null),
        });
        return new NetworkShape(inputs, loss, [.. layers]);
    }
}
