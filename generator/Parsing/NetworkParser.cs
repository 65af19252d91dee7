using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using HiddenSpace.Gen.Diagnostics;
using HiddenSpace.Gen.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HiddenSpace.Gen.Parsing;

/// <summary>
/// Turns a [Network]-annotated type into a <see cref="NetworkSpec"/> plus diagnostics. Never throws for
/// a bad declaration: every problem becomes a located HSG diagnostic.
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttributeName = "HiddenSpace.NetworkAttribute";
    public const string DenseAttributeName = "HiddenSpace.DenseAttribute";
    public const int DefaultUnrollLimit = 512; // HiddenSpace.NetworkAttribute.DefaultUnrollLimit
    private const int AlwaysUnrollLimit = 16384; // the most weights Unrolling.Always writes out for one layer
    private const int MaxArrayLength = 0x7FFFFFC7; // System.Array.MaxLength (not in netstandard2.0)

    /// <summary>
    /// The most weights one layer of a baked network may have: the generated file carries them as text (about 13
    /// characters each). Measured for 784-128-64-10 (benchmarks/RESULTS.md): see README, "Baking and exporting".
    /// </summary>
    public const int BakeLimit = 262144;

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

    /// <summary>For a type with [Dense] but no [Network]: the HSG0004 diagnostic, else nothing.</summary>
    public static DiagnosticInfo? CheckDenseWithoutNetwork(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        if (type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NetworkAttributeName))
            return null;
        SyntaxNode? first = context.Attributes[0].ApplicationSyntaxReference?.GetSyntax(cancellationToken);
        return DiagnosticInfo.Create(DiagnosticDescriptors.DenseWithoutNetwork, LocationInfo.From(first), type.Name);
    }

    private static ParseResult ParseNetwork(INamedTypeSymbol type, TypeDeclarationSyntax declaration, AttributeData network, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        LocationInfo? nameLocation = LocationInfo.From(declaration.Identifier.GetLocation());
        string typeName = type.Name;

        CheckTypeKind(type, declaration, nameLocation, diagnostics);

        var networkSyntax = network.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        int inputs = 0;
        int loss = 0;
        int unrolling = 0;
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
        bool baked = weightsFile is not null;
        if (inputs <= 0)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputs, NamedArgumentLocation(networkSyntax, "Inputs"), typeName, Format(inputs)));
        bool lossDefined = Enum.IsDefined(typeof(LossKind), loss);
        if (!lossDefined)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UndefinedLoss, NamedArgumentLocation(networkSyntax, "Loss"), typeName, Format(loss)));
        if (!Enum.IsDefined(typeof(UnrollingKind), unrolling))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UndefinedUnrolling, NamedArgumentLocation(networkSyntax, "Unrolling"), typeName, Format(unrolling)));

        List<(AttributeData Data, AttributeSyntax? Syntax)> dense = type.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == DenseAttributeName)
            .Select(a => (Data: a, Syntax: a.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax))
            .ToList();
        if (dense.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, LocationInfo.From(networkSyntax) ?? nameLocation, typeName));
            return Result(null, diagnostics);
        }

        // Layers are taken in source order, which is only defined within one declaration.
        var declarations = dense.Select(d => d.Syntax?.Parent?.Parent).Distinct().ToList();
        if (declarations.Count > 1)
        {
            AttributeSyntax? offending = dense.First(d => d.Syntax?.Parent?.Parent == declarations[1]).Syntax;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersSplitAcrossDeclarations, LocationInfo.From(offending) ?? nameLocation, typeName));
            return Result(null, diagnostics);
        }
        dense.Sort((left, right) => (left.Syntax?.SpanStart ?? 0).CompareTo(right.Syntax?.SpanStart ?? 0));

        var layers = new List<LayerSpec>();
        var tapLayers = new Dictionary<string, int>(StringComparer.Ordinal);
        bool unrollAll = unrolling == (int)UnrollingKind.Always, unrollNone = unrolling == (int)UnrollingKind.Never;
        int fanIn = inputs;
        long parameterCount = 0, scratchLength = Math.Max(inputs, 0);
        for (int i = 0; i < dense.Count; i++)
        {
            (AttributeData data, AttributeSyntax? syntax) = dense[i];
            int layerNumber = i + 1;
            string layerLabel = layerNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (data.ConstructorArguments.Length == 0 || data.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error))
                return Result(null, diagnostics); // the compiler already reports the malformed attribute
            int units = data.ConstructorArguments[0].Value is int u ? u : 0;
            int activation = data.ConstructorArguments.Length > 1 && data.ConstructorArguments[1].Value is int act ? act : 0;
            string? tap = null;
            foreach (KeyValuePair<string, TypedConstant> argument in data.NamedArguments)
                if (argument.Key == "Tap" && argument.Value.Kind != TypedConstantKind.Error)
                    tap = argument.Value.Value as string;

            if (units <= 0)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidUnits, PositionalArgumentLocation(syntax, 0), layerLabel, typeName, Format(units)));
            if (!Enum.IsDefined(typeof(ActivationKind), activation))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UndefinedActivation, PositionalArgumentLocation(syntax, 1), layerLabel, typeName, Format(activation)));
            else if (activation == (int)ActivationKind.Softmax && i != dense.Count - 1)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxNotLast, PositionalArgumentLocation(syntax, 1), layerLabel, typeName));

            if (tap is not null)
            {
                LocationInfo? tapLocation = NamedArgumentLocation(syntax, "Tap");
                if (!SyntaxFacts.IsValidIdentifier(tap) || SyntaxFacts.GetKeywordKind(tap) != SyntaxKind.None)
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidTapName, tapLocation, tap, layerLabel, typeName));
                else if (tapLayers.TryGetValue(tap, out int firstLayer))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateTapName, tapLocation, tap,
                        firstLayer.ToString(System.Globalization.CultureInfo.InvariantCulture), layerLabel, typeName));
                else if (GeneratedMembers.IsReserved(tap, baked) || tap == typeName || InheritedMembers(type).Any(m => m.Name == tap))
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TapNameCollision, tapLocation, tap, typeName));
                else
                    tapLayers.Add(tap, layerNumber);
            }

            long weights = (long)Math.Max(units, 0) * Math.Max(fanIn, 0);
            parameterCount += weights + Math.Max(units, 0);
            scratchLength += 3L * Math.Max(units, 0);
            if (baked && weights > BakeLimit)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerTooLargeToBake, LocationInfo.From(syntax), layerLabel, typeName,
                    weights.ToString(System.Globalization.CultureInfo.InvariantCulture), Format(BakeLimit),
                    (weights * 13 / 1000000.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)));
            if (unrollAll && weights > AlwaysUnrollLimit)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TooLargeToUnroll, LocationInfo.From(syntax), layerLabel, typeName,
                    weights.ToString(System.Globalization.CultureInfo.InvariantCulture), Format(AlwaysUnrollLimit)));
            bool unrolled = unrollAll || (!unrollNone && weights <= DefaultUnrollLimit);
            if (!unrolled && !unrollNone && units > 0 && fanIn > 0)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerLooped, LocationInfo.From(syntax), layerLabel, typeName,
                    weights.ToString(System.Globalization.CultureInfo.InvariantCulture), Format(DefaultUnrollLimit)));
            layers.Add(new LayerSpec(units, (ActivationKind)activation, tap, unrolled));
            fanIn = units;
        }

        // Parameters and scratch are single float arrays indexed with int offsets.
        if (parameterCount > MaxArrayLength || scratchLength > MaxArrayLength)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, LocationInfo.From(networkSyntax) ?? nameLocation, typeName,
                parameterCount.ToString(System.Globalization.CultureInfo.InvariantCulture), scratchLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Format(MaxArrayLength)));
        if (lossDefined)
            CheckLossFitsOutput((LossKind)loss, layers[layers.Count - 1], typeName, NamedArgumentLocation(networkSyntax, "Loss") ?? LocationInfo.From(networkSyntax), diagnostics);
        CheckMemberCollisions(type, tapLayers.Keys, baked, nameLocation, diagnostics);

        if (diagnostics.Any(d => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error))
            return Result(null, diagnostics);

        var spec = new NetworkSpec(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(EscapedNamespaceFormat),
            new EquatableArray<ContainingTypeSpec>(ContainingTypes(type)),
            SyntaxFacts.GetKeywordKind(type.Name) == SyntaxKind.None ? type.Name : "@" + type.Name, // class @event

            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            HintName(type),
            inputs,
            (LossKind)loss,
            new EquatableArray<LayerSpec>(layers),
            weightsFile);
        return new ParseResult(spec, new EquatableArray<DiagnosticInfo>(diagnostics), baked ? NamedArgumentLocation(networkSyntax, "Weights") : null);
    }

    private static readonly ParseResult Empty = new(null, EquatableArray<DiagnosticInfo>.Empty);

    /// <summary>Namespace names as written in code: keywords keep their '@' (namespace @class).</summary>
    private static readonly SymbolDisplayFormat EscapedNamespaceFormat =
        SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

    /// <summary>Members of the base types a generated member of the same name would hide (warning CS0108 in the generated file).</summary>
    private static IEnumerable<ISymbol> InheritedMembers(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
            foreach (ISymbol member in baseType.GetMembers())
                if (!member.IsImplicitlyDeclared && member.DeclaredAccessibility != Accessibility.Private
                    && member is not IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor })
                    yield return member;
    }

    /// <summary>True for the declaration holding the type's first [Network] (the transform runs once per declaration carrying one).</summary>
    private static bool IsFirstNetworkDeclaration(INamedTypeSymbol type, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        AttributeData? first = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == NetworkAttributeName);
        SyntaxNode? firstDeclaration = first?.ApplicationSyntaxReference?.GetSyntax(cancellationToken).Parent?.Parent;
        return firstDeclaration is null || firstDeclaration == declaration;
    }

    /// <summary>The nearest containing type with type parameters (Roslyn's IsGenericType is true for types nested in one).</summary>
    private static INamedTypeSymbol? GenericContainer(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
            if (container.TypeParameters.Length > 0) return container;
        return null;
    }

    private static void CheckTypeKind(INamedTypeSymbol type, TypeDeclarationSyntax declaration, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        string? problem =
            declaration is StructDeclarationSyntax || (declaration is RecordDeclarationSyntax record && record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword)) ? "a struct"
            : declaration is RecordDeclarationSyntax ? "a record"
            : declaration is InterfaceDeclarationSyntax ? "an interface"
            : type.IsStatic ? "static"
            : type.IsAbstract ? "abstract"
            : type.TypeParameters.Length > 0 ? "generic"
            : GenericContainer(type) is { } generic ? $"nested in the generic type '{generic.Name}'"
            : null;
        if (problem is not null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedTypeKind, location, type.Name, problem));
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, location, type.Name));
        for (SyntaxNode? parent = declaration.Parent; parent is TypeDeclarationSyntax container; parent = parent.Parent)
            if (!container.Modifiers.Any(SyntaxKind.PartialKeyword))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, LocationInfo.From(container.Identifier.GetLocation()),
                    container.Identifier.ValueText, type.Name));
    }

    private static void CheckLossFitsOutput(LossKind loss, LayerSpec output, string typeName, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        string? needs = loss switch
        {
            LossKind.BinaryCrossEntropy when output.Activation != ActivationKind.Sigmoid => "a Sigmoid output layer",
            LossKind.SoftmaxCrossEntropy when output.Activation != ActivationKind.Softmax || output.Units < 2 => "a Softmax output layer of at least 2 units",
            LossKind.MeanSquaredError when output.Activation == ActivationKind.Softmax => "an output layer that is not Softmax (Softmax goes with SoftmaxCrossEntropy)",
            _ => null,
        };
        if (needs is not null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LossOutputMismatch, location, loss.ToString(), typeName, needs,
                $"{output.Activation} with {Format(output.Units)} unit{(output.Units == 1 ? "" : "s")}"));
    }

    private static void CheckMemberCollisions(INamedTypeSymbol type, IEnumerable<string> tapNames, bool baked, LocationInfo? typeLocation, List<DiagnosticInfo> diagnostics)
    {
        var taps = new HashSet<string>(tapNames, StringComparer.Ordinal);
        foreach (ISymbol member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared) continue;
            bool collides = member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
                ? !baked && !constructor.IsStatic && constructor.Parameters.Length == 1 && IsGeneratedConstructorParameter(constructor.Parameters[0].Type)
                : GeneratedMembers.IsReserved(member.Name, baked) || taps.Contains(member.Name);
            if (!collides) continue;
            string shown = member is IMethodSymbol { MethodKind: MethodKind.Constructor } ctor
                ? $"{type.Name}({ctor.Parameters[0].Type.ToDisplayString()})"
                : member.Name;
            LocationInfo? location = LocationInfo.From(member.Locations.FirstOrDefault(l => l.IsInSource)) ?? typeLocation;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberCollision, location, type.Name, shown));
        }
        foreach (ISymbol inherited in InheritedMembers(type))
            if (GeneratedMembers.IsReserved(inherited.Name, baked))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberCollision, typeLocation, type.Name,
                    $"{inherited.Name} (inherited from {inherited.ContainingType.ToDisplayString()})"));
    }

    /// <summary>The generator writes a public (int seed) and a private (float[] sharedParameters) constructor into a trainable network.</summary>
    private static bool IsGeneratedConstructorParameter(ITypeSymbol type) =>
        type.SpecialType == SpecialType.System_Int32
        || type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Single };

    private static List<ContainingTypeSpec> ContainingTypes(INamedTypeSymbol type)
    {
        var containers = new List<ContainingTypeSpec>();
        for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            string keyword = container.IsRecord
                ? (container.IsValueType ? "record struct" : "record")
                : container.TypeKind switch { TypeKind.Struct => "struct", TypeKind.Interface => "interface", _ => "class" };
            containers.Insert(0, new ContainingTypeSpec(keyword, container.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
        }
        return containers;
    }

    /// <summary>
    /// The fully qualified name with every character a file name should not hold replaced by '_'. When anything
    /// was replaced, a hash of the exact name is appended as a segment starting with a digit (which no
    /// identifier does): '@class.Net' and '_class.Net' would otherwise share a hint name, and a duplicate hint
    /// name makes Roslyn drop the generator's whole output (CS8785).
    /// </summary>
    private static string HintName(INamedTypeSymbol type)
    {
        string fullName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "");
        var name = new System.Text.StringBuilder();
        foreach (char c in fullName)
            name.Append(char.IsLetterOrDigit(c) || c == '.' || c == '_' ? c : '_');
        if (name.ToString() != fullName)
            name.Append('.').Append(StableHash(fullName).ToString("x16", System.Globalization.CultureInfo.InvariantCulture).Insert(0, "0"));
        return name.Append(".g.cs").ToString();
    }

    /// <summary>64-bit FNV-1a over the UTF-16 code units: the same on every run and platform (string.GetHashCode is randomised).</summary>
    private static ulong StableHash(string text)
    {
        ulong hash = 14695981039346656037;
        foreach (char c in text)
            hash = (hash ^ c) * 1099511628211;
        return hash;
    }

    private static LocationInfo? NamedArgumentLocation(AttributeSyntax? attribute, string name)
    {
        AttributeArgumentSyntax? argument = attribute?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
        return LocationInfo.From((SyntaxNode?)argument ?? attribute);
    }

    private static LocationInfo? PositionalArgumentLocation(AttributeSyntax? attribute, int position)
    {
        var positional = attribute?.ArgumentList?.Arguments.Where(a => a.NameEquals is null).ToList();
        return LocationInfo.From(positional is not null && position < positional.Count ? positional[position] : attribute);
    }

    private static string Format(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static ParseResult Result(NetworkSpec? spec, List<DiagnosticInfo> diagnostics) =>
        new(spec, new EquatableArray<DiagnosticInfo>(diagnostics));
}
