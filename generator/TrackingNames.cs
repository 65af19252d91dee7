namespace HiddenSpace.Gen;

/// <summary>Names of the incremental pipeline's steps, for caching tests.</summary>
internal static class TrackingNames
{
    public const string NetworkDeclarations = nameof(NetworkDeclarations);
    public const string NetworkSpecs = nameof(NetworkSpecs);
    public const string NetworkDiagnostics = nameof(NetworkDiagnostics);
    public const string OrphanDenseDiagnostics = nameof(OrphanDenseDiagnostics);
    public const string BakeRequests = nameof(BakeRequests);
    public const string WeightsFiles = nameof(WeightsFiles);
    public const string BakedNetworks = nameof(BakedNetworks);
    public const string BakedSpecs = nameof(BakedSpecs);
    public const string BakeDiagnostics = nameof(BakeDiagnostics);
    public const string EmitOptions = nameof(EmitOptions);
}
