namespace HiddenSpace.Gen;

/// <summary>Names of the incremental pipeline's steps, for caching tests.</summary>
internal static class TrackingNames
{
    public const string NetworkDeclarations = nameof(NetworkDeclarations);
    public const string NetworkSpecs = nameof(NetworkSpecs);
    public const string NetworkDiagnostics = nameof(NetworkDiagnostics);
    public const string OrphanDenseDiagnostics = nameof(OrphanDenseDiagnostics);
    public const string EmitOptions = nameof(EmitOptions);
}
