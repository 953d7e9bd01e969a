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

    /// <summary>
    /// Points to upsert (<see cref="ShardOperationKind.Upsert"/>), or the vectors to set on existing points
    /// (<see cref="ShardOperationKind.UpdateVectors"/>, payloads unused).
    /// </summary>
    public IReadOnlyList<PointRecord> Points { get; init; } = [];

    /// <summary>Target point ids (every kind except upsert and update vectors).</summary>
    public IReadOnlyList<PointId> Ids { get; init; } = [];

    /// <summary>Payload to set or overwrite.</summary>
    public JsonObject? Payload { get; init; }

    /// <summary>Payload keys to delete (<see cref="ShardOperationKind.DeletePayload"/>).</summary>
    public IReadOnlyList<string> Keys { get; init; } = [];

    /// <summary>For set payload: the nested key under which <see cref="Payload"/> is merged, or null for the root.</summary>
    public string? Key { get; init; }

    /// <summary>Vector names to remove (<see cref="ShardOperationKind.DeleteVectors"/>).</summary>
    public IReadOnlyList<string> VectorNames { get; init; } = [];

    /// <summary>True for the kinds that carry <see cref="Points"/> rather than <see cref="Ids"/>.</summary>
    public bool CarriesPoints => Kind is ShardOperationKind.Upsert or ShardOperationKind.UpdateVectors;

    /// <summary>Creates an upsert of <paramref name="points"/>.</summary>
    public static ShardOperation Upsert(IReadOnlyList<PointRecord> points) => new() { Kind = ShardOperationKind.Upsert, Points = points };

    /// <summary>Creates a deletion of <paramref name="ids"/>.</summary>
    public static ShardOperation Delete(IReadOnlyList<PointId> ids) => new() { Kind = ShardOperationKind.Delete, Ids = ids };

    /// <summary>Creates an update of some named vectors of existing points (<paramref name="points"/> carry no payload).</summary>
    public static ShardOperation UpdateVectors(IReadOnlyList<PointRecord> points) => new() { Kind = ShardOperationKind.UpdateVectors, Points = points };

    /// <summary>Copy of this operation restricted to <paramref name="ids"/> (routing a payload op to one shard).</summary>
    public ShardOperation WithIds(IReadOnlyList<PointId> ids) => new() { Kind = Kind, Ids = ids, Payload = Payload, Keys = Keys, Key = Key, VectorNames = VectorNames };

    /// <summary>Copy of this operation with other <paramref name="points"/> (routing a point-carrying op to one shard).</summary>
    public ShardOperation WithPoints(IReadOnlyList<PointRecord> points) => new() { Kind = Kind, Points = points };
}
