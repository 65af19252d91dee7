using Microsoft.CodeAnalysis.Diagnostics;

namespace HiddenSpace.Gen.Model;

/// <summary>
/// How much of the batch path to write, from the global analyzer option <c>build_property.HiddenSpace_LaneWidth</c>.
/// A build leaves it unset and gets the lane form at all three widths (the machine that runs the code picks one).
/// HiddenSpace.Gen.Compiler, which compiles for the machine it runs on, sets it to that machine's width ("512",
/// "256" or "128") and gets that lane form only: a third of the code for Roslyn to compile, the same code path.
/// </summary>
/// <param name="LaneWidth">The only lane-form width to write, or null for all three.</param>
internal sealed record EmitOptions(string? LaneWidth)
{
    public const string LaneWidthOption = "build_property.HiddenSpace_LaneWidth";

    public static readonly EmitOptions AllWidths = new((string?)null);

    /// <summary>The options in <paramref name="global"/>; a value other than 512, 256 or 128 means all widths.</summary>
    public static EmitOptions From(AnalyzerConfigOptions global) =>
        global.TryGetValue(LaneWidthOption, out string? width) && width is "512" or "256" or "128" ? new EmitOptions(width) : AllWidths;
}
