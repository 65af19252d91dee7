using System.Collections.Generic;

namespace HiddenSpace.Gen.Model;

/// <summary>
/// What the emitter needs to know about one activation, in one place: how its derivative is written (for the
/// headers, and which of z and a the runtime's derivative reads), whether a loss folds it in, and how a narrow
/// unrolled layer applies it.
/// </summary>
/// <param name="Kind">The activation.</param>
/// <param name="Derivative">Its derivative as the generated headers write it, in the layer's own a and z.</param>
/// <param name="DerivativeReadsA">The runtime's derivative reads the activation a (tanh, sigmoid, ELU).</param>
/// <param name="DerivativeReadsZ">The runtime's derivative reads the pre-activation z (ReLU, leaky ReLU, softplus, GELU, ELU).</param>
/// <param name="ElementWise">
/// A function of each unit's own z (everything but the identity and softmax): narrow unrolled layers apply it, and its
/// derivative, per unit in registers; the others go through the runtime's span kernels once per layer.
/// </param>
/// <param name="FoldedBy">The loss whose gradient already holds this activation's derivative when it is the output layer's.</param>
internal sealed record ActivationFacts(ActivationKind Kind, string Derivative, bool DerivativeReadsA, bool DerivativeReadsZ, bool ElementWise, LossKind? FoldedBy)
{
    /// <summary>The identity (Linear): a is z, there is nothing to apply and no separate buffer for a.</summary>
    public bool IsIdentity => Kind == ActivationKind.Linear;

    /// <summary>Mixes the units of the layer (Softmax): applied once all of z is summed, by the whole-layer kernel.</summary>
    public bool AcrossUnits => !ElementWise && !IsIdentity;

    /// <summary>
    /// The inference-only forms keep z apart from a: an activation across units reads all of z after the sums, and a
    /// looped layer's kernel writes z before the activation kernel reads it. Otherwise a unit's sum goes straight
    /// through its activation into a.
    /// </summary>
    public bool KeepsZApart(bool unrolled) => AcrossUnits || (!unrolled && !IsIdentity);

    // Layers with fewer units than this apply an element-wise activation per unit instead of calling the kernel:
    // 8 floats fill one AVX2 vector, and a narrower kernel call costs more than it saves.
    public const int NarrowLayer = 8;

    private static readonly Dictionary<ActivationKind, ActivationFacts> Table = new()
    {
        [ActivationKind.Linear] = new(ActivationKind.Linear, "1", false, false, ElementWise: false, FoldedBy: null),
        [ActivationKind.ReLU] = new(ActivationKind.ReLU, "z > 0 ? 1 : 0", false, true, ElementWise: true, FoldedBy: null),
        [ActivationKind.LeakyReLU] = new(ActivationKind.LeakyReLU, "z > 0 ? 1 : 0.01", false, true, ElementWise: true, FoldedBy: null),
        [ActivationKind.Tanh] = new(ActivationKind.Tanh, "1 - a²", true, false, ElementWise: true, FoldedBy: null),
        [ActivationKind.Sigmoid] = new(ActivationKind.Sigmoid, "a (1 - a)", true, false, ElementWise: true, FoldedBy: LossKind.BinaryCrossEntropy),
        [ActivationKind.Softplus] = new(ActivationKind.Softplus, "Sigmoid(z)", false, true, ElementWise: true, FoldedBy: null),
        [ActivationKind.GELU] = new(ActivationKind.GELU, "GELU'(z), the tanh form's derivative", false, true, ElementWise: true, FoldedBy: null),
        [ActivationKind.ELU] = new(ActivationKind.ELU, "z > 0 ? 1 : a + 1", true, true, ElementWise: true, FoldedBy: null),
        [ActivationKind.Softmax] = new(ActivationKind.Softmax, "the softmax Jacobian", false, false, ElementWise: false, FoldedBy: LossKind.SoftmaxCrossEntropy),
    };

    public static ActivationFacts Of(ActivationKind kind) => Table[kind];

    /// <summary>True when this is the output layer's activation and <paramref name="loss"/>'s gradient holds its derivative.</summary>
    public bool FoldsInto(LossKind loss) => FoldedBy == loss;

    /// <summary>Applied per unit in registers in an unrolled layer of <paramref name="units"/> units (else by the span kernel).</summary>
    public bool PerUnitIn(int units) => ElementWise && units < NarrowLayer;

    /// <summary>
    /// The arguments of the runtime's loss kernels for <paramref name="loss"/>: (z, a, target, d) for the losses that
    /// fold the output activation in (they read z), (a, target, d) for mean squared error.
    /// </summary>
    public static string[] LossArguments(LossKind loss, string z, string a, string target, string d) =>
        loss == LossKind.MeanSquaredError ? [a, target, d] : [z, a, target, d];
}
