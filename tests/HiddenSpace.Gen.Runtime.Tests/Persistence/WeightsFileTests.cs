using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace HiddenSpace.Tests.Persistence;

public sealed class WeightsFileTests : IDisposable
{
    private readonly TempDirectory _directory = new("weights");

    public void Dispose() => _directory.Dispose();


    private static readonly NetworkShape Tapped = new(3, Loss.SoftmaxCrossEntropy,
        new LayerShape(8, Activation.ReLU), new LayerShape(2, Activation.Tanh, "Bottleneck"), new LayerShape(3, Activation.Softmax));

    private static Optimizer TrainedOptimizer(OptimizerKind kind, ReferenceNetwork network, int steps)
    {
        Optimizer optimizer = Optimizer.Create(new OptimizerSettings(kind, LearningRate: 0.05f), network.Shape.ParameterCount);
        TrainSteps(network, optimizer, 0, steps);
        return optimizer;
    }

    /// <summary>Steps <paramref name="first"/>..first+count-1 of a fixed full-batch schedule on moons.</summary>
    private static void TrainSteps(ReferenceNetwork network, Optimizer optimizer, int first, int count)
    {
        Dataset data = Datasets.Moons(48, 0.1, seed: 1);
        float[] targets = data.TargetsFor(network.Shape);
        for (int step = first; step < first + count; step++)
        {
            int start = step % 3 * 16;
            network.Gradients.Clear();
            network.AccumulateBatchGradients(data.Features.Slice(start * 2, 32), targets.AsSpan(start, 16));
            optimizer.Step(network.Parameters, network.Gradients, 1f / 16);
        }
    }

    private static byte[] SaveToBytes(INetwork network, Optimizer? optimizer = null)
    {
        using var stream = new MemoryStream();
        WeightsFile.Save(stream, network, optimizer);
        return stream.ToArray();
    }

    private static InvalidDataException LoadError(byte[] bytes, INetwork network, Optimizer? optimizer = null)
    {
        float[] before = network.Parameters.ToArray();
        float[] firstBefore = optimizer?.FirstMoments.ToArray() ?? [];
        long stepsBefore = optimizer?.Steps ?? 0;
        var error = Assert.Throws<InvalidDataException>(() => WeightsFile.Load(new MemoryStream(bytes), network, optimizer));
        Assert.Equal(before, network.Parameters.ToArray());
        Assert.Equal(firstBefore, optimizer?.FirstMoments.ToArray() ?? []);
        Assert.Equal(stepsBefore, optimizer?.Steps ?? 0);
        return error;
    }

