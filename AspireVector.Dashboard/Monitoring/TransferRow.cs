namespace AspireVector.Dashboard.Monitoring;

/// <summary>A shard transfer in flight.</summary>
/// <param name="ShardId">Shard being transferred.</param>
/// <param name="From">Source peer.</param>
/// <param name="To">Destination peer.</param>
/// <param name="Sync">True for replication, false for a move.</param>
/// <param name="Method">Transfer method, when reported.</param>
/// <param name="Comment">Progress report from the source peer, when it answered.</param>
public sealed record TransferRow(uint ShardId, ulong From, ulong To, bool Sync, string? Method, string? Comment);
