using System;
using System.Collections.Generic;
using System.Linq;

namespace HiddenSpace.Cli;

/// <summary>Work to do with a network, whatever its concrete type (so generated networks stay statically typed).</summary>
internal interface INetworkJob<out TResult>
{
    TResult Run<TNetwork>(TNetwork network) where TNetwork : INetwork;
}

/// <summary>Picks the network for an architecture: a generated one compiled into the tool when one matches, else the reference network.</summary>
internal static class NetworkCatalog
{
    /// <summary>Architectures of the generated networks in this tool.</summary>
    public static IReadOnlyList<NetworkShape> Generated { get; } =
        [BinaryNet.Architecture, Blobs3Net.Architecture, Blobs4Net.Architecture, Blobs5Net.Architecture, RegressionNet.Architecture];

    /// <summary>Whether <paramref name="shape"/> equals the architecture of a generated network.</summary>
    public static bool HasGenerated(NetworkShape shape) => Generated.Contains(shape);

    /// <summary>Runs <paramref name="job"/> on a new network of <paramref name="shape"/> initialised from <paramref name="seed"/>.</summary>
    public static TResult Run<TResult>(NetworkShape shape, int seed, INetworkJob<TResult> job)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(job);
        if (shape.Equals(BinaryNet.Architecture)) return job.Run(new BinaryNet(seed));
        if (shape.Equals(Blobs3Net.Architecture)) return job.Run(new Blobs3Net(seed));
        if (shape.Equals(Blobs4Net.Architecture)) return job.Run(new Blobs4Net(seed));
        if (shape.Equals(Blobs5Net.Architecture)) return job.Run(new Blobs5Net(seed));
        if (shape.Equals(RegressionNet.Architecture)) return job.Run(new RegressionNet(seed));
        return job.Run(new ReferenceNetwork(shape, seed));
    }
}
