using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Index.Sparse;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Api.Rest;

/// <summary>Writes points, update results and ids in Qdrant's JSON shapes.</summary>
public static class PointWriter
{
    /// <summary>A <c>Record</c> (no score) or <c>ScoredPoint</c> (with <c>version</c> and <c>score</c>).</summary>
    public static void Write(Utf8JsonWriter w, PointView p, PayloadSelector payload)
    {
        w.WriteStartObject();
        w.WritePropertyName("id");
        p.Id.WriteTo(w);
        if (p.Score is float score)
        {
            w.WriteNumber("version", p.Version);
            w.WriteNumber("score", score);
        }
        if (payload.Enabled)
        {
            w.WritePropertyName("payload");
            payload.Write(w, p.Payload);
        }
        if (p.Vectors is { } vectors)
        {
            w.WritePropertyName("vector");
            WriteVectors(w, vectors, p.Sparse);
        }
        if (p.ShardKey is { } key)
        {
            w.WritePropertyName("shard_key");
            key.WriteTo(w);
        }
        if (p.OrderValue is { } order)
        {
            w.WritePropertyName("order_value");
            order.WriteTo(w);
        }
        w.WriteEndObject();
    }

    /// <summary>A list of points.</summary>
    public static void WriteList(Utf8JsonWriter w, List<PointView> points, PayloadSelector payload)
    {
        w.WriteStartArray();
        foreach (var p in points) Write(w, p, payload);
        w.WriteEndArray();
    }

    /// <summary>
    /// Qdrant's <c>VectorStructOutput</c>: the unnamed vector alone as a plain list, otherwise an object of the named
    /// vectors the point holds.
    /// </summary>
    public static void WriteVectors(Utf8JsonWriter w, IReadOnlyDictionary<string, float[]> vectors, IReadOnlyDictionary<string, SparseVector>? sparse = null)
    {
        if (vectors.Count == 1 && vectors.TryGetValue("", out var unnamed) && sparse is not { Count: > 0 })
        {
            WriteVector(w, unnamed);
            return;
        }

        w.WriteStartObject();
        foreach (var (name, v) in vectors)
        {
            w.WritePropertyName(name);
            WriteVector(w, v);
        }

        if (sparse is not null)
        {
            foreach (var (name, v) in sparse)
            {
                w.WritePropertyName(name);
                v.WriteTo(w);
            }
        }

        w.WriteEndObject();
    }

    /// <summary>A dense vector.</summary>
    public static void WriteVector(Utf8JsonWriter w, float[] v)
    {
        w.WriteStartArray();
        foreach (var f in v) w.WriteNumberValue(f);
        w.WriteEndArray();
    }

    /// <summary>Qdrant's <c>UpdateResult</c>.</summary>
    public static void WriteUpdate(Utf8JsonWriter w, UpdateResult r)
    {
        w.WriteStartObject();
        w.WriteNumber("operation_id", r.OperationId);
        w.WriteString("status", r.Status == UpdateStatus.Completed ? "completed" : "acknowledged");
        w.WriteEndObject();
    }

    /// <summary>An id, or null.</summary>
    public static void WriteId(Utf8JsonWriter w, PointId? id)
    {
        if (id is { } i) i.WriteTo(w);
        else w.WriteNullValue();
    }
}
