using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace HiddenSpace;

/// <summary>
/// Saves and loads the parameters of any <see cref="INetwork"/>, optionally with the state of its
/// <see cref="Optimizer"/> so that training can resume exactly where it stopped.
/// <para>
/// Format version 1, every integer little-endian (docs/weights-format.md has the full description):
/// </para>
/// <code>
/// size        field
/// 4           magic "HSGW" (48 53 47 57)
/// 2           format version, uint16 (1)
/// 4           F, byte length of the fingerprint, int32 &gt; 0
/// F           architecture fingerprint, UTF-8 (NetworkShape.Fingerprint())
/// 4           P, parameter count, int32 &gt; 0
/// 4           flags, uint32: bit 0 = optimizer state follows; other bits 0
///             when bit 0 is set:
///   1           optimizer kind: 0 Sgd, 1 Momentum, 2 Adam
///   8           steps taken, int64 ≥ 0
///   4·P·M       float32 moments: first moments (Momentum, Adam), then second moments (Adam); M = 0, 1 or 2
/// 4·P         parameters, float32, in the layout NetworkShape documents
/// 32          SHA-256 of every byte before it
/// </code>
/// <para>
/// Saving writes through <see cref="AtomicFile"/>, so a failed save leaves the previous file as it was.
/// Loading reads and checks the whole file (structure, checksum, architecture, optimizer kind) before it
/// touches the network or the optimizer: either everything is restored or nothing is.
/// </para>
/// <para>
/// The text format (<see cref="SaveText"/>, <see cref="ReadText"/>, <see cref="LoadText"/>) holds the parameters and
/// what a baked network needs besides them; it is what the generator bakes into code.
/// </para>
/// </summary>
public static partial class WeightsFile
{
    /// <summary>The format version this library writes and the newest it reads.</summary>
    public const ushort FormatVersion = 1;

