using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Cluster;
using AspireVector.Node.Collections;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// Qdrant's collection info (<c>GET /collections/{name}</c>): counts over the whole collection (one readable replica
/// per shard), config, payload schema with point counts, and a status that is yellow while some replica is not
/// active and red while some shard has no readable replica.
/// </summary>
public sealed class CollectionInfo
{
    private readonly Collection _collection;
    private readonly Dictionary<string, long> _schemaPoints = [];
    private long _points;
    private long _indexed;
    private string _status = "green";
    private string? _error;

    private CollectionInfo(Collection collection) => _collection = collection;

    /// <summary>green, yellow or red.</summary>
    public string Status => _status;

    /// <summary>Points in the whole collection.</summary>
    public long PointsCount => _points;

    /// <summary>Vectors in a vector index.</summary>
    public long IndexedVectorsCount => _indexed;

    /// <summary>Points having a value under each indexed payload field.</summary>
    public IReadOnlyDictionary<string, long> SchemaPoints => _schemaPoints;

    /// <summary>Gathers the info; shards that cannot be read turn the status red instead of failing the request.</summary>
    public static async Task<CollectionInfo> ReadAsync(Collection c, ClusterNode? cluster, CancellationToken cancellationToken)
    {
        var info = new CollectionInfo(c);
        if (cluster is not null && cluster.Metadata.Current.Collections.TryGetValue(c.Name, out var state)) info._status = Health(state);
        if (c.FirstShardFailure is { } failure && cluster is null)
        {
            // A local shard failed to load: say so where Qdrant reports failures (red, optimizer_status.error) and
            // count what the healthy shards hold; searches and writes touching the failed shard get a 500.
            info._status = "red";
            info._error = failure;
            (info._points, info._indexed) = (c.PointsCount, c.IndexedVectorsCount);
            return info;
        }

        if (c.FirstShardFailure is { } replicaFailure) info._error = replicaFailure;
        try
        {
            (info._points, info._indexed) = await c.CountAllAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (field, _) in c.Config.PayloadSchema)
            {
                var filter = QueryFilter.Parse(JsonSerializer.Serialize(new { must_not = new[] { new { is_empty = new { key = field } } } }));
                info._schemaPoints[field] = await c.CountAsync(filter, default, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (CollectionException e) when (e.StatusCode == 503)
        {
            info._status = "red";
        }

        return info;
    }

    /// <summary>green: every replica active; yellow: some replica dead, partial or initializing; red: a shard has no active replica.</summary>
    public static string Health(CollectionState state)
    {
        string health = "green";
        foreach (var replicas in state.Shards.Values)
        {
            int active = 0, serving = 0;
            foreach (var r in replicas.Values)
            {
                if (r == ReplicaState.Active) active++;
                if (r is ReplicaState.Active or ReplicaState.Listener) serving++;
            }

            if (active == 0) return "red";
            if (serving < replicas.Count) health = "yellow";
        }

        return state.Transfers.Count > 0 && health == "green" ? "yellow" : health;
    }

    /// <summary>Writes the <c>result</c> object.</summary>
    public void Write(Utf8JsonWriter w)
    {
        var config = _collection.Config;
        w.WriteStartObject();
        w.WriteString("status", _status);
        if (_error is null) w.WriteString("optimizer_status", "ok");
        else
        {
            w.WriteStartObject("optimizer_status");
            w.WriteString("error", _error);
            w.WriteEndObject();
        }

        w.WriteNumber("indexed_vectors_count", _indexed);
        w.WriteNumber("points_count", _points);
        w.WriteNumber("segments_count", _collection.LocalShards.Count);
        w.WritePropertyName("config");
        config.WriteInfoConfig(w);
        w.WritePropertyName("payload_schema");
        w.WriteStartObject();
        foreach (var (field, schema) in config.PayloadSchema)
        {
            w.WritePropertyName(field);
            w.WriteStartObject();
            foreach (var (k, v) in (JsonObject)schema!)
            {
                w.WritePropertyName(k);
                if (v is null) w.WriteNullValue(); else v.WriteTo(w);
            }

            w.WriteNumber("points", _schemaPoints.GetValueOrDefault(field));
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }
}
