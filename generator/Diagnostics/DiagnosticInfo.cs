using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using HiddenSpace.Gen.Model;

namespace HiddenSpace.Gen.Diagnostics;

/// <summary>
/// A source location as plain values (a <see cref="Location"/> would pin the syntax tree in the cache). When reported,
/// it is placed back into the compilation's own syntax tree of that file (<see cref="ToLocation"/>).
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
{
    /// <summary>
    /// The location in <paramref name="compilation"/>'s syntax tree of the file, so the compiler applies that tree's
    /// #pragma warning directives and .editorconfig severities to the diagnostic; a file outside the compilation (an
    /// additional file such as a weights file) gets a plain file location.
    /// </summary>
    public Location ToLocation(Compilation compilation)
    {
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
            if (tree.FilePath == FilePath && TextSpan.End <= tree.Length)
                return Location.Create(tree, TextSpan);
        return Location.Create(FilePath, TextSpan, LineSpan);
    }

    public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());

    public static LocationInfo? From(Location? location) =>
        location is null || location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}

/// <summary>A diagnostic to report, as plain values: descriptor id, location and message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> MessageArguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
        new(descriptor.Id, location, new EquatableArray<string>(arguments));

    /// <summary>The diagnostic, located in <paramref name="compilation"/>'s own syntax tree (see <see cref="LocationInfo.ToLocation"/>).</summary>
    public Diagnostic ToDiagnostic(Compilation compilation)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.ById(Id);
        object[] arguments = new object[MessageArguments.Count];
        for (int i = 0; i < arguments.Length; i++) arguments[i] = MessageArguments[i];
        return Diagnostic.Create(descriptor, Location?.ToLocation(compilation) ?? Microsoft.CodeAnalysis.Location.None, arguments);
    }
}
