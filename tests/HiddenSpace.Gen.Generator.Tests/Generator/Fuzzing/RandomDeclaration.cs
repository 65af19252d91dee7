using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace HiddenSpace.Tests.Generator.Fuzzing;

/// <summary>
/// One random test case: 1-3 source files declaring networks (valid or not) inside its own namespace (or, in
/// the global namespace, with its own name prefix), plus the compiler errors its source may legitimately cause
/// by itself. Fully determined by <see cref="Seed"/>.
/// </summary>
internal sealed class RandomDeclaration
{
    private static readonly string[] Activations = ["Linear", "ReLU", "LeakyReLU", "Tanh", "Sigmoid", "Softplus", "GELU", "ELU", "Softmax"];
    private static readonly string[] Losses = ["BinaryCrossEntropy", "MeanSquaredError", "SoftmaxCrossEntropy"];
    private static readonly string[] Unrollings = ["Auto", "Always", "Never"];

    // Tap names: ordinary, odd-but-valid (unicode, underscores, contextual keywords), invalid, and colliding with generated or inherited members.
    private static readonly string[] TapNames =
    [
        "Bottleneck", "Hidden", "H", "_", "_h1", "Réseau", "var", "async", "value", "nameof", "Item", "Taps", "Inner",
        "", " ", "2nd", "a b", "class", "@Hidden", "int", "Hidden!", "tap\\n", "\\u0041", "x.y",
        "Forward", "Parameters", "ForwardLayer1", "BackwardLayer2", "ForwardLayer", "_scratch", "Shape", "InputCount", "Net",
        "ToString", "Equals", "GetHashCode", "GetType", "MemberwiseClone", "Finalize",
    ];

    private enum MemberKind { InstanceField, InstanceMember, Constructor, Static, Override }

    // Members a user may already have written; some collide with generated ones, some must not.
    private static readonly (string Code, MemberKind Kind)[] Members =
    [
        ("public void Forward() { }", MemberKind.InstanceMember), ("public int InputCount;", MemberKind.InstanceField),
        ("private float[] _scratch = new float[1];", MemberKind.InstanceField), ("public NAME(int size) { }", MemberKind.Constructor),
        ("void ForwardLayer1() { }", MemberKind.InstanceMember), ("public class Architecture { }", MemberKind.Static),
        ("public static int Shape;", MemberKind.Static), ("public int Bottleneck => 0;", MemberKind.InstanceMember),
        ("public float Gradients() => 0f;", MemberKind.InstanceMember), ("public int Hidden;", MemberKind.InstanceField),
        ("private void RunForward(int x) { }", MemberKind.InstanceMember), ("public static readonly int TapActivations = 1;", MemberKind.Static),
        ("public NAME() { }", MemberKind.Constructor), ("public int Count;", MemberKind.InstanceField),
        ("public override string ToString() => \"net\";", MemberKind.Override), ("public static int Helper(int x) => x;", MemberKind.Static),
        ("public int Forwarded;", MemberKind.InstanceField), ("private static int s_calls;", MemberKind.Static),
        ("public NAME(string name) { }", MemberKind.Constructor), ("internal int Layer1;", MemberKind.InstanceField),
    ];

    private readonly Random _random;
    private readonly List<string> _files = [];
    private readonly HashSet<string> _allowedCompilerErrors = [];
    private readonly List<(string Path, string Text)> _additionalFiles = [];
    private readonly string? _namespace;
    private readonly string _prefix;
    private int _types;

    public RandomDeclaration(int seed)
    {
        Seed = seed;
        _random = new Random(seed);
        _namespace = Chance(0.85) ? $"Fuzz.C{seed}" : null;
        _prefix = _namespace is null ? $"G{seed}_" : "";
        int networks = Chance(0.8) ? 1 : _random.Next(2, 4);
        for (int i = 0; i < networks; i++) AddNetwork(i);
        if (Chance(0.05)) AddOrphanDense();
        if (Chance(0.12)) AddBakedNetwork();
        if (_namespace is not null && Chance(0.03)) AddHintNameLookAlikes();
    }

    public int Seed { get; }

    /// <summary>The source files of the case (each a complete compilation unit).</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>The additional files of the case (weights files of baked networks), each a path and its text.</summary>
    public IReadOnlyList<(string Path, string Text)> AdditionalFiles => _additionalFiles;

    /// <summary>The compiler errors the random source itself may cause (e.g. CS0579 for [Network] twice).</summary>
    public IReadOnlySet<string> AllowedCompilerErrors => _allowedCompilerErrors;

