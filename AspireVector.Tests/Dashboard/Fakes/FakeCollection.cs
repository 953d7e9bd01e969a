namespace AspireVector.Tests.Dashboard.Fakes;

/// <summary>A collection of the fake cluster.</summary>
public sealed class FakeCollection(string name, uint shardCount, uint replicationFactor)
{
    /// <summary>Name.</summary>
    public string Name { get; } = name;

    /// <summary>Shards.</summary>
    public uint ShardCount { get; } = shardCount;

    /// <summary>Replicas per shard at creation.</summary>
    public uint ReplicationFactor { get; } = replicationFactor;

    /// <summary>Replica placement.</summary>
    public List<FakeReplica> Replicas { get; } = [];

    /// <summary>Transfers in flight.</summary>
    public List<FakeTransfer> Transfers { get; } = [];
}
