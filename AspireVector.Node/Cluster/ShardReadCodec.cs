using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Collections;
using AspireVector.Node.Index;
using AspireVector.Node.Index.Sparse;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Cluster;

/// <summary>JSON encoding of shard reads and their results between a coordinator and a replica's peer.</summary>
public static class ShardReadCodec
{
    /// <summary>Encodes a request.</summary>
    public static byte[] Encode(ShardReadRequest r)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("kind", r.Kind.ToString());
            if (r.Vector is { } v)
            {
                w.WriteStartArray("vector");
                foreach (var x in v) w.WriteNumberValue(x);
                w.WriteEndArray();
            }

            if (r.Sparse is { } sparse)
            {
                w.WritePropertyName("sparse");
                sparse.WriteTo(w);
            }

            w.WriteNumber("limit", r.Limit);
            if (r.ScoreThreshold is float t) w.WriteNumber("score_threshold", t);
            w.WriteStartObject("params");
            if (r.Params.HnswEf is int ef) w.WriteNumber("hnsw_ef", ef);
            w.WriteBoolean("exact", r.Params.Exact);
            w.WriteBoolean("ignore_quantization", r.Params.IgnoreQuantization);
            if (r.Params.Rescore is bool rescore) w.WriteBoolean("rescore", rescore);
            if (r.Params.Oversampling is double o) w.WriteNumber("oversampling", o);
            w.WriteEndObject();
            if (r.Exclude is { } ex) { w.WritePropertyName("exclude"); ex.WriteTo(w); }
            if (r.Offset is { } off) { w.WritePropertyName("offset"); off.WriteTo(w); }
            if (r.Ids.Count > 0)
            {
                w.WriteStartArray("ids");
                foreach (var id in r.Ids) id.WriteTo(w);
                w.WriteEndArray();
            }

            if (r.Filter is { } f) { w.WritePropertyName("filter"); w.WriteRawValue(f.Json); }
            w.WriteBoolean("with_vector", r.WithVector.Enabled);
            if (r.WithVector.Names is { } names)
            {
                w.WriteStartArray("with_vector_names");
                foreach (var n in names) w.WriteStringValue(n);
                w.WriteEndArray();
            }

            if (r.VectorName.Length > 0) w.WriteString("using", r.VectorName);
            if (r.ExcludeIds.Count > 0)
            {
                w.WriteStartArray("exclude_ids");
                foreach (var id in r.ExcludeIds) id.WriteTo(w);
                w.WriteEndArray();
            }

            if (r.Kind is ShardReadKind.Recommend or ShardReadKind.Discover or ShardReadKind.Context)
            {
                w.WriteString("strategy", r.Strategy.ToString());
                WriteVectors(w, "positives", r.Positives);
                WriteVectors(w, "negatives", r.Negatives);
            }