    /// <summary>The file path of file <paramref name="index"/>: identifies the case in a batched compilation.</summary>
    public string FilePath(int index) => $"C{Seed}_{index}.cs";

    /// <summary>True when a generated file's hint name belongs to this case.</summary>
    public bool OwnsHintName(string hintName) =>
        _namespace is not null ? hintName.StartsWith(_namespace + ".", StringComparison.Ordinal) : hintName.StartsWith(_prefix, StringComparison.Ordinal);

    public override string ToString()
    {
        var text = new StringBuilder($"// seed {Seed}; compiler errors allowed: [{string.Join(", ", _allowedCompilerErrors.Order())}]\n");
        for (int i = 0; i < _files.Count; i++) text.Append($"// ---- {FilePath(i)} ----\n").Append(_files[i]);
        foreach ((string path, string content) in _additionalFiles)
            text.Append($"// ---- additional file {path} ----\n").Append(content.Length > 2000 ? content[..2000] + "\n..." : content).Append('\n');
        return text.ToString();
    }

    private void AddNetwork(int index)
    {
        string suffix = index == 0 ? "" : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string name = TypeName(Pick("Net", "Model", "Classifier", "Réseau", "@event", "Net_") + suffix);
        var containers = new List<string>();
        int depth = Chance(0.7) ? 0 : _random.Next(1, 3);
        for (int i = 0; i < depth; i++) containers.Add(ContainerHeader(i, suffix));

        // The target: mostly a plain partial class, sometimes a kind the generator must refuse.
        string kind = Weighted(("class", 85), ("struct", 4), ("record", 4), ("record struct", 2), ("interface", 3), ("abstract class", 4),
            ("static class", 4), ("sealed class", 5), ("generic class", 4));
        string typeParameters = kind == "generic class" ? Pick("<T>", "<T, U>", "<T> where T : struct") : "";
        string keyword = kind switch { "generic class" or "abstract class" or "static class" or "sealed class" => "class", _ => kind };
        string modifiers = kind switch { "abstract class" => "abstract ", "static class" => "static ", "sealed class" => "sealed ", _ => "" };
        if (kind is "struct" or "record struct" or "interface") _allowedCompilerErrors.Add("CS0592"); // [Network] is valid on classes only
        bool partial = Chance(0.93);
        bool fileLocal = depth == 0 && Chance(0.03);
        string access = fileLocal ? "file " : depth > 0 ? Pick("public ", "internal ", "private ", "") : Pick("public ", "internal ", "");

        string baseList = "";
        if (keyword is "class" or "record" && modifiers != "static " && Chance(0.08))
        {
            string baseName = TypeName("Base" + _types++);
            AddFile(Wrap([], $"public class {baseName} {{ {Pick("public int Parameters;", "public virtual void Forward(int x) { }", "public int Shape;", "public int InputCount => 1;", "public int Helper;")} }}\n"));
            baseList = " : " + baseName;
            if (keyword == "record") _allowedCompilerErrors.Add("CS8864"); // a record cannot derive from a class
        }

        // Attribute lists and members, then spread over 1-3 partial declarations.
        var (network, dense) = Attributes();
        var members = new List<string>();
        if (Chance(0.2))
            for (int i = _random.Next(1, 3); i > 0; i--)
            {
                (string code, MemberKind memberKind) = Members[_random.Next(Members.Length)];
                members.Add(code.Replace("NAME", name));
                AllowMemberErrors(kind, memberKind, code);
            }
        if (members.Distinct().Count() != members.Count) _allowedCompilerErrors.UnionWith(["CS0102", "CS0111"]); // the same member written twice

        int parts = Chance(0.75) ? 1 : _random.Next(2, 4);
        var declarations = Enumerable.Range(0, parts).Select(_ => new StringBuilder()).ToList();
        foreach (string attribute in network) declarations[Chance(0.8) ? 0 : _random.Next(parts)].Append(attribute).Append('\n');
        if (network.Count > 1) _allowedCompilerErrors.Add("CS0579"); // [Network] is not AllowMultiple
        bool splitLayers = parts > 1 && Chance(0.25);
        int layerPart = _random.Next(parts);
        foreach (string attribute in dense) declarations[splitLayers ? _random.Next(parts) : layerPart].Append(attribute).Append('\n');
        var bodies = Enumerable.Range(0, parts).Select(_ => new StringBuilder()).ToList();
        foreach (string member in members) bodies[_random.Next(parts)].Append("    ").Append(member).Append('\n');

        bool anyPartialMissing = false;
        for (int p = 0; p < parts; p++)
        {
            bool isPartial = partial || (p > 0 && Chance(0.5));
            anyPartialMissing |= !isPartial;
            declarations[p].Append($"{access}{modifiers}{(isPartial ? "partial " : "")}{keyword} {name}{typeParameters}{(p == 0 ? baseList : "")}\n{{\n{bodies[p]}}}\n");
        }
        if (parts > 1 && anyPartialMissing) { _allowedCompilerErrors.Add("CS0260"); _allowedCompilerErrors.Add("CS0101"); } // missing partial on one of several parts
        if (parts > 1 && fileLocal) _allowedCompilerErrors.Add("CS9071"); // a file-local type's parts must share one file

        bool sameFile = parts == 1 || Chance(0.4);
        if (!sameFile && containers.Any(c => c.EndsWith(")", StringComparison.Ordinal))) _allowedCompilerErrors.Add("CS8863"); // a record's parameter list, repeated with each file's container
        if (sameFile) AddFile(Wrap(containers, string.Concat(declarations)));
        else foreach (StringBuilder declaration in declarations) AddFile(Wrap(containers, declaration.ToString()));
    }

