using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace HiddenSpace.Tests.Generator;

/// <summary>
/// The generator's diagnostics obey the consumer's own settings, as the compiler's do: #pragma warning disable around
/// the declaration, and dotnet_diagnostic.HSG00xx.severity in an .editorconfig section that covers the file. Both need
/// the diagnostic located in the compilation's syntax tree of that file. HSG0017 (a looped layer, info) is the one
/// diagnostic a valid declaration gets, so it stands for all of them.
/// </summary>
public class DiagnosticSeverityTests
{
    private const string Looped = "[Network(Inputs = 64, Loss = Loss.MeanSquaredError)][Dense(16, Activation.ReLU)][Dense(1)] public partial class Wide { }";

    [Fact]
    public void WithoutSettingsALoopedLayerGetsItsInfo()
    {
        Diagnostic info = Assert.Single(Run("using HiddenSpace;\n" + Looped));
        Assert.Equal("HSG0017", info.Id);
        Assert.Equal(DiagnosticSeverity.Info, info.Severity);
        Assert.False(info.IsSuppressed);
    }

    [Fact]
    public void PragmaWarningDisableSuppressesIt()
    {
        string source = "using HiddenSpace;\n#pragma warning disable HSG0017\n" + Looped + "\n#pragma warning restore HSG0017\n";
        Assert.Empty(Run(source).Where(d => !d.IsSuppressed));
    }

    [Fact]
    public void PragmaForAnotherIdLeavesIt()
    {
        string source = "using HiddenSpace;\n#pragma warning disable HSG0016\n" + Looped + "\n";
        Assert.Equal("HSG0017", Assert.Single(Run(source).Where(d => !d.IsSuppressed)).Id);
    }

    [Fact]
    public void EditorConfigRaisesItToAWarning()
    {
        string editorConfig = "root = true\n\n[*.cs]\ndotnet_diagnostic.HSG0017.severity = warning\n";
        Diagnostic warning = Assert.Single(Run("using HiddenSpace;\n" + Looped, editorConfig));
        Assert.Equal("HSG0017", warning.Id);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
    }

    [Fact]
    public void EditorConfigTurnsItOff()
    {
        string editorConfig = "root = true\n\n[*.cs]\ndotnet_diagnostic.HSG0017.severity = none\n";
        Assert.Empty(Run("using HiddenSpace;\n" + Looped, editorConfig).Where(d => !d.IsSuppressed));
    }

    [Fact]
    public void EditorConfigSectionForOtherFilesLeavesIt()
    {
        string editorConfig = "root = true\n\n[Other.cs]\ndotnet_diagnostic.HSG0017.severity = none\n";
        Assert.Equal(DiagnosticSeverity.Info, Assert.Single(Run("using HiddenSpace;\n" + Looped, editorConfig)).Severity);
    }

    /// <summary>The generator's diagnostics for one file at /src/Net.cs, with an .editorconfig at /src when given.</summary>
    private static ImmutableArray<Diagnostic> Run(string source, string? editorConfig = null)
    {
        SyntaxTree tree = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: "/src/Net.cs");
        CSharpCompilation compilation = GeneratorHarness.Compilation([tree]);
        if (editorConfig is not null)
        {
            AnalyzerConfigSet configs = AnalyzerConfigSet.Create(ImmutableArray.Create(AnalyzerConfig.Parse(editorConfig, "/src/.editorconfig")));
            compilation = compilation.WithOptions(compilation.Options.WithSyntaxTreeOptionsProvider(
                new EditorConfigOptions(configs.GetOptionsForSourcePath(tree.FilePath).TreeOptions)));
        }
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out _, out ImmutableArray<Diagnostic> diagnostics);
        return diagnostics;
    }

    /// <summary>The severities an .editorconfig section sets, as the compiler's build hands them to a compilation.</summary>
    private sealed class EditorConfigOptions(ImmutableDictionary<string, ReportDiagnostic> treeOptions) : SyntaxTreeOptionsProvider
    {
        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            treeOptions.TryGetValue(diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Default;
            return false;
        }
    }
}
