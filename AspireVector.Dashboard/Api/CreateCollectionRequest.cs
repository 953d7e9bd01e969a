using System.Text.Json.Nodes;

namespace AspireVector.Dashboard.Api;

/// <summary>The subset of <c>PUT /collections/{name}</c> the dashboard offers.</summary>
/// <param name="VectorSize">Dimension of the single unnamed vector.</param>
/// <param name="Distance">Cosine, Euclid, Dot or Manhattan.</param>
/// <param name="ShardNumber">Number of shards.</param>
/// <param name="ReplicationFactor">Replicas per shard.</param>
public sealed record CreateCollectionRequest(int VectorSize, string Distance, int ShardNumber, int ReplicationFactor)
{
    /// <summary>Distances Qdrant accepts.</summary>
    public static IReadOnlyList<string> Distances { get; } = ["Cosine", "Euclid", "Dot", "Manhattan"];

    /// <summary>The JSON body.</summary>
    public JsonObject ToRequestBody() => new()
    {
        ["vectors"] = new JsonObject { ["size"] = VectorSize, ["distance"] = Distance },
        ["shard_number"] = ShardNumber,
        ["replication_factor"] = ReplicationFactor,
    };
}
