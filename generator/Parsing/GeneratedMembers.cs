using System.Collections.Generic;

namespace HiddenSpace.Gen.Parsing;

/// <summary>The member names the emitter writes into a network class; user members and tap names must avoid them.</summary>
internal static class GeneratedMembers
{
    /// <summary>The members of a trainable network.</summary>
    public static readonly HashSet<string> Fixed = new()
    {
        "InputCount", "OutputCount", "ParameterCount", "Architecture", "Shape", "Parameters", "Gradients",
        "Forward", "ForwardBatch", "AccumulateGradients", "AccumulateBatchGradients", "TapActivations", "CreateWorker",
        "_parameters", "_gradients", "_scratch", "_laneScratch", "_laneTargets", "_laneGradients",
        "RunForward", "AccumulateSample", "ForwardLanes", "AccumulateLanes",
    };

    /// <summary>The members of a baked (inference-only) network.</summary>
    public static readonly HashSet<string> Baked = new()
    {
        "InputCount", "OutputCount", "Architecture", "Shape", "FeatureNames", "ClassNames", "TargetName", "WeightsSha256",
        "Forward", "ForwardBatch", "TapActivations", "Predict", "_scratch", "RunForward",
    };

    /// <summary>
    /// The using aliases a generated file declares, by name: the types its code names in short. A member of the class
    /// with one of these names would hide the alias inside the class, so they are reserved like members.
    /// </summary>
    public static readonly Dictionary<string, string> Aliases = new()
    {
        ["ActivationKernels"] = "global::HiddenSpace.Kernels.ActivationKernels",
        ["DenseKernels"] = "global::HiddenSpace.Kernels.DenseKernels",
        ["LossKernels"] = "global::HiddenSpace.Kernels.LossKernels",
        ["MatrixKernels"] = "global::HiddenSpace.Kernels.MatrixKernels",
        ["LaneKernels"] = "global::HiddenSpace.Kernels.LaneKernels",
        ["LaneBuffer"] = "global::HiddenSpace.Kernels.LaneBuffer",
        ["RowKernels"] = "global::HiddenSpace.Kernels.RowKernels",
        ["NetworkArguments"] = "global::HiddenSpace.NetworkArguments",
        ["MathF"] = "global::System.MathF",
        ["MemoryMarshal"] = "global::System.Runtime.InteropServices.MemoryMarshal",
        ["MethodImpl"] = "global::System.Runtime.CompilerServices.MethodImplAttribute",
        ["MethodImplOptions"] = "global::System.Runtime.CompilerServices.MethodImplOptions",
        ["Unsafe"] = "global::System.Runtime.CompilerServices.Unsafe",
        ["Vector128"] = "global::System.Runtime.Intrinsics.Vector128",
        ["Vector256"] = "global::System.Runtime.Intrinsics.Vector256",
        ["Vector512"] = "global::System.Runtime.Intrinsics.Vector512",
        ["V128"] = "global::System.Runtime.Intrinsics.Vector128<float>",
        ["V256"] = "global::System.Runtime.Intrinsics.Vector256<float>",
        ["V512"] = "global::System.Runtime.Intrinsics.Vector512<float>",
        ["Lane128"] = "global::HiddenSpace.Kernels.Lane128",
        ["Lane256"] = "global::HiddenSpace.Kernels.Lane256",
        ["Lane512"] = "global::HiddenSpace.Kernels.Lane512",
    };

    /// <summary>True when the generator writes a member (or an alias) of this name into a network (baked or not).</summary>
    public static bool IsReserved(string name, bool baked) =>
        (baked ? Baked : Fixed).Contains(name) || Aliases.ContainsKey(name) || IsLayerMember(name, "ForwardLayer") || (!baked && IsLayerMember(name, "BackwardLayer"))
        || (baked && IsLayerMember(name, "Layer"));

    /// <summary>Per-layer members: ForwardLayer1, BackwardLayer1, ... and a baked network's Layer1Weights, Layer1Biases.</summary>
    private static bool IsLayerMember(string name, string prefix) =>
        name.StartsWith(prefix, System.StringComparison.Ordinal) && name.Length > prefix.Length && (prefix != "Layer" || char.IsDigit(name[prefix.Length]));
}
