using HiddenSpace.Gen.Diagnostics;
using HiddenSpace.Gen.Model;

namespace HiddenSpace.Gen.Parsing;

/// <summary>What the parser made of one declaration: a network to emit (null when it has errors) and its diagnostics.</summary>
internal sealed record ParseResult(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
