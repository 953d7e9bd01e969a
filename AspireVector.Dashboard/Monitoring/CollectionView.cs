namespace AspireVector.Dashboard.Monitoring;

/// <summary>One collection: health, placement grid (shards x peers) and transfers.</summary>
public sealed record CollectionView
{
    /// <summary>Collection name.</summary>
    public required string Name { get; init; }

    /// <summary>Collection status colour as the API reports it (green, yellow, grey, red), or null.</summary>
    public string? Status { get; init; }

    /// <summary>Approximate total points.</summary>
    public ulong? PointsCount { get; init; }

    /// <summary>Vectors already in the graph index (the rest are searched exactly until indexed), or null.</summary>
    public ulong? IndexedVectorsCount { get; init; }

    /// <summary>Vectors still waiting for the background indexer (0 when unknown).</summary>
    public ulong IndexingBacklog => PointsCount is { } points && IndexedVectorsCount is { } indexed && indexed < points ? points - indexed : 0;

    /// <summary>Number of shards.</summary>
    public uint ShardCount { get; init; }

    /// <summary>Configured replicas per shard.</summary>
    public uint? ReplicationFactor { get; init; }

    /// <summary>Peer columns of the grid, in display order.</summary>
    public IReadOnlyList<ulong> PeerColumns { get; init; } = [];

    /// <summary>Grid rows, by shard id.</summary>
    public IReadOnlyList<ShardRow> Shards { get; init; } = [];

    /// <summary>Transfers in flight.</summary>
    public IReadOnlyList<TransferRow> Transfers { get; init; } = [];

    /// <summary>Errors met while reading this collection (per node), if any.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];
}
