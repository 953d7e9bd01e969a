namespace AspireVector.Dashboard.Api.Models;

/// <summary>A shard transfer in flight (Qdrant's <c>ShardTransferInfo</c>).</summary>
public sealed record ShardTransferInfo
{
    /// <summary>Shard being transferred.</summary>
    public uint ShardId { get; init; }

    /// <summary>Source peer.</summary>
    public ulong From { get; init; }

    /// <summary>Destination peer.</summary>
    public ulong To { get; init; }

    /// <summary>True for a replica synchronisation (replicate), false for a move.</summary>
    public bool Sync { get; init; }

    /// <summary>Transfer method (stream_records, snapshot, wal_delta, ...).</summary>
    public string? Method { get; init; }

    /// <summary>Human-readable progress report; only the source peer fills it.</summary>
    public string? Comment { get; init; }
}
