using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace HiddenSpace.Weights;

// Compiled into the generator (which bakes a weights file into code) and into the runtime (which writes and loads it),
// so both check a file by the same rules and word every problem the same way. docs/weights-format.md describes the format.

/// <summary>What kind of problem a weights text has; each maps to one generator diagnostic.</summary>
internal enum WeightsProblemKind
{
    /// <summary>Not JSON, not a weights file, or a member missing, unknown, of the wrong type or the wrong length.</summary>
    Unreadable,

    /// <summary>A format version this reader does not read.</summary>
    Version,

    /// <summary>The stored SHA-256 does not match the content.</summary>
    Checksum,

    /// <summary>A weight, bias or statistic that is not a finite number (or not a finite float).</summary>
    NonFinite,
}

/// <summary>The first problem found in a weights text.</summary>
internal sealed record WeightsProblem(WeightsProblemKind Kind, string Message);

/// <summary>One dense layer as the file stores it: W [units × fan-in] row-major and b, numbers kept as the file writes them.</summary>
internal sealed record WeightsLayer(int Units, string Activation, string? Tap, string[] Weights, string[] Biases);

/// <summary>
/// The content of a valid weights text, numbers kept as written (shortest round-trip text). Means and Deviations are
/// null when the network takes its inputs as they are; Classes is null for regression, TargetName for a classifier;
/// TargetMean and TargetDeviation are set when a regression network's targets were standardised in training (it still
/// predicts on the original scale).
/// </summary>
internal sealed record WeightsDocument(
    string Fingerprint,
    int Inputs,
    string Loss,
    string[] Features,
    string[]? Means,
    string[]? Deviations,
    string[]? Classes,
    string? TargetName,
    string? TargetMean,
    string? TargetDeviation,
    WeightsLayer[] Layers,
    string Sha256);

/// <summary>
/// The text weights format (version 1): a JSON document with a fixed set of members, the parameters written as
/// shortest round-trip decimals, and a SHA-256 checksum over the text before its own line. Reading never throws for
/// bad input: it returns the first problem.
/// </summary>
internal static class WeightsText
{
    /// <summary>The value of the "format" member.</summary>
    public const string FormatName = "hiddenspace-weights";

    /// <summary>The format version this code writes and the only one it reads.</summary>
    public const int Version = 1;

    /// <summary>The member that holds the checksum; it is the last member and on a line of its own.</summary>
    public const string ChecksumMember = "sha256";

    /// <summary>The members of a version 1 file, in the order they are written.</summary>
    public static readonly string[] Members =
    [
        "format", "version", "fingerprint", "inputs", "loss", "features", "standardization", "classes", "target", "layers", ChecksumMember,
    ];

    private static readonly string[] LayerMembers = ["units", "activation", "tap", "weights", "biases"];

    // Half an ulp above float.MaxValue: a decimal at or beyond it rounds to infinity as a float.
    private const double FloatOverflow = 3.4028235677973366E+38;

    /// <summary>
    /// The architecture fingerprint, e.g. <c>inputs=2;loss=BinaryCrossEntropy;dense(16,Tanh);dense(1,Sigmoid)</c>:
    /// inputs, loss, then every layer's units, activation and tap.
    /// </summary>
    public static string Fingerprint(int inputs, string loss, IEnumerable<(int Units, string Activation, string? Tap)> layers)
    {
        var text = new StringBuilder();
        text.Append("inputs=").Append(inputs.ToString(CultureInfo.InvariantCulture)).Append(";loss=").Append(loss);
        foreach ((int units, string activation, string? tap) in layers)
        {
            text.Append(";dense(").Append(units.ToString(CultureInfo.InvariantCulture)).Append(',').Append(activation);
            if (tap is not null) text.Append(",tap=").Append(tap);
            text.Append(')');
        }
        return text.ToString();
    }

