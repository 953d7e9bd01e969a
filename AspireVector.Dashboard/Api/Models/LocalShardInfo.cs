namespace AspireVector.Dashboard.Api.Models;

/// <summary>A replica held by the answering peer.</summary>
public sealed record LocalShardInfo
{
    /// <summary>Shard id.</summary>
    public uint ShardId { get; init; }

    /// <summary>Points stored in this replica.</summary>
    public ulong PointsCount { get; init; }

    /// <summary>Replica state (Active, Partial, Dead, Initializing, Listener, ...).</summary>
    public string State { get; init; } = "";
}