    private const int ChecksumLength = 32; // SHA-256
    private const uint OptimizerStateFlag = 1;
    private static ReadOnlySpan<byte> Magic => "HSGW"u8;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Saves <paramref name="network"/>'s parameters, and <paramref name="optimizer"/>'s state when one is
    /// given, to <paramref name="path"/> atomically (creating the directory if needed).
    /// </summary>
    /// <exception cref="ArgumentException">The optimizer is for a different number of parameters than the network has.</exception>
    /// <exception cref="IOException">The file cannot be written; the previous file, if any, is unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">Writing there is not permitted.</exception>
    public static void Save(string path, INetwork network, Optimizer? optimizer = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] content = Serialize(network, optimizer);
        AtomicFile.Write(path, stream => stream.Write(content));
    }

    /// <summary>Writes what <see cref="Save(string, INetwork, Optimizer?)"/> writes to <paramref name="stream"/> (which stays open).</summary>
    /// <exception cref="ArgumentException">The optimizer is for a different number of parameters than the network has.</exception>
    public static void Save(Stream stream, INetwork network, Optimizer? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Serialize(network, optimizer));
    }

    /// <summary>
    /// Loads the file at <paramref name="path"/> into <paramref name="network"/>'s parameters and, when
    /// <paramref name="optimizer"/> is given, restores its moments and step count from the file.
    /// Nothing is modified unless the whole file is valid for this network and optimizer.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not a weights file, has a newer format version, is truncated or corrupt, holds weights
    /// for another architecture, or lacks the optimizer state asked for; the message names the path and
    /// says exactly what differs.
    /// </exception>
    /// <exception cref="ArgumentException">The optimizer is for a different number of parameters than the network has.</exception>
    public static void Load(string path, INetwork network, Optimizer? optimizer = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        CheckArguments(network, optimizer);
        if (!File.Exists(path))
            throw new FileNotFoundException($"There is no weights file at '{path}'.", path);
        Restore(File.ReadAllBytes(path), $"'{path}'", network, optimizer);
    }

    /// <summary>
    /// Loads weights written by <see cref="Save(Stream, INetwork, Optimizer?)"/>, reading
    /// <paramref name="stream"/> to its end, as <see cref="Load(string, INetwork, Optimizer?)"/> does.
    /// </summary>
    /// <exception cref="InvalidDataException">The content is not valid for this network and optimizer; the message says what differs.</exception>
    /// <exception cref="ArgumentException">The optimizer is for a different number of parameters than the network has.</exception>
    public static void Load(Stream stream, INetwork network, Optimizer? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckArguments(network, optimizer);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        Restore(buffer.ToArray(), "The weights stream", network, optimizer);
    }

    private static void CheckArguments(INetwork network, Optimizer? optimizer)
    {
        ArgumentNullException.ThrowIfNull(network);
        int count = network.Shape.ParameterCount;
        if (network.Parameters.Length != count)
            throw new ArgumentException($"The network's shape has {count} parameters but its parameter span holds {network.Parameters.Length}.", nameof(network));
        if (optimizer is not null && optimizer.ParameterCount != count)
            throw new ArgumentException($"The optimizer updates {optimizer.ParameterCount} parameters but the network has {count}.", nameof(optimizer));
    }

    private static byte[] Serialize(INetwork network, Optimizer? optimizer)
    {
        CheckArguments(network, optimizer);
        byte[] fingerprint = StrictUtf8.GetBytes(network.Shape.Fingerprint());
        int count = network.Shape.ParameterCount;
        int moments = optimizer is null ? 0 : MomentArrays(optimizer.Settings.Kind);
        long length = 4 + 2 + 4 + fingerprint.Length + 4 + 4
            + (optimizer is null ? 0 : 1 + 8 + 4L * count * moments)
            + 4L * count + ChecksumLength;
        if (length > Array.MaxLength)
            throw new ArgumentException($"{count} parameters with optimizer state make a file of {length} bytes, more than one buffer holds.", nameof(network));

        var content = new byte[length];
        var writer = new Writer(content);
        writer.Bytes(Magic);
        writer.UInt16(FormatVersion);
        writer.Int32(fingerprint.Length);
        writer.Bytes(fingerprint);
        writer.Int32(count);
        writer.UInt32(optimizer is null ? 0 : OptimizerStateFlag);
        if (optimizer is not null)
        {
            writer.Byte((byte)optimizer.Settings.Kind);
            writer.Int64(optimizer.Steps);
            writer.Floats(optimizer.FirstMoments);
            writer.Floats(optimizer.SecondMoments);
        }
        writer.Floats(network.Parameters);
        SHA256.HashData(content.AsSpan(0, writer.Position), content.AsSpan(writer.Position));
        return content;
    }

    private static void Restore(byte[] content, string source, INetwork network, Optimizer? optimizer)
    {
        WeightsContent file = Parse(content, source);
        string expected = network.Shape.Fingerprint();
        if (file.Fingerprint != expected)
            throw Invalid(source, $"the file holds weights for '{file.Fingerprint}' but the network is '{expected}'.");
        int count = network.Shape.ParameterCount;
        if (file.ParameterCount != count)
            throw Invalid(source, $"the file holds {file.ParameterCount} parameters but the network has {count}.");
        if (optimizer is not null)
        {
            if (file.Kind is not OptimizerKind kind)
                throw Invalid(source, "the file holds no optimizer state; it was saved without an optimizer. Load it without one, or save with the optimizer to resume training.");
            if (kind != optimizer.Settings.Kind)
                throw Invalid(source, $"the file holds {kind} optimizer state but the optimizer is {optimizer.Settings.Kind}.");
        }

        // Everything is checked; only now write into the caller's objects.
        ReadFloats(file.Parameters, network.Parameters);
        if (optimizer is not null)
        {
            ReadFloats(file.FirstMoments, optimizer.FirstMoments);
            ReadFloats(file.SecondMoments, optimizer.SecondMoments);
            optimizer.RestoreSteps(file.Steps);
        }
    }

    /// <summary>Checks the structure and the checksum and locates the sections; knows nothing of the network.</summary>
    private static WeightsContent Parse(byte[] content, string source)
    {
        if (content.Length == 0)
            throw Invalid(source, "the file is empty; a weights file starts with 'HSGW'.");
        var reader = new Reader(content, source);
        ReadOnlySpan<byte> magic = reader.Take(Math.Min(4, content.Length), "magic number");
        if (!magic.SequenceEqual(Magic))
        {
            if (Magic.StartsWith(magic))
                throw Invalid(source, $"truncated: expected 4 bytes of magic number at offset 0, found {content.Length}.");
            throw Invalid(source, $"not a HiddenSpace weights file: it starts with bytes {Convert.ToHexString(magic)}, not 'HSGW' ({Convert.ToHexString(Magic)}).");
        }
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(reader.Take(2, "format version"));
        if (version > FormatVersion)
            throw Invalid(source, $"format version {version} is newer than this library reads (version {FormatVersion}); load it with a newer HiddenSpace.Gen.");
        if (version == 0)
            throw Invalid(source, $"format version 0 is not a valid version (this library reads version {FormatVersion}).");
        int fingerprintLength = BinaryPrimitives.ReadInt32LittleEndian(reader.Take(4, "fingerprint length"));
        if (fingerprintLength <= 0)
            throw Invalid(source, $"the fingerprint length is {fingerprintLength}; it must be positive. The file is corrupt.");
        ReadOnlySpan<byte> fingerprint = reader.Take(fingerprintLength, "architecture fingerprint");
        int count = BinaryPrimitives.ReadInt32LittleEndian(reader.Take(4, "parameter count"));
        if (count <= 0)
            throw Invalid(source, $"the parameter count is {count}; it must be positive. The file is corrupt.");
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(reader.Take(4, "flags"));
        if ((flags & ~OptimizerStateFlag) != 0)
            throw Invalid(source, $"unknown flags 0x{flags.ToString("X8", CultureInfo.InvariantCulture)}; the file is corrupt or from a newer version.");

        OptimizerKind? kind = null;
        long steps = 0;
        int firstStart = 0, firstLength = 0, secondStart = 0, secondLength = 0;
        if ((flags & OptimizerStateFlag) != 0)
        {
            byte kindByte = reader.Take(1, "optimizer kind")[0];
            if (!Enum.IsDefined((OptimizerKind)kindByte))
                throw Invalid(source, $"unknown optimizer kind {kindByte}; the file is corrupt or from a newer version.");
            kind = (OptimizerKind)kindByte;
            steps = BinaryPrimitives.ReadInt64LittleEndian(reader.Take(8, "optimizer step count"));
            int moments = MomentArrays(kind.Value);
            if (moments >= 1) (firstStart, firstLength) = reader.TakeFloats(count, "optimizer first moments");
            if (moments == 2) (secondStart, secondLength) = reader.TakeFloats(count, "optimizer second moments");
        }
        (int parameterStart, int parameterLength) = reader.TakeFloats(count, "parameters");
        int hashed = reader.Position;
        ReadOnlySpan<byte> stored = reader.Take(ChecksumLength, "SHA-256 checksum");
        if (reader.Position != content.Length)
            throw Invalid(source, $"{content.Length - reader.Position} unexpected bytes after the checksum (the file should be {reader.Position} bytes long).");
        Span<byte> computed = stackalloc byte[ChecksumLength];
        SHA256.HashData(content.AsSpan(0, hashed), computed);
        if (!computed.SequenceEqual(stored))
            throw Invalid(source, $"checksum mismatch: the file stores SHA-256 {Convert.ToHexString(stored)[..16]}... but its content hashes to {Convert.ToHexString(computed)[..16]}...; the file is corrupt.");
        if (steps < 0)
            throw Invalid(source, $"the optimizer step count is {steps}; it must be at least 0.");

        string fingerprintText;
        try
        {
            fingerprintText = StrictUtf8.GetString(fingerprint);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{source}: the architecture fingerprint is not valid UTF-8.", e);
        }
        return new WeightsContent(fingerprintText, count, kind, steps,
            new ArraySegment<byte>(content, firstStart, firstLength),
            new ArraySegment<byte>(content, secondStart, secondLength),
            new ArraySegment<byte>(content, parameterStart, parameterLength));
    }

    private static int MomentArrays(OptimizerKind kind) => kind switch
    {
        OptimizerKind.Sgd => 0,
        OptimizerKind.Momentum => 1,
        _ => 2,
    };

    private static void ReadFloats(ReadOnlySpan<byte> source, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source.Slice(4 * i, 4));
    }

    private static InvalidDataException Invalid(string source, string detail) => new($"{source}: {detail}");

    /// <summary>The validated sections of a file, as slices of its bytes.</summary>
    private sealed record WeightsContent(
        string Fingerprint, int ParameterCount, OptimizerKind? Kind, long Steps,
        ArraySegment<byte> FirstMoments, ArraySegment<byte> SecondMoments, ArraySegment<byte> Parameters);

    /// <summary>Walks the bytes; a section that runs past the end is reported as truncation, naming the section.</summary>
    private sealed class Reader(byte[] content, string source)
    {
        public int Position { get; private set; }

        public ReadOnlySpan<byte> Take(long length, string section)
        {
            long remaining = content.Length - Position;
            if (length > remaining)
                throw Invalid(source, $"truncated: expected {length} bytes of {section} at offset {Position}, found {remaining}.");
            var span = new ReadOnlySpan<byte>(content, Position, (int)length);
            Position += (int)length;
            return span;
        }

        public (int Start, int Length) TakeFloats(int count, string section)
        {
            int start = Position;
            int length = Take(4L * count, section).Length;
            return (start, length);
        }
    }

    /// <summary>Fills a buffer sized in advance.</summary>
    private sealed class Writer(byte[] content)
    {
        public int Position { get; private set; }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(content.AsSpan(Position));
            Position += bytes.Length;
        }

        public void Byte(byte value) => content[Position++] = value;

        public void UInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Next(2), value);

        public void Int32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Next(4), value);

        public void UInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Next(4), value);

        public void Int64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Next(8), value);

        public void Floats(ReadOnlySpan<float> values)
        {
            foreach (float value in values)
                BinaryPrimitives.WriteSingleLittleEndian(Next(4), value);
        }

        private Span<byte> Next(int length)
        {
            Span<byte> span = content.AsSpan(Position, length);
            Position += length;
            return span;
        }
    }
}
