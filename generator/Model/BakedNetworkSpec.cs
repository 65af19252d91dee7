using HiddenSpace.Gen.Diagnostics;

namespace HiddenSpace.Gen.Model;

/// <summary>A declaration that names a weights file: its spec, and where the file's problems are reported (the Weights argument).</summary>
internal sealed record BakeRequest(NetworkSpec Spec, LocationInfo? Location);

/// <summary>
/// A weights file's content as the emitter needs it, numbers as the file writes them (shortest round-trip decimals,
/// copied into the code as literals). Parameters are flat in the runtime's layout: per layer W [units x inputs]
/// row-major, then b. Means and Deviations are empty when the network takes its inputs as they are; Classes is
/// empty for regression.
/// </summary>
internal sealed record BakedWeights(
    string Sha256,
    string Fingerprint,
    EquatableArray<string> Parameters,
    EquatableArray<string> Features,
    EquatableArray<string> Means,
    EquatableArray<string> Deviations,
    EquatableArray<string> Classes,
    string? TargetName,
    string? TargetMean,
    string? TargetDeviation);

/// <summary>One additional file some declaration names, read and checked: its weights, or the problem that stops it being baked.</summary>
internal sealed record WeightsFileModel(string Path, BakedWeights? Weights, string? ProblemId, string? Problem);

/// <summary>A network to write inference-only, with its weights as constants.</summary>
internal sealed record BakedNetworkSpec(NetworkSpec Network, BakedWeights Weights);

/// <summary>What baking one declaration gave: the network (null when it cannot be baked) and the diagnostics.</summary>
internal sealed record BakeResult(BakedNetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
