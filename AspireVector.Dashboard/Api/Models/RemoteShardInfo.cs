namespace AspireVector.Dashboard.Api.Models;

/// <summary>A replica held by another peer, as the answering peer knows it.</summary>
public sealed record RemoteShardInfo
{
    /// <summary>Shard id.</summary>
    public uint ShardId { get; init; }

    /// <summary>Peer holding the replica.</summary>
    public ulong PeerId { get; init; }

    /// <summary>Replica state (Active, Partial, Dead, Initializing, Listener, ...).</summary>
    public string State { get; init; } = "";
}
