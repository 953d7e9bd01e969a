namespace AspireVector.Dashboard.Api.Models;

/// <summary>The <c>config.params</c> object of a collection, reduced to sharding and replication.</summary>
public sealed record CollectionParamsSummary
{
    /// <summary>Number of shards.</summary>
    public uint? ShardNumber { get; init; }

    /// <summary>Replicas per shard.</summary>
    public uint? ReplicationFactor { get; init; }
}
