using System.Text.Json;
using System.Text.Json.Nodes;

namespace AspireVector.Node.Collections;

public sealed partial class CollectionConfig
{
    /// <summary>
    /// Reads a create-collection body (also the persisted config.json). Throws <see cref="CollectionException"/>
    /// naming the first bad field.
    /// </summary>
    public static CollectionConfig FromCreateRequest(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a JSON object as the request body");
        var config = new CollectionConfig();
        bool hasSparse = body.TryGetProperty("sparse_vectors", out var sparse) && sparse.ValueKind == JsonValueKind.Object && sparse.EnumerateObject().Any();
        if (!body.TryGetProperty("vectors", out var vectors) || vectors.ValueKind == JsonValueKind.Null)
        {
            // A sparse-only collection may leave `vectors` out, as in Qdrant.
            if (!hasSparse) throw CollectionException.BadJson("missing field `vectors`");
            vectors = JsonDocument.Parse("{}").RootElement;
        }

        config.ReadVectors(vectors);
        if (config.NamedVectors is { Count: 0 } && !hasSparse) throw CollectionException.BadJson("missing field `size` in `vectors`");
        if (body.TryGetProperty("sparse_vectors", out var sparseJson)) config.ReadSparseVectors(sparseJson);
        foreach (var prop in body.EnumerateObject())
        {
            switch (prop.Name)
            {
                case "shard_number": config.ShardNumber = PositiveInt(prop.Value, "shard_number", 1, 4096); break;
                case "replication_factor": config.ReplicationFactor = PositiveInt(prop.Value, "replication_factor", 1, 1024); break;
                case "write_consistency_factor": config.WriteConsistencyFactor = PositiveInt(prop.Value, "write_consistency_factor", 1, 1024); break;
                case "on_disk_payload": config.OnDiskPayload = Bool(prop.Value, "on_disk_payload") ?? true; break;
                case "hnsw_config": ConfigSection.Hnsw.Apply(prop.Value, config.Hnsw, "hnsw_config"); break;
                case "optimizers_config": ConfigSection.Optimizers.Apply(prop.Value, config.Optimizers, "optimizers_config"); break;
                case "wal_config": ConfigSection.Wal.Apply(prop.Value, config.Wal, "wal_config"); break;
                case "quantization_config": config.Quantization = ReadQuantization(prop.Value); break;
                case "payload_schema" when prop.Value.ValueKind == JsonValueKind.Object: config.PayloadSchema = (JsonObject)JsonNode.Parse(prop.Value.GetRawText())!; break;
                case "sharding_method": config.ReadShardingMethod(prop.Value); break;
                case "shard_key_mapping": config.ReadShardKeyMapping(prop.Value); break;
                case "last_shard_id": config.ReadLastShardId(prop.Value); break;
                case "strict_mode_config": config.StrictMode = StrictModeConfig.Read(prop.Value); break;
                case "metadata": config.Metadata = ReadMetadata(prop.Value); break;
            }
        }
        config.CheckMultivectorQuantization();
        return config;
    }

