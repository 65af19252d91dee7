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

// The using directives repeat NetworkParser.cs's: both parts read symbols, syntax and the model alike.
/// <summary>The parser's checks of the declaring type: its kind, its containers, the loss against the output layer, member collisions.</summary>
internal static partial class NetworkParser
{
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
        if (ShapeRules.LossNeeds((int)loss, (int)output.Activation, output.Units) is { } needs)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LossOutputMismatch, location, loss.ToString(), typeName, needs,
                ShapeRules.DescribeOutput(output.Activation.ToString(), output.Units)));
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
}
