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

    /// <summary>True when the generator writes a member of this name into a network (baked or not).</summary>
    public static bool IsReserved(string name, bool baked) =>
        (baked ? Baked : Fixed).Contains(name) || IsLayerMember(name, "ForwardLayer") || (!baked && IsLayerMember(name, "BackwardLayer"))
        || (baked && IsLayerMember(name, "Layer"));

    /// <summary>Per-layer members: ForwardLayer1, BackwardLayer1, ... and a baked network's Layer1Weights, Layer1Biases.</summary>
    private static bool IsLayerMember(string name, string prefix) =>
        name.StartsWith(prefix, System.StringComparison.Ordinal) && name.Length > prefix.Length && (prefix != "Layer" || char.IsDigit(name[prefix.Length]));
}