            if (r.FacetKey is { } key) w.WriteString("facet_key", key);
            if (r.FacetType is { } type) w.WriteString("facet_type", type);
            w.WriteEndObject();
        }

        return ms.ToArray();
    }

    /// <summary>Decodes a request written by <see cref="Encode(ShardReadRequest)"/>; <see cref="JsonException"/> when it is not one.</summary>
    public static ShardReadRequest DecodeRequest(ReadOnlySpan<byte> json)
    {
        try
        {
            return DecodeRequestCore(json);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException or ArgumentException or OverflowException)
        {
            // A wrong shape (missing member, wrong type, unknown kind) is malformed input like bad JSON syntax.
            throw new JsonException("not a shard read request: " + e.Message, e);
        }
    }

    private static ShardReadRequest DecodeRequestCore(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        var root = doc.RootElement;
        var p = root.GetProperty("params");
        var ids = new List<PointId>();
        if (root.TryGetProperty("ids", out var idsJson))
        {
            foreach (var e in idsJson.EnumerateArray()) ids.Add(Id(e));
        }

        var excluded = new List<PointId>();
        if (root.TryGetProperty("exclude_ids", out var excludedJson))
        {
            foreach (var e in excludedJson.EnumerateArray()) excluded.Add(Id(e));
        }

        return new ShardReadRequest
        {
            Kind = Enum.Parse<ShardReadKind>(root.GetProperty("kind").GetString()!),
            Vector = root.TryGetProperty("vector", out var v) ? [.. v.EnumerateArray().Select(x => x.GetSingle())] : null,
            Sparse = root.TryGetProperty("sparse", out var sparse) ? ReadSparse(sparse) : null,
            Limit = root.GetProperty("limit").GetInt32(),
            ScoreThreshold = root.TryGetProperty("score_threshold", out var t) ? t.GetSingle() : null,
            Params = new SearchParams
            {
                HnswEf = p.TryGetProperty("hnsw_ef", out var ef) ? ef.GetInt32() : null,
                Exact = p.GetProperty("exact").GetBoolean(),
                IgnoreQuantization = p.GetProperty("ignore_quantization").GetBoolean(),
                Rescore = p.TryGetProperty("rescore", out var rs) ? rs.GetBoolean() : null,
                Oversampling = p.TryGetProperty("oversampling", out var os) ? os.GetDouble() : null,
            },
            Exclude = root.TryGetProperty("exclude", out var ex) ? Id(ex) : null,
            Offset = root.TryGetProperty("offset", out var off) ? Id(off) : null,
            Ids = ids,
            Filter = root.TryGetProperty("filter", out var f) ? QueryFilter.Parse(f) : null,
            WithVector = new WithVectors(root.GetProperty("with_vector").GetBoolean(),
                root.TryGetProperty("with_vector_names", out var names) ? [.. names.EnumerateArray().Select(n => n.GetString()!)] : null),
            VectorName = root.TryGetProperty("using", out var name) ? name.GetString()! : "",
            ExcludeIds = excluded,
            Strategy = root.TryGetProperty("strategy", out var st) ? Enum.Parse<RecommendStrategy>(st.GetString()!) : RecommendStrategy.AverageVector,
            Positives = ReadVectors(root, "positives"),
            Negatives = ReadVectors(root, "negatives"),
            FacetKey = root.TryGetProperty("facet_key", out var fk) ? fk.GetString() : null,
            FacetType = root.TryGetProperty("facet_type", out var ft) ? ft.GetString() : null,
        };
    }

    private static void WriteVectors(Utf8JsonWriter w, string name, IReadOnlyList<float[]> vectors)
    {
        w.WriteStartArray(name);
        foreach (var v in vectors)
        {
            w.WriteStartArray();
            foreach (var x in v) w.WriteNumberValue(x);
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    private static List<float[]> ReadVectors(JsonElement root, string name)
    {
        var list = new List<float[]>();
        if (!root.TryGetProperty(name, out var vectors)) return list;
        foreach (var v in vectors.EnumerateArray()) list.Add([.. v.EnumerateArray().Select(x => x.GetSingle())]);
        return list;
    }

    /// <summary>Encodes a result.</summary>
    public static byte[] Encode(ShardReadResult result)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Encoder = PayloadJson.Options.Encoder }))
        {
            w.WriteStartObject();
            w.WriteNumber("count", result.Count);
            w.WriteNumber("indexed", result.IndexedCount);
            w.WriteStartArray("points");
            foreach (var p in result.Points)
            {
                w.WriteStartObject();
                w.WritePropertyName("id");
                p.Id.WriteTo(w);
                w.WriteNumber("version", p.Version);
                if (p.Score is float s) w.WriteNumber("score", s);
                if (p.Payload is { } payload) { w.WritePropertyName("payload"); payload.WriteTo(w); }
                if (p.Vectors is { } vectors)
                {
                    w.WriteStartObject("vectors");
                    foreach (var (name, vector) in vectors)
                    {
                        w.WriteStartArray(name);
                        foreach (var x in vector) w.WriteNumberValue(x);
                        w.WriteEndArray();
                    }

                    w.WriteEndObject();
                }

                if (p.Sparse is { } sparse)
                {
                    w.WriteStartObject("sparse");
                    foreach (var (name, vector) in sparse)
                    {
                        w.WritePropertyName(name);
                        vector.WriteTo(w);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (result.Facets is { } facets)
            {
                w.WriteStartObject("facets");
                foreach (var (value, count) in facets) w.WriteNumber(value, count);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return ms.ToArray();
    }

    /// <summary>Decodes a result written by <see cref="Encode(ShardReadResult)"/>.</summary>
    public static ShardReadResult DecodeResult(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        var root = doc.RootElement;
        var points = new List<PointView>();
        foreach (var e in root.GetProperty("points").EnumerateArray())
        {
            JsonObject? payload = null;
            if (e.TryGetProperty("payload", out var pl))
            {
                payload = PayloadJson.FromElement(pl);
                PayloadJson.Freeze(payload);
            }

            points.Add(new PointView(
                Id(e.GetProperty("id")),
                e.GetProperty("version").GetUInt64(),
                e.TryGetProperty("score", out var s) ? s.GetSingle() : null,
                payload,
                e.TryGetProperty("vectors", out var v) ? ReadNamedVectors(v) : null)
            {
                Sparse = e.TryGetProperty("sparse", out var sv) ? ReadNamedSparse(sv) : null,
            });
        }

        Dictionary<string, long>? facets = null;
        if (root.TryGetProperty("facets", out var facetsJson))
        {
            facets = [];
            foreach (var f in facetsJson.EnumerateObject()) facets[f.Name] = f.Value.GetInt64();
        }

        return new ShardReadResult(points, root.GetProperty("count").GetInt64(), root.GetProperty("indexed").GetInt64()) { Facets = facets };
    }

    private static Dictionary<string, float[]> ReadNamedVectors(JsonElement json)
    {
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var named in json.EnumerateObject()) vectors[named.Name] = [.. named.Value.EnumerateArray().Select(x => x.GetSingle())];
        return vectors;
    }

    private static Dictionary<string, SparseVector> ReadNamedSparse(JsonElement json)
    {
        var vectors = new Dictionary<string, SparseVector>(StringComparer.Ordinal);
        foreach (var named in json.EnumerateObject()) vectors[named.Name] = ReadSparse(named.Value);
        return vectors;
    }

    private static SparseVector ReadSparse(JsonElement json)
    {
        uint[] indices = [.. json.GetProperty("indices").EnumerateArray().Select(x => x.GetUInt32())];
        float[] values = [.. json.GetProperty("values").EnumerateArray().Select(x => x.GetSingle())];
        try
        {
            return SparseVector.FromSorted(indices, values);
        }
        catch (InvalidDataException e)
        {
            throw new JsonException("bad sparse vector: " + e.Message, e);
        }
    }

    /// <summary>Reads a point id written by <see cref="PointId.WriteTo"/>.</summary>
    public static PointId Id(JsonElement e) =>
        PointId.TryParse(e, out var id, out var error) ? id : throw new JsonException("bad point id: " + error);
}
