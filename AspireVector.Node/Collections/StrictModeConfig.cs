using System.Text.Json;
using System.Text.Json.Nodes;

namespace AspireVector.Node.Collections;

/// <summary>
/// A collection's <c>strict_mode_config</c> (Qdrant's <c>StrictModeConfig</c>): the keys given, kept as JSON and echoed in
/// collection info; PATCH sets the keys it gives over the stored ones. When <see cref="Enabled"/>, requests are checked
/// against the limits by <see cref="StrictMode"/>.
/// </summary>
public sealed class StrictModeConfig
{
    private static readonly string[] UnsignedAtLeastOne = ["max_query_limit", "max_timeout", "read_rate_limit", "write_rate_limit", "max_points_count"];

    private static readonly string[] Unsigned =
    [
        "search_max_hnsw_ef", "upsert_max_batchsize", "search_max_batchsize", "max_collection_vector_size_bytes",
        "max_collection_payload_size_bytes", "filter_max_conditions", "condition_max_size", "max_payload_index_count",
    ];

    private static readonly string[] Booleans = ["enabled", "unindexed_filtering_retrieve", "unindexed_filtering_update", "search_allow_exact"];

    private static readonly string[] Objects = ["multivector_config", "sparse_config"];

    private readonly JsonObject _values;

    private StrictModeConfig(JsonObject values) => _values = values;

    /// <summary><c>enabled</c>: the limits are enforced only when true.</summary>
    public bool Enabled => Bool("enabled") == true;

    /// <summary>An unsigned limit by its Qdrant key (e.g. <c>max_query_limit</c>), or null when not set.</summary>
    public long? Limit(string key) => _values[key] is JsonValue v && v.TryGetValue(out long n) ? n : null;

    /// <summary>A boolean setting by its Qdrant key (e.g. <c>search_allow_exact</c>), or null when not set.</summary>
    public bool? Bool(string key) => _values[key] is JsonValue v && v.TryGetValue(out bool b) ? b : null;

    /// <summary><c>search_max_oversampling</c>, or null.</summary>
    public double? MaxOversampling => _values["search_max_oversampling"] is JsonValue v && v.TryGetValue(out double d) ? d : null;

    /// <summary>Reads a <c>strict_mode_config</c> object, over <paramref name="current"/> when given (PATCH); 400 naming a bad key.</summary>
    public static StrictModeConfig? Read(JsonElement json, StrictModeConfig? current = null)
    {
        if (json.ValueKind == JsonValueKind.Null) return current;
        if (json.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `strict_mode_config`: expected an object, got {json.GetRawText()}");
        var values = current is null ? [] : (JsonObject)current._values.DeepClone();
        foreach (var p in json.EnumerateObject())
        {
            string path = "strict_mode_config." + p.Name;
            if (p.Value.ValueKind == JsonValueKind.Null) continue;
            if (Array.IndexOf(Booleans, p.Name) >= 0)
            {
                if (p.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    throw CollectionException.BadJson($"invalid type for `{path}`: expected a boolean, got {p.Value.GetRawText()}");
                values[p.Name] = p.Value.GetBoolean();
            }
            else if (Array.IndexOf(UnsignedAtLeastOne, p.Name) >= 0 || Array.IndexOf(Unsigned, p.Name) >= 0)
            {
                if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt64(out long n) || n < 0)
                    throw CollectionException.BadJson($"invalid type for `{path}`: expected an unsigned integer, got {p.Value.GetRawText()}");
                if (n < 1 && Array.IndexOf(UnsignedAtLeastOne, p.Name) >= 0) throw CollectionException.Validation(path, $"value {n} invalid, must be 1 or larger");
                values[p.Name] = n;
            }
            else if (p.Name == "search_max_oversampling")
            {
                if (p.Value.ValueKind != JsonValueKind.Number) throw CollectionException.BadJson($"invalid type for `{path}`: expected a number, got {p.Value.GetRawText()}");
                values[p.Name] = p.Value.GetDouble();
            }
            else if (p.Name == "max_resident_memory_percent")
            {
                if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt64(out long pct) || pct < 0)
                    throw CollectionException.BadJson($"invalid type for `{path}`: expected an unsigned integer, got {p.Value.GetRawText()}");
                if (pct is < 1 or > 100) throw CollectionException.Validation(path, $"value {pct} invalid, must be from 1 to 100");
                values[p.Name] = pct;
            }
            else if (Array.IndexOf(Objects, p.Name) >= 0)
            {
                if (p.Value.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"invalid type for `{path}`: expected an object, got {p.Value.GetRawText()}");
                values[p.Name] = JsonNode.Parse(p.Value.GetRawText());
            }
            else
            {
                throw CollectionException.BadJson($"unknown field `{p.Name}` in `strict_mode_config`");
            }
        }

        return new StrictModeConfig(values);
    }

    /// <summary>Writes the keys set, as given.</summary>
    public void WriteTo(Utf8JsonWriter w) => _values.WriteTo(w);
}
