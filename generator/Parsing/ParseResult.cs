using HiddenSpace.Gen.Diagnostics;
using HiddenSpace.Gen.Model;

namespace HiddenSpace.Gen.Parsing;

/// <summary>
/// What the parser made of one declaration: a network to emit (null when it has errors), its diagnostics, and for a
/// network that names a weights file, where to report the file's problems (the Weights argument).
/// </summary>
internal sealed record ParseResult(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, LocationInfo? WeightsLocation = null);
