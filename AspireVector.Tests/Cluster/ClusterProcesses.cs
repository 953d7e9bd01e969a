namespace AspireVector.Tests.Cluster;

/// <summary>Multi-process cluster tests run one at a time: each starts several nodes on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterProcesses
{
    public const string Name = "cluster processes";
}
