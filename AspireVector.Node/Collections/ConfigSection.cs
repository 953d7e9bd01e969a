using System.Text.Json;
using System.Text.Json.Nodes;

namespace AspireVector.Node.Collections;

/// <summary>
/// A flat configuration object of Qdrant's (hnsw_config, optimizers_config, wal_config): known keys, their
/// value kinds and defaults. Values are validated on create and on PATCH, then stored and echoed as given.
/// </summary>
public sealed class ConfigSection
{
    private readonly string _name;
    private readonly (string Key, ConfigValueKind Kind, JsonNode? Default)[] _fields;

    /// <summary>Declares a section named <paramref name="name"/> with its fields.</summary>
    public ConfigSection(string name, params (string Key, ConfigValueKind Kind, JsonNode? Default)[] fields)
    {
        _name = name;
        _fields = fields;
    }

    /// <summary>Hnsw parameters with Qdrant's defaults.</summary>
    public static ConfigSection Hnsw { get; } = new("hnsw_config",
        ("m", ConfigValueKind.Count, 16), ("ef_construct", ConfigValueKind.PositiveCount, 100),
        ("full_scan_threshold", ConfigValueKind.Count, 10_000), ("max_indexing_threads", ConfigValueKind.Count, 0),
        ("on_disk", ConfigValueKind.OptionalBool, false), ("payload_m", ConfigValueKind.OptionalCount, null),
        ("inline_storage", ConfigValueKind.OptionalBool, null));

    /// <summary>Optimizer parameters with Qdrant's defaults.</summary>
    public static ConfigSection Optimizers { get; } = new("optimizers_config",
        ("deleted_threshold", ConfigValueKind.Fraction, 0.2), ("vacuum_min_vector_number", ConfigValueKind.Count, 1000),
        ("default_segment_number", ConfigValueKind.Count, 0), ("max_segment_size", ConfigValueKind.OptionalCount, null),
        ("memmap_threshold", ConfigValueKind.OptionalCount, null), ("indexing_threshold", ConfigValueKind.OptionalCount, 10_000),
        ("flush_interval_sec", ConfigValueKind.Count, 5), ("max_optimization_threads", ConfigValueKind.OptionalCount, null),
        ("prevent_unoptimized", ConfigValueKind.OptionalBool, null));

    /// <summary>WAL parameters with Qdrant's defaults.</summary>
    public static ConfigSection Wal { get; } = new("wal_config",
        ("wal_capacity_mb", ConfigValueKind.PositiveCount, 32), ("wal_segments_ahead", ConfigValueKind.Count, 0),
        ("wal_retain_closed", ConfigValueKind.OptionalCount, null));

    /// <summary>A new object holding the defaults (null defaults are left out, as Qdrant omits them where optional).</summary>
    public JsonObject Defaults()
    {
        var o = new JsonObject();
        foreach (var (key, kind, def) in _fields)
        {
            if (def is not null || kind is not (ConfigValueKind.OptionalBool or ConfigValueKind.OptionalCount) || _name == "optimizers_config")
                o[key] = def?.DeepClone();
        }
        return o;
    }

    /// <summary>
    /// Validates <paramref name="patch"/> (a JSON object) and writes its values into <paramref name="target"/>.
    /// Unknown keys and wrong types throw <see cref="CollectionException"/> before anything is changed.
    /// </summary>
    public void Apply(JsonElement patch, JsonObject target, string prefix)
    {
        if (patch.ValueKind == JsonValueKind.Null) return;
        if (patch.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson($"`{prefix}` must be an object, got {patch.ValueKind.ToString().ToLowerInvariant()}");
        var staged = new List<(string, JsonNode?)>();
        foreach (var prop in patch.EnumerateObject())
        {
            int i = Array.FindIndex(_fields, f => f.Key == prop.Name);
            if (i < 0) throw CollectionException.BadJson($"unknown field `{prop.Name}` in `{prefix}`");
            staged.Add((prop.Name, Validate(prop.Value, _fields[i].Kind, prefix + "." + prop.Name)));
        }
        foreach (var (key, value) in staged) target[key] = value;
    }

    private static JsonNode? Validate(JsonElement value, ConfigValueKind kind, string path)
    {
        bool optional = kind is ConfigValueKind.OptionalBool or ConfigValueKind.OptionalCount;
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (optional) return null;
            throw CollectionException.BadJson($"invalid type: null for `{path}`");
        }
        switch (kind)
        {
            case ConfigValueKind.OptionalBool:
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
                throw CollectionException.BadJson($"invalid type for `{path}`: expected a boolean, got {value.GetRawText()}");
            case ConfigValueKind.Fraction:
                if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double d) && d >= 0 && d <= 1) return d;
                throw CollectionException.Validation(path, $"value {value.GetRawText()} invalid, must be from 0 to 1");
            default:
                if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) && n >= 0 && n <= int.MaxValue)
                {
                    if (kind == ConfigValueKind.PositiveCount && n == 0) throw CollectionException.Validation(path, "value 0 invalid, must be 1 or greater");
                    return n;
                }
                throw CollectionException.BadJson($"invalid value for `{path}`: expected a non-negative integer, got {value.GetRawText()}");
        }
    }
}
