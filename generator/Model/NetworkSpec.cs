namespace HiddenSpace.Gen.Model;

// Mirrors of the runtime's HiddenSpace.Activation, Loss and Unrolling (same names and values; a test
// checks they agree). The generator cannot reference the runtime assembly.

internal enum ActivationKind
{
    Linear = 0,
    ReLU = 1,
    LeakyReLU = 2,
    Tanh = 3,
    Sigmoid = 4,
    Softplus = 5,
    GELU = 6,
    ELU = 7,
    Softmax = 8,
}

internal enum LossKind
{
    BinaryCrossEntropy = 0,
    MeanSquaredError = 1,
    SoftmaxCrossEntropy = 2,
}

internal enum UnrollingKind
{
    Auto = 0,
    Always = 1,
    Never = 2,
}

/// <summary>One dense layer as declared, plus the code form the generator chose for it.</summary>
internal sealed record LayerSpec(int Units, ActivationKind Activation, string? Tap, bool Unrolled);

/// <summary>A type that contains the network class: its keyword ("class", "record struct", ...) and name with type parameters.</summary>
internal sealed record ContainingTypeSpec(string Keyword, string Name);

/// <summary>
/// Everything the emitter needs to write one network, as plain values (cache-friendly: no symbols, no syntax).
/// <see cref="Weights"/> is the weights file a baked network names (as written in the attribute), or null.
/// </summary>
internal sealed record NetworkSpec(
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string ClassName,
    string FullName,
    string HintName,
    int Inputs,
    LossKind Loss,
    EquatableArray<LayerSpec> Layers,
    string? Weights = null);
