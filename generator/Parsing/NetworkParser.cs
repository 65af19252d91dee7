using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using HiddenSpace.Gen.Diagnostics;
using HiddenSpace.Gen.Model;
using HiddenSpace.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HiddenSpace.Gen.Parsing;

/// <summary>
/// Turns a [Network]-annotated type into a <see cref="NetworkSpec"/> plus diagnostics. Never throws for
/// a bad declaration: every problem becomes a located HSG diagnostic.
/// </summary>
internal static partial class NetworkParser
{
    public const string NetworkAttributeName = "HiddenSpace.NetworkAttribute";
    public const string DenseAttributeName = "HiddenSpace.DenseAttribute";
    public const int DefaultUnrollLimit = 512; // HiddenSpace.NetworkAttribute.DefaultUnrollLimit
    private const int AlwaysUnrollLimit = 16384; // the most weights Unrolling.Always writes out for one layer

    /// <summary>
    /// The most weights one layer of a baked network may have: the generated file carries them as text (about
    /// <see cref="BakedCharactersPerWeight"/> characters each). Measured for 784-128-64-10 (benchmarks/RESULTS.md): see
    /// README, "Baking and exporting".
    /// </summary>
    public const int BakeLimit = 262144;

    /// <summary>Characters of generated C# a baked weight costs: 1,560,332 for 784-128-64-10's 109,386 parameters (RESULTS.md, "Issue 14").</summary>
    private const double BakedCharactersPerWeight = 14.3;

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        if (!IsFirstNetworkDeclaration(type, declaration, cancellationToken))
            return Empty; // [Network] repeated on another partial declaration: the compiler reports CS0579; emit once
        try
        {
            return ParseNetwork(type, declaration, context.Attributes[0], cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var failure = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, LocationInfo.From(declaration.Identifier.GetLocation()),
                type.Name, exception.GetType().Name + ": " + exception.Message);
            return new ParseResult(null, new EquatableArray<DiagnosticInfo>(new[] { failure }));
        }
    }

    /// <summary>For a type with [Dense] but no [Network]: the HSG0004 diagnostic, else none.</summary>
    public static EquatableArray<DiagnosticInfo> CheckDenseWithoutNetwork(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        if (type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NetworkAttributeName))
            return EquatableArray<DiagnosticInfo>.Empty;
        SyntaxNode? first = context.Attributes[0].ApplicationSyntaxReference?.GetSyntax(cancellationToken);
        return new EquatableArray<DiagnosticInfo>([DiagnosticInfo.Create(DiagnosticDescriptors.DenseWithoutNetwork, LocationInfo.From(first), type.Name)]);
    }

    /// <summary>
    /// The parse, step by step: the type's kind, the [Network] arguments, the [Dense] attributes in source order, each
    /// layer (with its tap and size checks), the network's size, the loss against the output layer, the members the
    /// generated code would collide with; then the spec, unless an error was reported.
    /// </summary>
    private static ParseResult ParseNetwork(INamedTypeSymbol type, TypeDeclarationSyntax declaration, AttributeData network, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        LocationInfo? nameLocation = LocationInfo.From(declaration.Identifier.GetLocation());

        CheckTypeKind(type, declaration, nameLocation, diagnostics);
        var networkSyntax = network.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        NetworkArguments arguments = ReadNetworkArguments(network, networkSyntax, type.Name, diagnostics);
        List<(AttributeData Data, AttributeSyntax? Syntax)>? dense = ReadDenseAttributes(type, networkSyntax, nameLocation, diagnostics, cancellationToken);
        if (dense is null)
            return Result(null, diagnostics);
        LayerList? layers = ParseLayers(type, dense, arguments, diagnostics);
        if (layers is null)
            return Result(null, diagnostics); // the compiler already reports the malformed attribute
        CheckSize(arguments, layers.Specs, type.Name, LocationInfo.From(networkSyntax) ?? nameLocation, diagnostics);
        if (Enum.IsDefined(typeof(LossKind), arguments.Loss))
            CheckLossFitsOutput((LossKind)arguments.Loss, layers.Specs[layers.Specs.Count - 1], type.Name,
                NamedArgumentLocation(networkSyntax, "Loss") ?? LocationInfo.From(networkSyntax), diagnostics);
        CheckMemberCollisions(type, layers.Taps, arguments.IsBaked, nameLocation, diagnostics);

        if (diagnostics.Any(d => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error))
            return Result(null, diagnostics);
        return new ParseResult(BuildSpec(type, arguments, layers.Specs), new EquatableArray<DiagnosticInfo>(diagnostics),
            arguments.IsBaked ? NamedArgumentLocation(networkSyntax, "Weights") : null);
    }

    /// <summary>The [Network] attribute's arguments as written (0 for one left out); a weights file makes the network baked.</summary>
    private sealed record NetworkArguments(int Inputs, int Loss, int Unrolling, string? Weights)
    {
        public bool IsBaked => Weights is not null;
    }

    /// <summary>The layers parsed so far: their specs and their tap names (with the layer each is on).</summary>
    private sealed record LayerList(List<LayerSpec> Specs, Dictionary<string, int> TapLayers)
    {
        public IEnumerable<string> Taps => TapLayers.Keys;
    }

    /// <summary>Step 1: Inputs, Loss, Unrolling and Weights of [Network], each checked on its own.</summary>
    private static NetworkArguments ReadNetworkArguments(AttributeData network, AttributeSyntax? syntax, string typeName, List<DiagnosticInfo> diagnostics)
    {
        int inputs = 0, loss = 0, unrolling = 0;
        string? weightsFile = null;
        foreach (KeyValuePair<string, TypedConstant> argument in network.NamedArguments)
        {
            if (argument.Key == "Weights" && argument.Value.Kind != TypedConstantKind.Error)
                weightsFile = argument.Value.Value as string;
            if (argument.Value.Kind == TypedConstantKind.Error || argument.Value.Value is not int value) continue;
            switch (argument.Key)
            {
                case "Inputs": inputs = value; break;
                case "Loss": loss = value; break;
                case "Unrolling": unrolling = value; break;
            }
        }
        if (!ShapeRules.IsValidCount(inputs))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputs, NamedArgumentLocation(syntax, "Inputs"), typeName, Format(inputs)));
        if (!Enum.IsDefined(typeof(LossKind), loss))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UndefinedLoss, NamedArgumentLocation(syntax, "Loss"), typeName, Format(loss)));
        if (!Enum.IsDefined(typeof(UnrollingKind), unrolling))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UndefinedUnrolling, NamedArgumentLocation(syntax, "Unrolling"), typeName, Format(unrolling)));
        return new NetworkArguments(inputs, loss, unrolling, weightsFile);
    }

    /// <summary>
    /// Step 2: the [Dense] attributes in source order, or null (with a diagnostic) when there are none or they sit on
    /// several partial declarations, where their order is not defined.
    /// </summary>
    private static List<(AttributeData Data, AttributeSyntax? Syntax)>? ReadDenseAttributes(INamedTypeSymbol type, AttributeSyntax? networkSyntax,
        LocationInfo? nameLocation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        List<(AttributeData Data, AttributeSyntax? Syntax)> dense = type.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == DenseAttributeName)
            .Select(a => (Data: a, Syntax: a.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax))
            .ToList();
        if (dense.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, LocationInfo.From(networkSyntax) ?? nameLocation, type.Name));
            return null;
        }
        var declarations = dense.Select(d => d.Syntax?.Parent?.Parent).Distinct().ToList();
        if (declarations.Count > 1)
        {
            AttributeSyntax? offending = dense.First(d => d.Syntax?.Parent?.Parent == declarations[1]).Syntax;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersSplitAcrossDeclarations, LocationInfo.From(offending) ?? nameLocation, type.Name));
            return null;
        }
        dense.Sort((left, right) => (left.Syntax?.SpanStart ?? 0).CompareTo(right.Syntax?.SpanStart ?? 0));
        return dense;
    }

    /// <summary>Step 3: every layer with its checks, or null when an attribute is malformed (the compiler reports it).</summary>
    private static LayerList? ParseLayers(INamedTypeSymbol type, List<(AttributeData Data, AttributeSyntax? Syntax)> dense, NetworkArguments network,
        List<DiagnosticInfo> diagnostics)
    {
        var layers = new LayerList([], new Dictionary<string, int>(StringComparer.Ordinal));
        int fanIn = network.Inputs;
        for (int i = 0; i < dense.Count; i++)
        {
            (AttributeData data, AttributeSyntax? syntax) = dense[i];
            if (data.ConstructorArguments.Length == 0 || data.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error))
                return null;
            LayerSpec layer = ParseLayer(type, data, syntax, i, dense.Count, fanIn, network, layers.TapLayers, diagnostics);
            layers.Specs.Add(layer);
            fanIn = layer.Units;
        }
        return layers;
    }

    /// <summary>One [Dense] layer: its units, activation and tap checked, and whether it is unrolled (with the size diagnostics that go with it).</summary>
    private static LayerSpec ParseLayer(INamedTypeSymbol type, AttributeData data, AttributeSyntax? syntax, int index, int count, int fanIn,
        NetworkArguments network, Dictionary<string, int> tapLayers, List<DiagnosticInfo> diagnostics)
    {
        string typeName = type.Name, layerLabel = Format(index + 1);
        int units = data.ConstructorArguments[0].Value is int u ? u : 0;
        int activation = data.ConstructorArguments.Length > 1 && data.ConstructorArguments[1].Value is int act ? act : 0;
        string? tap = null;
        foreach (KeyValuePair<string, TypedConstant> argument in data.NamedArguments)
            if (argument.Key == "Tap" && argument.Value.Kind != TypedConstantKind.Error)
                tap = argument.Value.Value as string;

        if (!ShapeRules.IsValidCount(units))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidUnits, PositionalArgumentLocation(syntax, 0), layerLabel, typeName, Format(units)));
        if (!Enum.IsDefined(typeof(ActivationKind), activation))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UndefinedActivation, PositionalArgumentLocation(syntax, 1), layerLabel, typeName, Format(activation)));
        else if (ShapeRules.IsMisplacedSoftmax(activation, index, count))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxNotLast, PositionalArgumentLocation(syntax, 1), layerLabel, typeName));
        if (tap is not null)
            CheckTap(type, tap, index + 1, NamedArgumentLocation(syntax, "Tap"), network.IsBaked, tapLayers, diagnostics);

        long weights = (long)Math.Max(units, 0) * Math.Max(fanIn, 0);
        string weightCount = weights.ToString(System.Globalization.CultureInfo.InvariantCulture);
        bool unrollAll = network.Unrolling == (int)UnrollingKind.Always, unrollNone = network.Unrolling == (int)UnrollingKind.Never;
        if (network.IsBaked && weights > BakeLimit)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerTooLargeToBake, LocationInfo.From(syntax), layerLabel, typeName,
                weightCount, Format(BakeLimit), (weights * BakedCharactersPerWeight / 1000000.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)));
        if (unrollAll && weights > AlwaysUnrollLimit)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TooLargeToUnroll, LocationInfo.From(syntax), layerLabel, typeName,
                weightCount, Format(AlwaysUnrollLimit)));
        bool unrolled = unrollAll || (!unrollNone && weights <= DefaultUnrollLimit);
        if (!unrolled && !unrollNone && units > 0 && fanIn > 0)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerLooped, LocationInfo.From(syntax), layerLabel, typeName,
                weightCount, Format(DefaultUnrollLimit)));
        return new LayerSpec(units, (ActivationKind)activation, tap, unrolled);
    }

    /// <summary>A tap name is an identifier, used once, and no name of a member the class has or the generator writes.</summary>
    private static void CheckTap(INamedTypeSymbol type, string tap, int layerNumber, LocationInfo? location, bool baked,
        Dictionary<string, int> tapLayers, List<DiagnosticInfo> diagnostics)
    {
        if (!ShapeRules.IsIdentifier(tap))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidTapName, location, tap, Format(layerNumber), type.Name));
        else if (tapLayers.TryGetValue(tap, out int firstLayer))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateTapName, location, tap, Format(firstLayer), Format(layerNumber), type.Name));
        else if (GeneratedMembers.IsReserved(tap, baked) || tap == type.Name || InheritedMembers(type).Any(m => m.Name == tap))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TapNameCollision, location, tap, type.Name));
        else
            tapLayers.Add(tap, layerNumber);
    }

    /// <summary>Step 4: parameters and scratch are single float arrays indexed with int offsets.</summary>
    private static void CheckSize(NetworkArguments network, List<LayerSpec> layers, string typeName, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        long parameterCount = 0, scratchLength = Math.Max(network.Inputs, 0);
        int fanIn = network.Inputs;
        foreach (LayerSpec layer in layers)
        {
            parameterCount += ShapeRules.LayerParameters(Math.Max(layer.Units, 0), Math.Max(fanIn, 0));
            scratchLength += 3L * Math.Max(layer.Units, 0);
            fanIn = layer.Units;
        }
        if (parameterCount > ShapeRules.MaxArrayLength || scratchLength > ShapeRules.MaxArrayLength)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, location, typeName,
                parameterCount.ToString(System.Globalization.CultureInfo.InvariantCulture), scratchLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Format(ShapeRules.MaxArrayLength)));
    }

    /// <summary>Step 5: the value model the emitter writes from.</summary>
    private static NetworkSpec BuildSpec(INamedTypeSymbol type, NetworkArguments network, List<LayerSpec> layers) => new(
        type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(EscapedNamespaceFormat),
        new EquatableArray<ContainingTypeSpec>(ContainingTypes(type)),
        SyntaxFacts.GetKeywordKind(type.Name) == SyntaxKind.None ? type.Name : "@" + type.Name, // class @event
        type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
        HintName(type),
        network.Inputs,
        (LossKind)network.Loss,
        new EquatableArray<LayerSpec>(layers),
        network.Weights);

    private static readonly ParseResult Empty = new(null, EquatableArray<DiagnosticInfo>.Empty);

    private static ParseResult Result(NetworkSpec? spec, List<DiagnosticInfo> diagnostics) =>
        new(spec, new EquatableArray<DiagnosticInfo>(diagnostics));
}
