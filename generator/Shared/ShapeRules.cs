namespace HiddenSpace.Shapes;

// Compiled into the generator (which reports a broken declaration as a diagnostic) and into the runtime (whose
// NetworkShape throws for a broken architecture): the rules a network's shape follows, written once. Activations and
// losses travel as their int values, the values of HiddenSpace.Activation and HiddenSpace.Loss (the generator mirrors
// those enums, and EnumMirrorTests keeps the mirrors equal).

/// <summary>The rules every network shape follows, whether declared with attributes or built at run time.</summary>
internal static class ShapeRules
{
    /// <summary>The most elements one array holds (System.Array.MaxLength, not in netstandard2.0): parameters and scratch are one array each.</summary>
    public const int MaxArrayLength = 0x7FFFFFC7;

    private const int Sigmoid = 4; // Activation.Sigmoid
    private const int Softmax = 8; // Activation.Softmax
    private const int BinaryCrossEntropy = 0; // Loss.BinaryCrossEntropy
    private const int MeanSquaredError = 1; // Loss.MeanSquaredError
    private const int SoftmaxCrossEntropy = 2; // Loss.SoftmaxCrossEntropy

    /// <summary>Inputs and units: a network needs at least one input, a layer at least one unit.</summary>
    public static bool IsValidCount(int count) => count >= 1;

    /// <summary>Softmax mixes a layer's units into a distribution over classes: only the output layer may use it.</summary>
    public static bool IsMisplacedSoftmax(int activation, int layerIndex, int layerCount) =>
        activation == Softmax && layerIndex != layerCount - 1;

    /// <summary>Weights and biases of a layer of <paramref name="units"/> units on <paramref name="fanIn"/> inputs, in long (65,536² overflows an int).</summary>
    public static long LayerParameters(int units, int fanIn) => (long)units * fanIn + units;

    /// <summary>
    /// What the loss needs of the output layer ("a Sigmoid output layer", ...), or null when the output layer has it:
    /// the losses that fold the output activation's derivative into their gradient need that activation.
    /// </summary>
    public static string? LossNeeds(int loss, int outputActivation, int outputUnits) => loss switch
    {
        BinaryCrossEntropy when outputActivation != Sigmoid => "a Sigmoid output layer",
        SoftmaxCrossEntropy when outputActivation != Softmax || outputUnits < 2 => "a Softmax output layer of at least 2 units",
        MeanSquaredError when outputActivation == Softmax => "an output layer that is not Softmax (Softmax goes with SoftmaxCrossEntropy)",
        _ => null,
    };

    /// <summary>
    /// Whether <paramref name="name"/> is a C# identifier that is not a reserved keyword, as Roslyn's
    /// SyntaxFacts.IsValidIdentifier and GetKeywordKind decide it (ShapeRulesTests holds the two equal): a letter
    /// (Lu, Ll, Lt, Lm, Lo, Nl) or '_', then letters, digits (Nd), connectors (Pc), combining marks (Mn, Mc) and
    /// formatting characters (Cf). Tap names follow it, and so do the class and namespace names the tool writes.
    /// </summary>
    public static bool IsIdentifier(string? name)
    {
        if (name is null || name.Length == 0 || !(name[0] == '_' || IsLetter(char.GetUnicodeCategory(name[0])))) return false;
        for (int i = 1; i < name.Length; i++)
        {
            System.Globalization.UnicodeCategory category = char.GetUnicodeCategory(name[i]);
            if (!(IsLetter(category) || category is System.Globalization.UnicodeCategory.DecimalDigitNumber
                    or System.Globalization.UnicodeCategory.ConnectorPunctuation or System.Globalization.UnicodeCategory.NonSpacingMark
                    or System.Globalization.UnicodeCategory.SpacingCombiningMark or System.Globalization.UnicodeCategory.Format))
                return false;
        }
        return System.Array.IndexOf(Keywords, name) < 0;
    }

    private static bool IsLetter(System.Globalization.UnicodeCategory category) => category is System.Globalization.UnicodeCategory.UppercaseLetter
        or System.Globalization.UnicodeCategory.LowercaseLetter or System.Globalization.UnicodeCategory.TitlecaseLetter
        or System.Globalization.UnicodeCategory.ModifierLetter or System.Globalization.UnicodeCategory.OtherLetter
        or System.Globalization.UnicodeCategory.LetterNumber;

    // The reserved keywords (contextual ones such as var or record are identifiers), with Roslyn's four undocumented ones.
    private static readonly string[] Keywords =
    [
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while", "__arglist", "__makeref", "__reftype", "__refvalue",
    ];

    /// <summary>"Tanh with 1 unit": how the rules name an output layer.</summary>
    public static string DescribeOutput(string activation, int units) =>
        $"{activation} with {units.ToString(System.Globalization.CultureInfo.InvariantCulture)} unit{(units == 1 ? "" : "s")}";
}
