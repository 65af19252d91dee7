using System.Collections.Generic;
using System.Linq;
using HiddenSpace.Gen.Diagnostics;
using HiddenSpace.Gen.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HiddenSpace.Gen.Parsing;

/// <summary>Names and places the parser derives: namespace and containers as written, the hint name, argument locations.</summary>
internal static partial class NetworkParser
{
    /// <summary>Namespace names as written in code: keywords keep their '@' (namespace @class).</summary>
    private static readonly SymbolDisplayFormat EscapedNamespaceFormat =
        SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

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
}