    /// <summary>
    /// Applies a PATCH body (<c>params</c>, <c>hnsw_config</c>, <c>optimizers_config</c>, <c>quantization_config</c>,
    /// <c>vectors</c>, <c>sparse_vectors</c>, <c>strict_mode_config</c>, <c>metadata</c>)
    /// to a copy and returns it; the original is untouched when the body is invalid.
    /// </summary>
    public CollectionConfig WithUpdate(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a JSON object as the request body");
        var c = FromCreateRequest(JsonDocument.Parse(ToPersistedJson()).RootElement);
        foreach (var prop in body.EnumerateObject())
        {
            switch (prop.Name)
            {
                case "params" when prop.Value.ValueKind == JsonValueKind.Object:
                    foreach (var p in prop.Value.EnumerateObject())
                    {
                        switch (p.Name)
                        {
                            case "replication_factor": c.ReplicationFactor = PositiveInt(p.Value, "params.replication_factor", 1, 1024); break;
                            case "write_consistency_factor": c.WriteConsistencyFactor = PositiveInt(p.Value, "params.write_consistency_factor", 1, 1024); break;
                            case "on_disk_payload": c.OnDiskPayload = Bool(p.Value, "params.on_disk_payload") ?? c.OnDiskPayload; break;
                            default: throw CollectionException.BadJson($"unknown field `{p.Name}` in `params`");
                        }
                    }
                    break;
                case "hnsw_config": ConfigSection.Hnsw.Apply(prop.Value, c.Hnsw, "hnsw_config"); break;
                case "optimizers_config": ConfigSection.Optimizers.Apply(prop.Value, c.Optimizers, "optimizers_config"); break;
                case "quantization_config":
                    c.Quantization = prop.Value.ValueKind == JsonValueKind.String && prop.Value.GetString() == "Disabled" ? null : ReadQuantization(prop.Value);
                    break;
                case "vectors": c.ApplyVectorsUpdate(prop.Value); break;
                case "sparse_vectors": c.ApplySparseVectorsUpdate(prop.Value); break;
                case "strict_mode_config": c.StrictMode = StrictModeConfig.Read(prop.Value, c.StrictMode); break;
                case "metadata": c.MergeMetadata(prop.Value); break;
                default: throw CollectionException.BadJson($"unknown field `{prop.Name}`");
            }
        }
        c.CheckMultivectorQuantization();
        return c;
    }

    /// <summary>The config as a create-request body (what config.json holds).</summary>
    public byte[] ToPersistedJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WritePropertyName("vectors");
            WriteVectors(w);
            WriteSparseVectors(w);
            w.WriteNumber("shard_number", ShardNumber);
            w.WriteNumber("replication_factor", ReplicationFactor);
            w.WriteNumber("write_consistency_factor", WriteConsistencyFactor);
            w.WriteBoolean("on_disk_payload", OnDiskPayload);
            w.WritePropertyName("hnsw_config"); Hnsw.WriteTo(w);
            w.WritePropertyName("optimizers_config"); Optimizers.WriteTo(w);
            w.WritePropertyName("wal_config"); Wal.WriteTo(w);
            w.WritePropertyName("quantization_config");
            if (Quantization is null) w.WriteNullValue(); else Quantization.WriteTo(w);
            w.WritePropertyName("payload_schema"); PayloadSchema.WriteTo(w);
            WriteShardKeyMapping(w);
            WriteStrictModeAndMetadata(w);
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    /// <summary>Writes Qdrant's <c>CollectionParams</c> object (the info's <c>config.params</c>, telemetry's <c>params</c>).</summary>
    public void WriteParams(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WritePropertyName("vectors");
        WriteVectors(w);
        w.WriteNumber("shard_number", ShardNumber);
        if (ShardingMethod is { } method) w.WriteString("sharding_method", method);
        w.WriteNumber("replication_factor", ReplicationFactor);
        w.WriteNumber("write_consistency_factor", WriteConsistencyFactor);
        w.WriteBoolean("on_disk_payload", OnDiskPayload);
        WriteSparseVectors(w);
        w.WriteEndObject();
    }

    /// <summary>Writes the <c>config</c> object of Qdrant's collection info.</summary>
    public void WriteInfoConfig(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WritePropertyName("params");
        WriteParams(w);
        w.WritePropertyName("hnsw_config"); Hnsw.WriteTo(w);
        w.WritePropertyName("optimizer_config"); Optimizers.WriteTo(w);
        w.WritePropertyName("wal_config"); Wal.WriteTo(w);
        w.WritePropertyName("quantization_config");
        if (Quantization is null) w.WriteNullValue(); else Quantization.WriteTo(w);
        WriteStrictModeAndMetadata(w);
        w.WriteEndObject();
    }

    private static int PositiveInt(JsonElement v, string path, int min, int max)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n))
            throw CollectionException.BadJson($"invalid type for `{path}`: expected an unsigned integer, got {v.GetRawText()}");
        if (n < min || n > max) throw CollectionException.Validation(path, $"value {n} invalid, must be from {min} to {max}");
        return (int)n;
    }

    private static bool? Bool(JsonElement v, string path) => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => throw CollectionException.BadJson($"invalid type for `{path}`: expected a boolean, got {v.GetRawText()}"),
    };

}