    /// <summary>Line breaks as single '\n' (a file checked out with CRLF line endings keeps its checksum) and no byte order mark.</summary>
    public static string Normalize(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);
        return text.IndexOf('\r') < 0 ? text : text.Replace("\r\n", "\n").Replace('\r', '\n');
    }

    /// <summary>SHA-256 of the UTF-8 bytes of <paramref name="covered"/>, as 64 lowercase hexadecimal digits.</summary>
    public static string Checksum(string covered)
    {
        using SHA256 sha = SHA256.Create();
        byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(covered));
        var hex = new StringBuilder(hash.Length * 2);
        foreach (byte b in hash) hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        return hex.ToString();
    }

    /// <summary>
    /// Reads a weights text. <paramref name="activations"/> and <paramref name="losses"/> are the names a layer's
    /// activation and the loss may have. Returns the document, or null and the first problem.
    /// </summary>
    public static WeightsDocument? Read(string text, IReadOnlyCollection<string> activations, IReadOnlyCollection<string> losses, out WeightsProblem? problem)
    {
        string normalized = Normalize(text);
        var reader = new DocumentReader(normalized, activations, losses);
        try
        {
            WeightsDocument document = reader.Read();
            problem = null;
            return document;
        }
        catch (ProblemException e)
        {
            problem = e.Problem;
            return null;
        }
    }

    private sealed class ProblemException(WeightsProblem problem) : Exception(problem.Message)
    {
        public WeightsProblem Problem { get; } = problem;
    }

    private sealed class DocumentReader(string text, IReadOnlyCollection<string> activations, IReadOnlyCollection<string> losses)
    {
        public WeightsDocument Read()
        {
            JsonValue? root = JsonText.Parse(text, out int errorOffset, out string? error);
            if (root is null) throw Unreadable(errorOffset, error + "; it is not valid JSON");
            if (root is not JsonObject file)
                throw Unreadable(root.Offset, $"the file holds {root.Kind}, not an object: it is not a HiddenSpace weights file");
            JsonValue? format = Find(file, "format");
            if (format is not JsonString { Value: FormatName })
                throw Unreadable(format?.Offset ?? file.Offset, $"its \"format\" is {(format is null ? "missing" : Show(format))}, not \"{FormatName}\": it is not a HiddenSpace weights file");

            JsonValue? version = Find(file, "version");
            if (version is not JsonNumber { Value: var number } || number != Math.Floor(number))
                throw Unreadable(version?.Offset ?? file.Offset, $"its \"version\" is {(version is null ? "missing" : Show(version))}; it must be a whole number");
            if (number != Version)
                throw new ProblemException(new WeightsProblem(WeightsProblemKind.Version, number > Version
                    ? $"format version {Show(version)} is newer than this version of HiddenSpace.Gen reads (version {Version}); update HiddenSpace.Gen"
                    : $"format version {Show(version)} is not a valid version (this version of HiddenSpace.Gen reads version {Version}); the file is damaged: write it again"));

            string sha256 = CheckChecksum(file);
            CheckMembers(file, Members, "the file");

            string fingerprint = String(file, "fingerprint");
            int inputs = Count(file, "inputs");
            string loss = Name(file, "loss", losses);
            string[] features = Strings(Get(file, "features"), "\"features\"", inputs);
            (string[]? means, string[]? deviations) = Standardization(file, inputs);
            string[]? classes = Get(file, "classes") is JsonLiteral { Text: "null" } ? null : Strings(Get(file, "classes"), "\"classes\"", null);
            (string? targetName, string? targetMean, string? targetDeviation) = Target(file);
            if ((classes is null) == (targetName is null))
                throw Unreadable(Get(file, "classes").Offset, "a file names either \"classes\" (a classifier) or a \"target\" (regression), and exactly one of them");

            JsonArray layerArray = Array(Get(file, "layers"), "\"layers\"");
            if (layerArray.Items.Count == 0) throw Unreadable(layerArray.Offset, "\"layers\" is empty; a network has at least one layer");
            var layers = new WeightsLayer[layerArray.Items.Count];
            int fanIn = inputs;
            for (int l = 0; l < layers.Length; l++)
            {
                layers[l] = Layer(layerArray.Items[l], l + 1, fanIn);
                fanIn = layers[l].Units;
            }

            string described = Fingerprint(inputs, loss, layers.Select(l => (l.Units, l.Activation, l.Tap)));
            if (fingerprint != described)
                throw Unreadable(Get(file, "fingerprint").Offset, $"the \"fingerprint\" '{fingerprint}' is not the architecture the file describes ('{described}')");
            int outputs = layers[layers.Length - 1].Units;
            if (classes is not null && classes.Length != Math.Max(outputs, 2))
                throw Unreadable(Get(file, "classes").Offset,
                    $"\"classes\" names {classes.Length} classes but the output layer has {outputs} unit{(outputs == 1 ? "" : "s")} ({Math.Max(outputs, 2)} classes)");
            return new WeightsDocument(fingerprint, inputs, loss, features, means, deviations, classes, targetName, targetMean, targetDeviation, layers, sha256);
        }

        /// <summary>"sha256" must be the last member, on a line of its own, and match the text before that line.</summary>
        private string CheckChecksum(JsonObject file)
        {
            int last = file.Members.Count - 1;
            if (last < 0 || file.Members[last].Key != ChecksumMember)
                throw Unreadable(file.Offset, $"its last member must be \"{ChecksumMember}\", the checksum");
            JsonValue value = file.Members[last].Value;
            string stored = value is JsonString s ? s.Value : "";
            if (stored.Length != 64 || stored.Any(c => !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))))
                throw Unreadable(value.Offset, $"\"{ChecksumMember}\" must be 64 lowercase hexadecimal digits, not {Show(value)}");
            int keyOffset = file.KeyOffsets[last];
            int lineStart = text.LastIndexOf('\n', keyOffset) + 1;
            string computed = Checksum(text.Substring(0, lineStart));
            if (computed != stored)
                throw new ProblemException(new WeightsProblem(WeightsProblemKind.Checksum,
                    $"checksum mismatch: the file stores SHA-256 {stored.Substring(0, 16)}... but its content hashes to {computed.Substring(0, 16)}...; it was changed after it was written"));
            return stored;
        }

        private (string[]? Means, string[]? Deviations) Standardization(JsonObject file, int inputs)
        {
            JsonValue value = Get(file, "standardization");
            if (value is JsonLiteral { Text: "null" }) return (null, null);
            JsonObject statistics = Object(value, "\"standardization\"");
            CheckMembers(statistics, ["means", "deviations"], "\"standardization\"");
            string[] means = Numbers(Get(statistics, "means"), "\"standardization\" \"means\"", inputs, isFloat: false);
            string[] deviations = Numbers(Get(statistics, "deviations"), "\"standardization\" \"deviations\"", inputs, isFloat: false);
            JsonArray deviationArray = (JsonArray)Get(statistics, "deviations");
            for (int f = 0; f < deviations.Length; f++)
                if (!(((JsonNumber)deviationArray.Items[f]).Value > 0))
                    throw Unreadable(deviationArray.Items[f].Offset, $"\"standardization\" \"deviations\" item {f + 1} is {deviations[f]}; a deviation must be positive");
            return (means, deviations);
        }

        private (string? Name, string? Mean, string? Deviation) Target(JsonObject file)
        {
            JsonValue value = Get(file, "target");
            if (value is JsonLiteral { Text: "null" }) return (null, null, null);
            JsonObject target = Object(value, "\"target\"");
            CheckMembers(target, ["name", "standardization"], "\"target\"");
            string name = String(target, "name");
            JsonValue scale = Get(target, "standardization");
            if (scale is JsonLiteral { Text: "null" }) return (name, null, null);
            JsonObject statistics = Object(scale, "\"target\" \"standardization\"");
            CheckMembers(statistics, ["mean", "deviation"], "\"target\" \"standardization\"");
            string mean = Number(Get(statistics, "mean"), "the target's mean", isFloat: false);
            JsonValue deviation = Get(statistics, "deviation");
            string deviationText = Number(deviation, "the target's deviation", isFloat: false);
            if (!(((JsonNumber)deviation).Value > 0))
                throw Unreadable(deviation.Offset, $"the target's deviation is {deviationText}; a deviation must be positive");
            return (name, mean, deviationText);
        }

        private WeightsLayer Layer(JsonValue value, int number, int fanIn)
        {
            string label = "layer " + number.ToString(CultureInfo.InvariantCulture);
            JsonObject layer = Object(value, label);
            CheckMembers(layer, LayerMembers, label);
            int units = Count(layer, "units", label + " ");
            string activation = Name(layer, "activation", activations, label + " ");
            JsonValue tapValue = Get(layer, "tap");
            string? tap = tapValue is JsonLiteral { Text: "null" } ? null : String(layer, "tap", label + " ");
            JsonArray rows = Array(Get(layer, "weights"), label + " \"weights\"");
            if (rows.Items.Count != units)
                throw Unreadable(rows.Offset, $"{label} \"weights\" has {rows.Items.Count} rows but the layer has {units} units");
            // Row by row, each checked before it is kept: the sizes in a damaged file are not to be trusted with an allocation.
            var weights = new List<string>();
            for (int o = 0; o < units; o++)
                weights.AddRange(Numbers(rows.Items[o], $"{label} \"weights\" row {(o + 1).ToString(CultureInfo.InvariantCulture)}", fanIn, isFloat: true));
            string[] biases = Numbers(Get(layer, "biases"), label + " \"biases\"", units, isFloat: true);
            return new WeightsLayer(units, activation, tap, weights.ToArray(), biases);
        }

        private void CheckMembers(JsonObject value, string[] expected, string where)
        {
            foreach (KeyValuePair<string, JsonValue> member in value.Members)
                if (System.Array.IndexOf(expected, member.Key) < 0)
                    throw Unreadable(member.Value.Offset, $"{where} has an unknown member \"{member.Key}\" (version {Version} has {string.Join(", ", expected.Select(e => "\"" + e + "\""))})");
            foreach (string name in expected)
                if (Find(value, name) is null)
                    throw Unreadable(value.Offset, $"{where} has no \"{name}\" member");
        }

        private string String(JsonObject value, string name, string where = "") =>
            Get(value, name) is JsonString s ? s.Value : throw Unreadable(Get(value, name).Offset, $"{where}\"{name}\" is {Get(value, name).Kind}, not a string");

        private string Name(JsonObject value, string name, IReadOnlyCollection<string> allowed, string where = "")
        {
            string text = String(value, name, where);
            if (!allowed.Contains(text))
                throw Unreadable(Get(value, name).Offset, $"{where}\"{name}\" is \"{text}\", which is not one of {string.Join(", ", allowed)}");
            return text;
        }

        private int Count(JsonObject value, string name, string where = "")
        {
            JsonValue item = Get(value, name);
            if (item is not JsonNumber number || number.Value != Math.Floor(number.Value) || number.Value < 1 || number.Value > int.MaxValue)
                throw Unreadable(item.Offset, $"{where}\"{name}\" is {Show(item)}; it must be a whole number of at least 1");
            return (int)number.Value;
        }

        private string[] Strings(JsonValue value, string what, int? length)
        {
            JsonArray array = Array(value, what);
            if (length is int expected && array.Items.Count != expected)
                throw Unreadable(array.Offset, $"{what} has {array.Items.Count} items, not {expected}");
            var strings = new string[array.Items.Count];
            for (int i = 0; i < strings.Length; i++)
                strings[i] = array.Items[i] is JsonString s ? s.Value
                    : throw Unreadable(array.Items[i].Offset, $"{what} item {i + 1} is {array.Items[i].Kind}, not a string");
            return strings;
        }

        private string[] Numbers(JsonValue value, string what, int length, bool isFloat)
        {
            JsonArray array = Array(value, what);
            if (array.Items.Count != length)
                throw Unreadable(array.Offset, $"{what} has {array.Items.Count} numbers, not {length}");
            var numbers = new string[length];
            for (int i = 0; i < length; i++)
                numbers[i] = Number(array.Items[i], $"{what} item {i + 1}", isFloat);
            return numbers;
        }

        private string Number(JsonValue value, string what, bool isFloat)
        {
            if (value is not JsonNumber number)
                throw Unreadable(value.Offset, $"{what} is {value.Kind}, not a number");
            if (double.IsInfinity(number.Value) || (isFloat && Math.Abs(number.Value) >= FloatOverflow))
                throw new ProblemException(new WeightsProblem(WeightsProblemKind.NonFinite,
                    $"{At(value.Offset)}: {what} is {number.Text}, beyond the range of a {(isFloat ? "float" : "double")}; every value must be finite"));
            return number.Text;
        }

        private JsonObject Object(JsonValue value, string what) =>
            value as JsonObject ?? throw Unreadable(value.Offset, $"{what} is {value.Kind}, not an object");

        private JsonArray Array(JsonValue value, string what) =>
            value as JsonArray ?? throw Unreadable(value.Offset, $"{what} is {value.Kind}, not an array");

        private static JsonValue? Find(JsonObject value, string name)
        {
            foreach (KeyValuePair<string, JsonValue> member in value.Members)
                if (member.Key == name) return member.Value;
            return null;
        }

        /// <summary>A member known to be present (<see cref="CheckMembers"/> ran).</summary>
        private static JsonValue Get(JsonObject value, string name) => Find(value, name)!;

        private static string Show(JsonValue value) => value switch
        {
            JsonNumber n => n.Text,
            JsonString s => "\"" + (s.Value.Length > 40 ? s.Value.Substring(0, 40) + "..." : s.Value) + "\"",
            JsonLiteral l => l.Text,
            _ => value.Kind,
        };

        private string At(int offset)
        {
            (int line, int column) = JsonText.Position(text, offset);
            return $"line {line.ToString(CultureInfo.InvariantCulture)}, column {column.ToString(CultureInfo.InvariantCulture)}";
        }

        private ProblemException Unreadable(int offset, string message) =>
            new(new WeightsProblem(WeightsProblemKind.Unreadable, $"{At(offset)}: {message}"));
    }
}
