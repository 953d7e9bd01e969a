using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Collections;
using Google.Protobuf.Reflection;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

public static partial class GrpcCollectionConfig
{
    /// <summary>
    /// gRPC's <c>StrictModeConfig</c> as REST's <c>strict_mode_config</c> object: the proto's field names are REST's keys,
    /// so the scalar fields set are copied by name (the per-vector multivector/sparse limits are not carried).
    /// </summary>
    private static JsonObject StrictModeBody(Q.StrictModeConfig config)
    {
        var json = new JsonObject();
        foreach (var field in Q.StrictModeConfig.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType == FieldType.Message || !field.Accessor.HasValue(config)) continue;
            json[field.Name] = JsonValue.Create(field.Accessor.GetValue(config));
        }

        return json;
    }

    /// <summary>The stored <c>strict_mode_config</c> as gRPC's message (its scalar keys, by name).</summary>
    private static Q.StrictModeConfig StrictModeToGrpc(StrictModeConfig config)
    {
        var grpc = new Q.StrictModeConfig();
        using var doc = JsonDocument.Parse(Serialize(config.WriteTo));
        foreach (var field in Q.StrictModeConfig.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType == FieldType.Message || !doc.RootElement.TryGetProperty(field.Name, out var value)) continue;
            object? converted = field.FieldType switch
            {
                FieldType.Bool when value.ValueKind is JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
                FieldType.UInt32 when value.TryGetUInt32(out uint u) => u,
                FieldType.UInt64 when value.TryGetUInt64(out ulong ul) => ul,
                FieldType.Float when value.ValueKind == JsonValueKind.Number => value.GetSingle(),
                FieldType.Double when value.ValueKind == JsonValueKind.Number => value.GetDouble(),
                _ => null,
            };
            if (converted is not null) field.Accessor.SetValue(grpc, converted);
        }

        return grpc;
    }

    /// <summary>gRPC's <c>metadata</c> map as REST's <c>metadata</c> object.</summary>
    private static JsonObject MetadataBody(Google.Protobuf.Collections.MapField<string, Q.Value> metadata) =>
        PayloadValues.ToPayload(metadata, "metadata") ?? [];

    private static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms)) write(w);
        return ms.ToArray();
    }
}