    /// <summary>Errors a member legitimately causes in a target of the given kind (instance members in a static class, fields in an interface...).</summary>
    private void AllowMemberErrors(string targetKind, MemberKind member, string code)
    {
        if (targetKind == "static class" && member != MemberKind.Static) _allowedCompilerErrors.UnionWith(["CS0708", "CS0710"]);
        if (targetKind == "interface")
        {
            if (member == MemberKind.InstanceField) _allowedCompilerErrors.Add("CS0525");
            if (member == MemberKind.Constructor) _allowedCompilerErrors.Add("CS0526");
            if (member == MemberKind.Override) _allowedCompilerErrors.Add("CS0106");
        }
        if (targetKind is "struct" or "record struct" && code.Contains(" = ") && !code.Contains("static")) _allowedCompilerErrors.Add("CS8983"); // field initializer needs a constructor
    }

    private (List<string> Network, List<string> Dense) Attributes()
    {
        var network = new List<string>();
        if (Chance(0.93))
        {
            var arguments = new List<string>();
            // Unrolling.Always unrolls up to 16,384 weights a layer, so it gets small layers, or (HSG0020, nothing
            // emitted) a first layer of 200 x 128 = 25,600 weights.
            string unrolling = Chance(0.35) ? (Chance(0.06) ? $"(Unrolling){Pick("3", "(-2)")}" : "Unrolling." + Unrollings[_random.Next(3)]) : "";
            bool smallOnly = unrolling == "Unrolling.Always";
            bool tooLargeToUnroll = smallOnly && Chance(0.1);
            if (tooLargeToUnroll) arguments.Add("Inputs = 200");
            else if (Chance(0.92)) arguments.Add("Inputs = " + (smallOnly ? _random.Next(1, 9).ToString(System.Globalization.CultureInfo.InvariantCulture) : Size(allowHuge: true)));
            string loss = Losses[_random.Next(3)];
            if (Chance(0.9)) arguments.Add("Loss = " + (Chance(0.04) ? $"(Loss){Pick("3", "(-1)", "99")}" : "Loss." + loss));
            if (unrolling.Length > 0) arguments.Add("Unrolling = " + unrolling);
            if (Chance(0.02)) { arguments.Add(Pick("Inputs = \"two\"", "Outputs = 3", "Inputs = 2.5")); _allowedCompilerErrors.UnionWith(["CS0029", "CS0246", "CS0617", "CS0103", "CS0266", "CS0643"]); }
            Shuffle(arguments);
            network.Add($"[Network({string.Join(", ", arguments)})]");
            if (Chance(0.03)) network.Add(Chance(0.5) ? network[0] : "[Network(Inputs = 1)]");
            List<string> layers = Layers(loss, withOutput: true, smallOnly);
            if (tooLargeToUnroll) layers.Insert(0, "[Dense(128, Activation.ReLU)]");
            return (network, layers);
        }
        return (network, Layers(Losses[_random.Next(3)], withOutput: Chance(0.5)));
    }

