using System.Text.Json.Nodes;
using AspireVector.Node.Points;

namespace AspireVector.Node.Storage;

/// <summary>
/// One update to a local shard, as logged in its WAL. Filter-based requests are resolved to ids before the
/// operation is built (under the shard's update lock), so replaying the WAL is deterministic.
/// </summary>
public sealed class ShardOperation
{
    /// <summary>What the operation does.</summary>
    public required ShardOperationKind Kind { get; init; }

    /// <summary>Points to upsert (<see cref="ShardOperationKind.Upsert"/> only).</summary>
    public IReadOnlyList<PointRecord> Points { get; init; } = [];

    /// <summary>Target point ids (every kind except upsert).</summary>
    public IReadOnlyList<PointId> Ids { get; init; } = [];

    /// <summary>Payload to set or overwrite.</summary>
    public JsonObject? Payload { get; init; }

    /// <summary>Payload keys to delete (<see cref="ShardOperationKind.DeletePayload"/>).</summary>
    public IReadOnlyList<string> Keys { get; init; } = [];

    /// <summary>For set payload: the nested key under which <see cref="Payload"/> is merged, or null for the root.</summary>
    public string? Key { get; init; }

    /// <summary>Creates an upsert of <paramref name="points"/>.</summary>
    public static ShardOperation Upsert(IReadOnlyList<PointRecord> points) => new() { Kind = ShardOperationKind.Upsert, Points = points };

    /// <summary>Creates a deletion of <paramref name="ids"/>.</summary>
    public static ShardOperation Delete(IReadOnlyList<PointId> ids) => new() { Kind = ShardOperationKind.Delete, Ids = ids };

    /// <summary>Copy of this operation restricted to <paramref name="ids"/> (routing a payload op to one shard).</summary>
    public ShardOperation WithIds(IReadOnlyList<PointId> ids) => new() { Kind = Kind, Ids = ids, Payload = Payload, Keys = Keys, Key = Key };
}
