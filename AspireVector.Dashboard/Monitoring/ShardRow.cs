namespace AspireVector.Dashboard.Monitoring;

/// <summary>One row of a placement grid: a shard and its replica on every peer column.</summary>
/// <param name="ShardId">Shard id.</param>
/// <param name="Cells">One cell per peer column, in column order.</param>
public sealed record ShardRow(uint ShardId, IReadOnlyList<ReplicaCell> Cells);
