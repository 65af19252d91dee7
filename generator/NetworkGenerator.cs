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

        // 2. Diagnostics of each declaration, reported on their own so a spec's cache is not tied to them (see Report).
        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = declarations
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.NetworkDiagnostics);
        Report(context, diagnostics);

        // 3. Valid specs of trainable networks (nulls and baked networks dropped) -> one source file per network,
        //    with the lane widths the options ask for.
        IncrementalValuesProvider<NetworkSpec> specs = declarations
            .Where(static result => result.Spec is not null && result.Spec.Weights is null)
            .Select(static (result, _) => result.Spec!)
            .WithTrackingName(TrackingNames.NetworkSpecs);
        IncrementalValueProvider<EmitOptions> emitOptions = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => EmitOptions.From(options.GlobalOptions))
            .WithTrackingName(TrackingNames.EmitOptions);
        context.RegisterSourceOutput(specs.Combine(emitOptions),
            static (output, network) => output.AddSource(network.Left.HintName, NetworkEmitter.Emit(network.Left, network.Right)));

        // 4. Valid specs that name a weights file -> a bake request (the spec, and where to report the file's problems).
        IncrementalValuesProvider<BakeRequest> bakeRequests = declarations
            .Where(static result => result.Spec?.Weights is not null)
            .Select(static (result, _) => new BakeRequest(result.Spec!, result.WeightsLocation))
            .WithTrackingName(TrackingNames.BakeRequests);

        // 5. The additional files some request names, each read and checked once (cached on the file's text).
        IncrementalValuesProvider<WeightsFileModel> weightsFiles = context.AdditionalTextsProvider
            .Combine(bakeRequests.Select(static (request, _) => request.Spec.Weights!).Collect())
            .Where(static pair => WeightsFileParser.IsNamedByAny(pair.Left.Path, pair.Right))
            .Select(static (pair, cancellationToken) => WeightsFileParser.Read(pair.Left, cancellationToken))
            .WithTrackingName(TrackingNames.WeightsFiles);

        // 6. Each request joined with the file it names -> a baked network, or the diagnostics that say why not.
        IncrementalValuesProvider<BakeResult> baked = bakeRequests
            .Combine(weightsFiles.Collect())
            .Select(static (pair, _) => WeightsFileParser.Bake(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.BakedNetworks);
        // (The same shape as step 2 on another result type: each step keeps its own tracking name for the caching tests.)
        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> bakeDiagnostics = baked
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.BakeDiagnostics);
        Report(context, bakeDiagnostics);

        // 7. Baked networks -> one inference-only source file each, the weights as constants.
        IncrementalValuesProvider<BakedNetworkSpec> bakedSpecs = baked
            .Where(static result => result.Spec is not null)
            .Select(static (result, _) => result.Spec!)
            .WithTrackingName(TrackingNames.BakedSpecs);
        context.RegisterSourceOutput(bakedSpecs, static (output, spec) => output.AddSource(spec.Network.HintName, NetworkEmitter.EmitBaked(spec)));

        // 8. [Dense] on a type without [Network] -> HSG0004.
        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> orphans = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.DenseAttributeName,
                predicate: static (node, _) => node is TypeDeclarationSyntax,
                transform: static (context, cancellationToken) => NetworkParser.CheckDenseWithoutNetwork(context, cancellationToken))
            .WithTrackingName(TrackingNames.OrphanDenseDiagnostics);
        Report(context, orphans);
    }

    /// <summary>
    /// Reports diagnostics held as values, each placed in the compilation's own syntax tree of its file, so that
    /// #pragma warning and .editorconfig severities apply to it (a location rebuilt from a file path alone is outside
    /// every tree, and the compiler applies neither). Only non-empty lists meet the compilation: an edit elsewhere
    /// re-runs nothing for a declaration without diagnostics.
    /// </summary>
    private static void Report(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics) =>
        context.RegisterSourceOutput(diagnostics.Where(static list => list.Count > 0).Combine(context.CompilationProvider), static (output, pair) =>
        {
            foreach (DiagnosticInfo diagnostic in pair.Left) output.ReportDiagnostic(diagnostic.ToDiagnostic(pair.Right));
        });
}
