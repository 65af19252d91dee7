using System.Collections.Generic;

namespace HiddenSpace.Gen.Parsing;

/// <summary>The member names the emitter writes into every network class; user members and tap names must avoid them.</summary>
internal static class GeneratedMembers
{
    public static readonly HashSet<string> Fixed = new()
    {
        "InputCount", "OutputCount", "ParameterCount", "Architecture", "Shape", "Parameters", "Gradients",
        "Forward", "ForwardBatch", "AccumulateGradients", "AccumulateBatchGradients", "TapActivations", "CreateWorker",
        "_parameters", "_gradients", "_scratch", "_laneScratch", "_laneTargets", "_laneGradients",
        "RunForward", "AccumulateSample", "ForwardLanes", "AccumulateLanes",
    };

    /// <summary>Per-layer method names (ForwardLayer1, BackwardLayer1, ...).</summary>
    public static bool IsLayerMethod(string name) =>
        (name.StartsWith("ForwardLayer", System.StringComparison.Ordinal) || name.StartsWith("BackwardLayer", System.StringComparison.Ordinal))
        && name.Length > "ForwardLayer".Length;
}
