using HiddenSpace.Gen.Diagnostics;
using HiddenSpace.Gen.Emitting;
using HiddenSpace.Gen.Model;
using HiddenSpace.Gen.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HiddenSpace.Gen;

/// <summary>
/// Expands every [Network]-annotated partial class into unrolled forward and backward code.
/// The pipeline, step by step:
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // 1. Every type declaration carrying [Network] -> a value-only ParseResult (spec + diagnostics).
        IncrementalValuesProvider<ParseResult> declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttributeName,
                predicate: static (node, _) => node is TypeDeclarationSyntax,
                transform: static (context, cancellationToken) => NetworkParser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.NetworkDeclarations);

        // 2. Diagnostics of each declaration, reported on their own so a spec's cache is not tied to them.
        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = declarations
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.NetworkDiagnostics);
        context.RegisterSourceOutput(diagnostics, static (output, list) =>
        {
            foreach (DiagnosticInfo diagnostic in list) output.ReportDiagnostic(diagnostic.ToDiagnostic());
        });

        // 3. Valid specs only (nulls dropped) -> one source file per network, with the lane widths the options ask for.
        IncrementalValuesProvider<NetworkSpec> specs = declarations
            .Where(static result => result.Spec is not null)
            .Select(static (result, _) => result.Spec!)
            .WithTrackingName(TrackingNames.NetworkSpecs);
        IncrementalValueProvider<EmitOptions> emitOptions = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => EmitOptions.From(options.GlobalOptions))
            .WithTrackingName(TrackingNames.EmitOptions);
        context.RegisterSourceOutput(specs.Combine(emitOptions),
            static (output, network) => output.AddSource(network.Left.HintName, NetworkEmitter.Emit(network.Left, network.Right)));

        // 4. [Dense] on a type without [Network] -> HSG0004.
        IncrementalValuesProvider<DiagnosticInfo?> orphans = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.DenseAttributeName,
                predicate: static (node, _) => node is TypeDeclarationSyntax,
                transform: static (context, cancellationToken) => NetworkParser.CheckDenseWithoutNetwork(context, cancellationToken))
            .WithTrackingName(TrackingNames.OrphanDenseDiagnostics);
        context.RegisterSourceOutput(orphans, static (output, diagnostic) =>
        {
            if (diagnostic is not null) output.ReportDiagnostic(diagnostic.ToDiagnostic());
        });
    }
}