    private List<string> Layers(string loss, bool withOutput, bool smallOnly = false)
    {
        var layers = new List<string>();
        int count = Chance(0.05) ? 0 : _random.Next(1, 5);
        for (int i = 0; i < count; i++)
        {
            bool last = i == count - 1;
            string units = smallOnly ? _random.Next(1, 9).ToString(System.Globalization.CultureInfo.InvariantCulture) : Size(allowHuge: false);
            string activation = Chance(0.02) ? $"(Activation){Pick("9", "(-1)", "100")}" : "Activation." + Activations[_random.Next(Activations.Length)];
            if (last && withOutput && Chance(0.9))
                (units, activation) = loss switch
                {
                    "BinaryCrossEntropy" => (Pick("1", "2", "3"), "Activation.Sigmoid"),
                    "SoftmaxCrossEntropy" => (Pick("2", "3", "10"), "Activation.Softmax"),
                    _ => (units, "Activation." + Activations[_random.Next(Activations.Length - 1)]),
                };
            else if (!last && activation == "Activation.Softmax" && Chance(0.8))
                activation = "Activation.Tanh";
            var arguments = new List<string> { units };
            if (activation != "Activation.Linear" || Chance(0.5)) arguments.Add(activation);
            if (Chance(0.2))
                arguments.Add($"Tap = {(Chance(0.05) ? "null" : "\"" + TapNames[_random.Next(TapNames.Length)] + "\"")}");
            if (Chance(0.01)) { arguments.Clear(); _allowedCompilerErrors.Add("CS7036"); } // [Dense] without its units
            layers.Add(arguments.Count == 0 ? "[Dense]" : $"[Dense({string.Join(", ", arguments)})]");
        }
        return layers;
    }

    /// <summary>A width: mostly small, sometimes zero, negative or large (looped above 512 weights; huge ones only with loops).</summary>
    private string Size(bool allowHuge) => Weighted(("small", 86), ("zero", 1), ("negative", 1), ("large", 10), ("huge", allowHuge ? 2 : 0)) switch
    {
        "small" => _random.Next(1, 9).ToString(System.Globalization.CultureInfo.InvariantCulture),
        "zero" => "0",
        "negative" => Pick("-1", "-7", "int.MinValue"),
        "large" => Pick("33", "64", "100", "128", "300", "784"),
        _ => Pick("100000", "int.MaxValue", "1 << 20"),
    };

    private string ContainerHeader(int level, string suffix)
    {
        string kind = Weighted(("class", 40), ("struct", 10), ("record", 10), ("record struct", 5), ("interface", 5), ("static class", 10), ("generic class", 10), ("sealed class", 5), ("abstract class", 5));
        bool partial = Chance(0.95);
        string name = TypeName(Pick($"Outer{level}", $"Outer{level}", level == 0 ? "@class" : "@struct") + suffix);
        string keyword = kind switch { "static class" or "generic class" or "sealed class" or "abstract class" => "class", _ => kind };
        string modifiers = kind switch { "static class" => "static ", "sealed class" => "sealed ", "abstract class" => "abstract ", _ => "" };
        string typeParameters = kind == "generic class" ? Pick("<T>", "<TKey, TValue>") : "";
        string parameters = keyword.StartsWith("record") && Chance(0.5) ? "(int Id)" : "";
        return $"public {modifiers}{(partial ? "partial " : "")}{keyword} {name}{typeParameters}{parameters}";
    }

    private void AddOrphanDense()
    {
        string name = TypeName("Orphan" + _types++);
        List<string> dense = Layers("MeanSquaredError", withOutput: true);
        if (dense.Count == 0) dense.Add("[Dense(2)]");
        AddFile(Wrap([], string.Join("\n", dense) + $"\npublic {Pick("", "partial ")}class {name} {{ }}\n"));
    }

    /// <summary>
    /// A network that names a weights file: a valid file, one for another architecture, a damaged or resealed one, a
    /// file of a newer version, one with a value beyond a float, none at all, two of the same name, or a layer too
    /// large to bake.
    /// </summary>
    private void AddBakedNetwork()
    {
        string name = TypeName("Baked" + _types++);
        string file = $"C{Seed}_{_types}.weights.json";
        NetworkShape shape = RandomShape();
        string unrolling = Pick("", "", "", "Unrolling = Unrolling.Always", "Unrolling = Unrolling.Never");
        string kind = Weighted(("valid", 30), ("other architecture", 10), ("mutated", 25), ("missing", 7), ("twice", 7), ("newer version", 7), ("not finite", 7), ("too large", 7));
        if (kind == "too large")
        {
            shape = new NetworkShape(300, Loss.MeanSquaredError, new LayerShape(1024, Activation.ReLU), new LayerShape(1, Activation.Linear));
            unrolling = "";
        }
        string arguments = string.Join(", ", new[] { unrolling, $"Weights = \"{Pick("", "weights/", "./")}{file}\"" }.Where(a => a.Length > 0));
        AddFile(Wrap([], TestShapes.Declare(shape, name, arguments)));

        string text = WeightsFile.ToText(new ReferenceNetwork(kind == "other architecture" ? RandomShape() : shape, Seed));
        switch (kind)
        {
            case "mutated":
                text = WeightsTextEdits.Mutate(Seed, [text]);
                break;
            case "newer version":
                text = text.Replace("\"version\": 1,", "\"version\": " + _random.Next(2, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) + ",", StringComparison.Ordinal);
                break;
            case "not finite":
                int bias = text.IndexOf("\"biases\": [", StringComparison.Ordinal) + "\"biases\": [".Length;
                int end = text.IndexOfAny([',', ']'], bias);
                text = WeightsTextEdits.Reseal(text[..bias] + Pick("1e39", "-3.5e38", "1e400") + text[end..]);
                break;
        }
        if (kind != "missing" && kind != "too large") _additionalFiles.Add(($"/fuzz/weights/{file}", text));
        if (kind == "twice") _additionalFiles.Add(($"/fuzz/copy/weights/{file}", text));
    }

    /// <summary>A valid architecture of 1-4 small layers, any activation and loss, sometimes with taps.</summary>
    private NetworkShape RandomShape()
    {
        Activation[] hidden = [Activation.Linear, Activation.ReLU, Activation.LeakyReLU, Activation.Tanh, Activation.Sigmoid, Activation.Softplus, Activation.GELU, Activation.ELU];
        var layers = new List<LayerShape>();
        for (int i = _random.Next(0, 3); i > 0; i--)
            layers.Add(new LayerShape(_random.Next(1, 13), hidden[_random.Next(hidden.Length)], Chance(0.2) ? "Tap" + layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
        Loss loss = (Loss)_random.Next(3);
        layers.Add(loss switch
        {
            Loss.BinaryCrossEntropy => new LayerShape(1, Activation.Sigmoid),
            Loss.SoftmaxCrossEntropy => new LayerShape(_random.Next(2, 5), Activation.Softmax),
            _ => new LayerShape(_random.Next(1, 3), hidden[_random.Next(hidden.Length)]),
        });
        return new NetworkShape(_random.Next(1, 9), loss, [.. layers]);
    }

    /// <summary>
    /// Two valid networks whose fully qualified names differ only in characters a hint name cannot hold:
    /// @checked.Net and _checked.Net, or Look&lt;T&gt;.Net and Look_T_.Net.
    /// </summary>
    private void AddHintNameLookAlikes()
    {
        const string body = "[Network(Inputs = 2, Loss = Loss.BinaryCrossEntropy)]\n[Dense(1, Activation.Sigmoid)]\npublic partial class Net { }\n";
        (string first, string second) = Chance(0.5) ? ("@checked", "_checked") : ("Look<T>", "Look_T_");
        AddFile(Wrap([], $"public partial class {first}\n{{\n{body}}}\npublic partial class {second}\n{{\n{body}}}\n"));
    }

    private string Wrap(IReadOnlyList<string> containers, string body)
    {
        var text = new StringBuilder("using HiddenSpace;\n");
        if (_namespace is not null) text.Append($"namespace {_namespace}\n{{\n");
        foreach (string container in containers) text.Append(container).Append("\n{\n");
        text.Append(body);
        foreach (string _ in containers) text.Append("}\n");
        if (_namespace is not null) text.Append("}\n");
        return text.ToString();
    }

    private void AddFile(string text) => _files.Add(text);

    /// <summary>Types in the global namespace carry the case prefix so cases batched into one compilation never clash.</summary>
    private string TypeName(string name) => _namespace is null ? _prefix + name.TrimStart('@') : name;

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private string Pick(params string[] options) => options[_random.Next(options.Length)];

    private string Weighted(params (string Value, int Weight)[] options)
    {
        int roll = _random.Next(options.Sum(o => o.Weight));
        foreach ((string value, int weight) in options)
        {
            if (roll < weight) return value;
            roll -= weight;
        }
        throw new InvalidOperationException("unreachable");
    }

    private void Shuffle(List<string> list)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = _random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
