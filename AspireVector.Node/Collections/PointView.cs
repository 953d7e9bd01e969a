using System.Text.Json.Nodes;
using AspireVector.Node.Index.Sparse;
using AspireVector.Node.Points;

namespace AspireVector.Node.Collections;

/// <summary>A point as read back: Qdrant's <c>Record</c> (no score) or <c>ScoredPoint</c>.</summary>
/// <param name="Id">Point id.</param>
/// <param name="Version">Operation number that last changed the point.</param>
/// <param name="Score">Search score, null for plain retrieval.</param>
/// <param name="Payload">Full payload (selection happens at the API edge).</param>
/// <param name="Vectors">The stored vectors asked for, by name (<c>""</c> for the unnamed one), or null when none were asked for.</param>
public sealed record PointView(PointId Id, ulong Version, float? Score, JsonObject? Payload, IReadOnlyDictionary<string, float[]>? Vectors)
{
    /// <summary>The unnamed vector when it was asked for and the point holds it.</summary>
    public float[]? Vector => Vectors?.GetValueOrDefault("");

    /// <summary>The vector named <paramref name="name"/> when it was asked for and the point holds it.</summary>
    public float[]? VectorNamed(string name) => Vectors?.GetValueOrDefault(name);

    /// <summary>The stored sparse vectors asked for, by name, or null when none were asked for or the point holds none.</summary>
    public IReadOnlyDictionary<string, SparseVector>? Sparse { get; init; }

    /// <summary>The shard key of the shard the point was read from (custom sharding), or null.</summary>
    public Sharding.ShardKey? ShardKey { get; init; }

    /// <summary>The payload value an <c>order_by</c> read ranked the point by (Qdrant's <c>order_value</c>), or null.</summary>
    public OrderValue? OrderValue { get; init; }
}
