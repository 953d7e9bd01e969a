using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Index.Sparse;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Api.Rest;

/// <summary>Writes points, update results and ids in Qdrant's JSON shapes.</summary>
public static class PointWriter
{
    /// <summary>
    /// A <c>Record</c> (no score) or <c>ScoredPoint</c> (with <c>version</c> and <c>score</c>); <paramref name="config"/>
    /// (the point's collection) gives its multivectors their rows back.
    /// </summary>
    public static void Write(Utf8JsonWriter w, PointView p, PayloadSelector payload, CollectionConfig? config = null)
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
            WriteVectors(w, vectors, p.Sparse, config);
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

    /// <summary>A list of points of the collection <paramref name="config"/> describes.</summary>
    public static void WriteList(Utf8JsonWriter w, List<PointView> points, PayloadSelector payload, CollectionConfig? config = null)
    {
        w.WriteStartArray();
        foreach (var p in points) Write(w, p, payload, config);
        w.WriteEndArray();
    }

    /// <summary>
    /// Qdrant's <c>VectorStructOutput</c>: the unnamed vector alone as a plain list, otherwise an object of the named
    /// vectors the point holds. A multivector of <paramref name="config"/> is written as its list of rows.
    /// </summary>
    public static void WriteVectors(Utf8JsonWriter w, IReadOnlyDictionary<string, float[]> vectors, IReadOnlyDictionary<string, SparseVector>? sparse = null,
        CollectionConfig? config = null)
    {
        if (vectors.Count == 1 && vectors.TryGetValue("", out var unnamed) && sparse is not { Count: > 0 })
        {
            WriteVector(w, unnamed, config?.MultivectorRowSize("") ?? 0);
            return;
        }

        w.WriteStartObject();
        foreach (var (name, v) in vectors)
        {
            w.WritePropertyName(name);
            WriteVector(w, v, config?.MultivectorRowSize(name) ?? 0);
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

    /// <summary>A dense vector, or with <paramref name="rowSize"/> a multivector as its list of rows of that size.</summary>
    public static void WriteVector(Utf8JsonWriter w, float[] v, int rowSize)
    {
        if (rowSize <= 0)
        {
            WriteVector(w, v);
            return;
        }

        w.WriteStartArray();
        for (int r = 0; r + rowSize <= v.Length; r += rowSize)
        {
            w.WriteStartArray();
            for (int i = r; i < r + rowSize; i++) w.WriteNumberValue(v[i]);
            w.WriteEndArray();
        }

        w.WriteEndArray();
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
