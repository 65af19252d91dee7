using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using HiddenSpace.Weights;

namespace HiddenSpace;

public static partial class WeightsFile
{
    private static readonly string[] ActivationNames = Enum.GetNames<Activation>();
    private static readonly string[] LossNames = Enum.GetNames<Loss>();

    /// <summary>
    /// Saves <paramref name="network"/>'s architecture and parameters with <paramref name="metadata"/> as a text weights file
    /// (JSON, docs/weights-format.md) at <paramref name="path"/>, atomically. This is the file a <c>[Network(Weights = ...)]</c>
    /// declaration bakes into code and <c>hiddenspace export</c> reads.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter or statistic is not finite, or the metadata does not fit the network; the message says which.</exception>
    /// <exception cref="IOException">The file cannot be written; the previous file, if any, is unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">Writing there is not permitted.</exception>
    public static void SaveText(string path, INetwork network, WeightsMetadata? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text = ToText(network, metadata);
        AtomicFile.WriteAllText(path, text);
    }

    /// <summary>The text <see cref="SaveText"/> writes.</summary>
    /// <exception cref="ArgumentException">A parameter or statistic is not finite, or the metadata does not fit the network.</exception>
    public static string ToText(INetwork network, WeightsMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        CheckArguments(network, null);
        NetworkShape shape = network.Shape;
        metadata = Complete(shape, metadata ?? new WeightsMetadata());
        ReadOnlySpan<float> parameters = network.Parameters;
        for (int i = 0; i < parameters.Length; i++)
            if (!float.IsFinite(parameters[i]))
                throw new ArgumentException($"Parameter {i} of the network is {parameters[i]}; a weights file holds finite values only (training diverged?).", nameof(network));

        var text = new StringBuilder();
        text.Append("{\n");
        Member(text, "format", Quote(WeightsText.FormatName));
        Member(text, "version", WeightsText.Version.ToString(CultureInfo.InvariantCulture));
        Member(text, "fingerprint", Quote(shape.Fingerprint()));
        Member(text, "inputs", shape.Inputs.ToString(CultureInfo.InvariantCulture));
        Member(text, "loss", Quote(shape.Loss.ToString()));
        Member(text, "features", List(metadata.FeatureNames!.Select(Quote)));
        Member(text, "standardization", metadata.InputStandardizer is Standardizer standardizer
            ? $"{{\"means\": {List(standardizer.Means.Select(Number))}, \"deviations\": {List(standardizer.Deviations.Select(Number))}}}"
            : "null");
        Member(text, "classes", metadata.ClassNames is null ? "null" : List(metadata.ClassNames.Select(Quote)));
        Member(text, "target", metadata.TargetName is null ? "null"
            : $"{{\"name\": {Quote(metadata.TargetName)}, \"standardization\": {(metadata.TargetScale is TargetScale scale ? $"{{\"mean\": {Number(scale.Mean)}, \"deviation\": {Number(scale.Deviation)}}}" : "null")}}}");
        text.Append("  \"layers\": [\n");
        for (int l = 0; l < shape.Layers.Count; l++)
        {
            LayerShape layer = shape.Layers[l];
            int fanIn = shape.FanIn(l);
            text.Append("    {\n");
            text.Append($"      \"units\": {layer.Units.ToString(CultureInfo.InvariantCulture)},\n");
            text.Append($"      \"activation\": {Quote(layer.Activation.ToString())},\n");
            text.Append($"      \"tap\": {(layer.Tap is null ? "null" : Quote(layer.Tap))},\n");
            text.Append("      \"weights\": [\n");
            for (int o = 0; o < layer.Units; o++)
            {
                ReadOnlySpan<float> row = parameters.Slice(shape.WeightOffset(l) + o * fanIn, fanIn);
                text.Append("        ").Append(List(row.ToArray().Select(Number))).Append(o == layer.Units - 1 ? "\n" : ",\n");
            }
            text.Append("      ],\n");
            text.Append("      \"biases\": ").Append(List(parameters.Slice(shape.BiasOffset(l), layer.Units).ToArray().Select(Number))).Append('\n');
            text.Append(l == shape.Layers.Count - 1 ? "    }\n" : "    },\n");
        }
        text.Append("  ],\n");
        string covered = text.ToString();
        text.Append($"  \"{WeightsText.ChecksumMember}\": \"{WeightsText.Checksum(covered)}\"\n");
        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>
    /// Reads a text weights file: the architecture, the parameters and the metadata, every check passed (format,
    /// version, checksum, structure, finite values).
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid text weights file; the message names the path, the line and column, and what is wrong.</exception>
    public static TrainedWeights ReadText(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"There is no weights file at '{path}'.", path);
        string text;
        try
        {
            text = File.ReadAllText(path, StrictUtf8);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"'{path}': the file is not valid UTF-8 text, so it is not a text weights file.", e);
        }
        return ParseText(text, $"'{path}'");
    }

    /// <summary>
    /// Loads a text weights file into <paramref name="network"/>'s parameters, after every check of <see cref="ReadText"/>
    /// and the architecture's; returns the file's metadata. Nothing is modified unless the file is valid for this network.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not valid, or holds weights for another architecture; the message says what differs.</exception>
    public static WeightsMetadata LoadText(string path, INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        CheckArguments(network, null);
        TrainedWeights weights = ReadText(path);
        string expected = network.Shape.Fingerprint();
        if (weights.Shape.Fingerprint() != expected)
            throw Invalid($"'{path}'", $"the file holds weights for '{weights.Shape.Fingerprint()}' but the network is '{expected}'.");
        weights.Parameters.CopyTo(network.Parameters);
        return weights.Metadata;
    }

    /// <summary>Checks and converts a text weights file's content; <paramref name="source"/> starts every message.</summary>
    internal static TrainedWeights ParseText(string text, string source)
    {
        WeightsDocument? document = WeightsText.Read(text, ActivationNames, LossNames, out WeightsProblem? problem);
        if (document is null) throw Invalid(source, problem!.Message + ".");
        NetworkShape shape;
        try
        {
            shape = new NetworkShape(document.Inputs, Enum.Parse<Loss>(document.Loss),
                [.. document.Layers.Select(l => new LayerShape(l.Units, Enum.Parse<Activation>(l.Activation), l.Tap))]);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: the file describes no valid network: {e.Message}", e);
        }
        var parameters = new float[shape.ParameterCount];
        for (int l = 0; l < document.Layers.Length; l++)
        {
            WeightsLayer layer = document.Layers[l];
            ParseFloats(layer.Weights, parameters.AsSpan(shape.WeightOffset(l), layer.Weights.Length));
            ParseFloats(layer.Biases, parameters.AsSpan(shape.BiasOffset(l), layer.Biases.Length));
        }
        var metadata = new WeightsMetadata
        {
            FeatureNames = document.Features,
            InputStandardizer = document.Means is null ? null : Standardizer.FromStatistics(ParseDoubles(document.Means), ParseDoubles(document.Deviations!)),
            ClassNames = document.Classes,
            TargetName = document.TargetName,
            TargetScale = document.TargetMean is null ? null
                : new TargetScale(double.Parse(document.TargetMean, CultureInfo.InvariantCulture), double.Parse(document.TargetDeviation!, CultureInfo.InvariantCulture)),
        };
        return new TrainedWeights(shape, parameters, metadata, document.Sha256);
    }

    /// <summary>The metadata with every default filled in, checked against the network.</summary>
    private static WeightsMetadata Complete(NetworkShape shape, WeightsMetadata metadata)
    {
        IReadOnlyList<string> features = metadata.FeatureNames ?? [.. Enumerable.Range(0, shape.Inputs).Select(i => "x" + i.ToString(CultureInfo.InvariantCulture))];
        if (features.Count != shape.Inputs)
            throw new ArgumentException($"WeightsMetadata.FeatureNames names {features.Count} features but the network has {shape.Inputs} inputs.", nameof(metadata));
        if (metadata.InputStandardizer is Standardizer standardizer && standardizer.FeatureCount != shape.Inputs)
            throw new ArgumentException($"WeightsMetadata.InputStandardizer was fitted on {standardizer.FeatureCount} features but the network has {shape.Inputs} inputs.", nameof(metadata));
        if (shape.Loss == Loss.MeanSquaredError)
        {
            if (metadata.ClassNames is not null)
                throw new ArgumentException("WeightsMetadata.ClassNames is set, but a MeanSquaredError network is a regression network; set TargetName instead.", nameof(metadata));
            return metadata with { FeatureNames = features, TargetName = metadata.TargetName ?? "target" };
        }
        int classes = Math.Max(shape.Outputs, 2);
        IReadOnlyList<string> names = metadata.ClassNames ?? [.. Enumerable.Range(0, classes).Select(c => c.ToString(CultureInfo.InvariantCulture))];
        if (names.Count != classes)
            throw new ArgumentException($"WeightsMetadata.ClassNames names {names.Count} classes but the network has {classes}.", nameof(metadata));
        if (metadata.TargetName is not null || metadata.TargetScale is not null)
            throw new ArgumentException($"WeightsMetadata.TargetName or TargetScale is set, but a {shape.Loss} network is a classifier; set ClassNames instead.", nameof(metadata));
        return metadata with { FeatureNames = features, ClassNames = names };
    }

    private static void Member(StringBuilder text, string name, string value) => text.Append($"  \"{name}\": {value},\n");

    private static string List(IEnumerable<string> items) => "[" + string.Join(", ", items) + "]";

    // JsonSerializer.Serialize(value) gives the same text, but its first call sets up the reflection-based serializer
    // (about 20 ms of a short run).
    private static string Quote(string value) => "\"" + JsonEncodedText.Encode(value).Value + "\"";

    private static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture)
        : throw new ArgumentException($"A statistic in the metadata is {value}; a weights file holds finite values only.", "metadata");

    private static void ParseFloats(string[] texts, Span<float> destination)
    {
        for (int i = 0; i < texts.Length; i++) destination[i] = float.Parse(texts[i], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static double[] ParseDoubles(string[] texts) => [.. texts.Select(t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture))];
}