    private static void Reseal(byte[] bytes) => SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));

    [Fact]
    public void LayoutIsTheDocumentedOne()
    {
        var network = new ReferenceNetwork(TestShapes.Small, seed: 1);
        Optimizer adam = TrainedOptimizer(OptimizerKind.Adam, network, 3);
        byte[] bytes = SaveToBytes(network, adam);

        byte[] fingerprint = Encoding.UTF8.GetBytes(TestShapes.Small.Fingerprint());
        int p = TestShapes.Small.ParameterCount, f = fingerprint.Length;
        Assert.Equal(4 + 2 + 4 + f + 4 + 4 + 1 + 8 + 3 * 4 * p + 32, bytes.Length);
        Assert.Equal("HSGW"u8.ToArray(), bytes[..4]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(f, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(6)));
        Assert.Equal(fingerprint, bytes[10..(10 + f)]);
        Assert.Equal(p, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(10 + f)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(14 + f)));
        Assert.Equal((byte)OptimizerKind.Adam, bytes[18 + f]);
        Assert.Equal(3L, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(19 + f)));
        int moments = 27 + f;
        Assert.Equal(adam.FirstMoments[5], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(moments + 4 * 5)));
        Assert.Equal(adam.SecondMoments[5], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(moments + 4 * (p + 5))));
        Assert.Equal(network.Parameters[5], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(moments + 4 * (2 * p + 5))));
        Assert.Equal(SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)), bytes[^32..]);
    }

    [Fact]
    public void RoundTripGivesBitIdenticalParametersAndOutputs()
    {
        string path = _directory.Combine("sub", "tapped.hsgw");
        var saved = new ReferenceNetwork(Tapped, seed: 7);
        saved.Parameters[0] = float.NaN; // stored bit for bit, like every other value
        saved.Parameters[1] = -0f;
        WeightsFile.Save(path, saved);

        var loaded = new ReferenceNetwork(Tapped, seed: 8);
        WeightsFile.Load(path, loaded);

        Assert.Equal(saved.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits), loaded.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));
        saved.Parameters[0] = loaded.Parameters[0] = 0.25f;
        float[] input = [0.3f, -1.2f, 2f];
        float[] expected = new float[3], actual = new float[3];
        saved.Forward(input, expected);
        loaded.Forward(input, actual);
        Assert.Equal(expected, actual);
        Assert.Equal(saved.TapActivations(0).ToArray(), loaded.TapActivations(0).ToArray());
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Momentum)]
    [InlineData(OptimizerKind.Adam)]
    public void ResumingFromACheckpointMatchesAnUninterruptedRun(OptimizerKind kind)
    {
        var settings = new OptimizerSettings(kind, LearningRate: 0.05f);
        var uninterrupted = new ReferenceNetwork(TestShapes.Small, seed: 3);
        Optimizer uninterruptedOptimizer = Optimizer.Create(settings, TestShapes.Small.ParameterCount);
        TrainSteps(uninterrupted, uninterruptedOptimizer, 0, 10);

        var first = new ReferenceNetwork(TestShapes.Small, seed: 3);
        Optimizer firstOptimizer = Optimizer.Create(settings, TestShapes.Small.ParameterCount);
        TrainSteps(first, firstOptimizer, 0, 4);
        string path = _directory.Combine("checkpoint.hsgw");
        WeightsFile.Save(path, first, firstOptimizer);

        var resumed = new ReferenceNetwork(TestShapes.Small, seed: 99);
        Optimizer resumedOptimizer = Optimizer.Create(settings, TestShapes.Small.ParameterCount);
        WeightsFile.Load(path, resumed, resumedOptimizer);
        Assert.Equal(4, resumedOptimizer.Steps);
        Assert.Equal(firstOptimizer.FirstMoments.ToArray(), resumedOptimizer.FirstMoments.ToArray());
        Assert.Equal(firstOptimizer.SecondMoments.ToArray(), resumedOptimizer.SecondMoments.ToArray());
        TrainSteps(resumed, resumedOptimizer, 4, 6);

        Assert.Equal(uninterrupted.Parameters.ToArray(), resumed.Parameters.ToArray());
        Assert.Equal(10, resumedOptimizer.Steps);
    }

    [Fact]
    public void ArchitectureMismatchNamesBothFingerprints()
    {
        var other = new NetworkShape(2, Loss.BinaryCrossEntropy, new LayerShape(4, Activation.Tanh), new LayerShape(1, Activation.Sigmoid));
        byte[] bytes = SaveToBytes(new ReferenceNetwork(TestShapes.Small, 1));

        var error = LoadError(bytes, new ReferenceNetwork(other, 2));

        Assert.Equal(
            "The weights stream: the file holds weights for 'inputs=2;loss=BinaryCrossEntropy;dense(3,Tanh);dense(1,Sigmoid)' " +
            "but the network is 'inputs=2;loss=BinaryCrossEntropy;dense(4,Tanh);dense(1,Sigmoid)'.", error.Message);
    }

    [Fact]
    public void NewerVersionIsRejected()
    {
        byte[] bytes = SaveToBytes(new ReferenceNetwork(TestShapes.Small, 1));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), WeightsFile.FormatVersion + 1);
        Reseal(bytes);

        var error = LoadError(bytes, new ReferenceNetwork(TestShapes.Small, 2));

        Assert.Equal("The weights stream: format version 2 is newer than this library reads (version 1); load it with a newer HiddenSpace.Gen.", error.Message);
    }

    [Fact]
    public void WrongMagicSaysItIsNotAWeightsFile()
    {
        byte[] bytes = SaveToBytes(new ReferenceNetwork(TestShapes.Small, 1));
        bytes[0] = (byte)'X';
        var error = LoadError(bytes, new ReferenceNetwork(TestShapes.Small, 2));
        Assert.Equal("The weights stream: not a HiddenSpace weights file: it starts with bytes 58534757, not 'HSGW' (48534757).", error.Message);
    }

    [Fact]
    public void TruncationAtEveryLengthIsReportedAndChangesNothing()
    {
        var network = new ReferenceNetwork(TestShapes.Small, 1);
        byte[] bytes = SaveToBytes(network, TrainedOptimizer(OptimizerKind.Momentum, network, 2));
        int parametersAt = bytes.Length - 32 - 4 * TestShapes.Small.ParameterCount;
        var target = new ReferenceNetwork(TestShapes.Small, 2);
        Optimizer optimizer = Optimizer.Create(new OptimizerSettings(OptimizerKind.Momentum), TestShapes.Small.ParameterCount);

        for (int length = 0; length < bytes.Length; length++)
        {
            var error = LoadError(bytes[..length], target, optimizer);
            Assert.Contains(length == 0 ? "the file is empty" : "truncated: expected ", error.Message, StringComparison.Ordinal);
        }
        Assert.Equal(
            $"The weights stream: truncated: expected {4 * TestShapes.Small.ParameterCount} bytes of parameters at offset {parametersAt}, found 7.",
            LoadError(bytes[..(parametersAt + 7)], target, optimizer).Message);
    }

    [Fact]
    public void TrailingBytesAreRejected()
    {
        byte[] bytes = SaveToBytes(new ReferenceNetwork(TestShapes.Small, 1));
        var error = LoadError([.. bytes, 0], new ReferenceNetwork(TestShapes.Small, 2));
        Assert.Contains($"1 unexpected bytes after the checksum (the file should be {bytes.Length} bytes long)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryFlippedByteIsRejectedAndPayloadFlipsFailTheChecksum()
    {
        var network = new ReferenceNetwork(TestShapes.Small, 1);
        byte[] bytes = SaveToBytes(network, TrainedOptimizer(OptimizerKind.Adam, network, 2));
        int fingerprintLength = Encoding.UTF8.GetByteCount(TestShapes.Small.Fingerprint());
        var target = new ReferenceNetwork(TestShapes.Small, 2);
        Optimizer optimizer = Optimizer.Create(new OptimizerSettings(), TestShapes.Small.ParameterCount);

        for (int at = 0; at < bytes.Length; at++)
        {
            byte[] corrupt = (byte[])bytes.Clone();
            corrupt[at] ^= 0x10;
            var error = LoadError(corrupt, target, optimizer);
            bool inFingerprint = at >= 10 && at < 10 + fingerprintLength;
            bool afterOptimizerKind = at >= 19 + fingerprintLength; // steps, moments, parameters, checksum
            if (inFingerprint || afterOptimizerKind)
                Assert.Contains("checksum mismatch: the file stores SHA-256 ", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AskingForOptimizerStateTheFileLacksIsAnError()
    {
        byte[] bytes = SaveToBytes(new ReferenceNetwork(TestShapes.Small, 1));
        var error = LoadError(bytes, new ReferenceNetwork(TestShapes.Small, 2), Optimizer.Create(new OptimizerSettings(), TestShapes.Small.ParameterCount));
        Assert.Contains("the file holds no optimizer state", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptimizerKindMismatchNamesBoth()
    {
        var network = new ReferenceNetwork(TestShapes.Small, 1);
        byte[] bytes = SaveToBytes(network, TrainedOptimizer(OptimizerKind.Momentum, network, 1));
        var error = LoadError(bytes, new ReferenceNetwork(TestShapes.Small, 2), Optimizer.Create(new OptimizerSettings(OptimizerKind.Adam), TestShapes.Small.ParameterCount));
        Assert.Equal("The weights stream: the file holds Momentum optimizer state but the optimizer is Adam.", error.Message);
    }

    [Fact]
    public void StateCanBeIgnoredByLoadingWithoutAnOptimizer()
    {
        var network = new ReferenceNetwork(TestShapes.Small, 1);
        byte[] bytes = SaveToBytes(network, TrainedOptimizer(OptimizerKind.Adam, network, 2));
        var loaded = new ReferenceNetwork(TestShapes.Small, 2);
        WeightsFile.Load(new MemoryStream(bytes), loaded);
        Assert.Equal(network.Parameters.ToArray(), loaded.Parameters.ToArray());
    }

    [Fact]
    public void ErrorsFromAPathNameThePath()
    {
        string path = _directory.Combine("w.hsgw");
        WeightsFile.Save(path, new ReferenceNetwork(TestShapes.Small, 1));
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..20]);
        var error = Assert.Throws<InvalidDataException>(() => WeightsFile.Load(path, new ReferenceNetwork(TestShapes.Small, 1)));
        Assert.StartsWith($"'{path}': truncated: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileIsFileNotFoundNamingThePath()
    {
        string path = _directory.Combine("absent.hsgw");
        var error = Assert.Throws<FileNotFoundException>(() => WeightsFile.Load(path, new ReferenceNetwork(TestShapes.Small, 1)));
        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FailingSavesLeaveThePreviousFileUntouched()
    {
        string path = _directory.Combine("w.hsgw");
        WeightsFile.Save(path, new ReferenceNetwork(TestShapes.Small, 1));
        byte[] before = File.ReadAllBytes(path);

        Assert.Throws<ArgumentException>(() => WeightsFile.Save(path, new ReferenceNetwork(TestShapes.Small, 2), Optimizer.Create(new OptimizerSettings(), 5)));
        var failure = new IOException("disk full, pretend");
        Assert.Same(failure, Assert.Throws<IOException>(() => WeightsFile.Save(path, new FailingNetwork(TestShapes.Small, failure))));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(_directory.Path));
    }

    [Fact]
    public void OptimizerForAnotherParameterCountIsAnArgumentError() =>
        Assert.Throws<ArgumentException>(() => WeightsFile.Load(new MemoryStream(), new ReferenceNetwork(TestShapes.Small, 1), Optimizer.Create(new OptimizerSettings(), 5)));

    /// <summary>A network whose parameters cannot be read, as when the memory behind them fails.</summary>
    private sealed class FailingNetwork(NetworkShape shape, Exception failure) : INetwork
    {
        public NetworkShape Shape => shape;
        public Span<float> Parameters => throw failure;
        public Span<float> Gradients => throw failure;
        public void Forward(ReadOnlySpan<float> input, Span<float> output) => throw failure;
        public void ForwardBatch(ReadOnlySpan<float> inputs, Span<float> outputs) => throw failure;
        public float AccumulateGradients(ReadOnlySpan<float> input, ReadOnlySpan<float> target) => throw failure;
        public float AccumulateBatchGradients(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> outputs = default) => throw failure;
        public ReadOnlySpan<float> TapActivations(int tapIndex) => throw failure;
        public INetwork CreateWorker() => throw failure;
    }
}
