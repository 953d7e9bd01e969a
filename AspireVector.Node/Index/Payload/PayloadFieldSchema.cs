using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AspireVector.Node.Index.Payload;

/// <summary>
/// The <c>field_schema</c> of <c>PUT /collections/{name}/index</c>: a type name (<c>"keyword"</c>) or a params
/// object (<c>{"type": "text", "tokenizer": "word", "lowercase": true}</c>). Reported back in collection info as
/// Qdrant's <c>PayloadIndexInfo</c>: <c>{"data_type": .., "params": .. (only when given), "points": ..}</c>.
/// </summary>
public sealed class PayloadFieldSchema
{
    private static readonly Dictionary<string, string[]> KnownParams = new()
    {
        ["keyword"] = ["type", "is_tenant", "on_disk", "enable_hnsw"],
        ["integer"] = ["type", "lookup", "range", "is_principal", "on_disk", "enable_hnsw"],
        ["float"] = ["type", "is_principal", "on_disk", "enable_hnsw"],
        ["geo"] = ["type", "on_disk", "enable_hnsw"],
        ["text"] = ["type", "tokenizer", "min_token_len", "max_token_len", "lowercase", "ascii_folding", "phrase_matching", "stopwords", "on_disk", "stemmer", "enable_hnsw"],
        ["bool"] = ["type", "on_disk", "enable_hnsw"],
        ["datetime"] = ["type", "is_principal", "on_disk", "enable_hnsw"],
        ["uuid"] = ["type", "is_tenant", "on_disk", "enable_hnsw"],
    };

    private PayloadFieldSchema(PayloadSchemaType type, JsonObject? parameters)
    {
        Type = type;
        Params = parameters;
    }

    /// <summary>The index type.</summary>
    public PayloadSchemaType Type { get; }

    /// <summary>The params object as given (null when the schema was a bare type name).</summary>
    public JsonObject? Params { get; }

    /// <summary>The JSON name of <see cref="Type"/>.</summary>
    public string TypeName => NameOf(Type);

    /// <summary>A schema of the given type with default params.</summary>
    public static PayloadFieldSchema Of(PayloadSchemaType type) => new(type, null);

    /// <summary>The JSON name of a schema type.</summary>
    public static string NameOf(PayloadSchemaType type) => type.ToString().ToLowerInvariant();

    /// <summary>Parses a type name from its JSON name.</summary>
    public static bool TryParseType(string? name, out PayloadSchemaType type)
    {
        foreach (var candidate in Enum.GetValues<PayloadSchemaType>())
        {
            if (NameOf(candidate) == name)
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }

    /// <summary>Reads a <c>field_schema</c>; false with a message naming the problem.</summary>
    public static bool TryParse(JsonElement json, [NotNullWhen(true)] out PayloadFieldSchema? schema, [NotNullWhen(false)] out string? error)
    {
        schema = null;
        const string expected = "expected one of \"keyword\", \"integer\", \"float\", \"geo\", \"text\", \"bool\", \"datetime\", \"uuid\"";
        if (json.ValueKind == JsonValueKind.String)
        {
            if (!TryParseType(json.GetString(), out var type))
            {
                error = $"field_schema: unknown payload schema type {json.GetRawText()}, {expected}";
                return false;
            }
            schema = new PayloadFieldSchema(type, null);
            error = null;
            return true;
        }
        if (json.ValueKind != JsonValueKind.Object)
        {
            error = $"field_schema: expected a type name or a params object, got {json.ValueKind.ToString().ToLowerInvariant()}";
            return false;
        }
        if (!json.TryGetProperty("type", out var typeJson) || typeJson.ValueKind != JsonValueKind.String
            || !TryParseType(typeJson.GetString(), out var paramsType))
        {
            error = $"field_schema.type: missing or unknown index type, {expected}";
            return false;
        }
        var known = KnownParams[NameOf(paramsType)];
        foreach (var property in json.EnumerateObject())
        {
            if (Array.IndexOf(known, property.Name) < 0)
            {
                error = $"field_schema: unknown field `{property.Name}` for a {NameOf(paramsType)} index, expected one of {string.Join(", ", known.Select(k => $"`{k}`"))}";
                return false;
            }
        }
        if (!ValidateParams(paramsType, json, out error)) return false;
        // Re-parsed from text so the params outlive the request's JsonDocument.
        schema = new PayloadFieldSchema(paramsType, JsonNode.Parse(json.GetRawText())!.AsObject());
        return true;
    }

    /// <summary>
    /// Infers a schema from the first typed value under <paramref name="key"/> when a create-index request has no
    /// <c>field_schema</c>, with Qdrant's <c>value_type</c> rules: integral number → integer, other number → float,
    /// string → keyword, <c>{"lon", "lat"}</c> → geo; null, booleans and other objects give no type.
    /// </summary>
    public static PayloadFieldSchema? Infer(IEnumerable<JsonObject?> payloads, Filters.PayloadKey key)
    {
        var values = new List<JsonNode?>();
        foreach (var payload in payloads)
        {
            if (payload is null) continue;
            values.Clear();
            key.Select(payload, values);
            foreach (var value in values)
            {
                IEnumerable<JsonNode?> elements = value is JsonArray array ? array : new[] { value };
                foreach (var element in elements)
                {
                    PayloadSchemaType? type = element switch
                    {
                        _ when Filters.PayloadValue.TryGetInteger(element, out _) => PayloadSchemaType.Integer,
                        _ when Filters.PayloadValue.TryGetDouble(element, out _) => PayloadSchemaType.Float,
                        _ when Filters.PayloadValue.TryGetString(element, out _) => PayloadSchemaType.Keyword,
                        _ when Filters.PayloadValue.TryGetGeoPoint(element, out _) => PayloadSchemaType.Geo,
                        _ => null,
                    };
                    if (type is { } t) return Of(t);
                }
            }
        }
        return null;
    }

    /// <summary>A boolean param, or <paramref name="fallback"/> when absent or null.</summary>
    public bool BoolParam(string name, bool fallback) =>
        Params is not null && Params.TryGetPropertyValue(name, out var v) && v is JsonValue value && value.TryGetValue<bool>(out var b) ? b : fallback;

    /// <summary>A non-negative integer param, or null when absent or null.</summary>
    public int? IntParam(string name) =>
        Params is not null && Params.TryGetPropertyValue(name, out var v) && v is JsonValue value && value.TryGetValue<int>(out var i) ? i : null;

    /// <summary>A string param, or null when absent.</summary>
    public string? StringParam(string name) =>
        Params is not null && Params.TryGetPropertyValue(name, out var v) && v is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Writes Qdrant's <c>PayloadIndexInfo</c> for this schema with <paramref name="points"/> indexed points.</summary>
    public void WriteInfo(Utf8JsonWriter writer, long points)
    {
        writer.WriteStartObject();
        writer.WriteString("data_type", TypeName);
        if (Params is not null)
        {
            writer.WritePropertyName("params");
            Params.WriteTo(writer);
        }
        writer.WriteNumber("points", points);
        writer.WriteEndObject();
    }

    /// <summary>Writes the schema as it was given (a type name or the params object), readable by <see cref="TryParse"/>.</summary>
    public void WriteDefinition(Utf8JsonWriter writer)
    {
        if (Params is null) writer.WriteStringValue(TypeName);
        else Params.WriteTo(writer);
    }

    /// <summary>True when both schemas ask for the same index (so re-creating it is a no-op).</summary>
    public bool SameAs(PayloadFieldSchema other) =>
        Type == other.Type && JsonNode.DeepEquals(Params ?? new JsonObject { ["type"] = TypeName }, other.Params ?? new JsonObject { ["type"] = other.TypeName });

    private static bool ValidateParams(PayloadSchemaType type, JsonElement json, [NotNullWhen(false)] out string? error)
    {
        foreach (var property in json.EnumerateObject())
        {
            var v = property.Value;
            if (property.Name == "type" || v.ValueKind == JsonValueKind.Null) continue;
            var ok = property.Name switch
            {
                "tokenizer" => v.ValueKind == JsonValueKind.String && v.GetString() is "prefix" or "whitespace" or "word" or "multilingual",
                "min_token_len" or "max_token_len" => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n >= 0,
                "stopwords" or "stemmer" => v.ValueKind is JsonValueKind.String or JsonValueKind.Object or JsonValueKind.Array,
                _ => v.ValueKind is JsonValueKind.True or JsonValueKind.False,
            };
            if (!ok)
            {
                error = property.Name == "tokenizer"
                    ? $"field_schema.tokenizer: expected one of \"prefix\", \"whitespace\", \"word\", \"multilingual\", got {v.GetRawText()}"
                    : $"field_schema.{property.Name}: invalid value {v.GetRawText()}";
                return false;
            }
        }
        if (type == PayloadSchemaType.Integer
            && json.TryGetProperty("lookup", out var lookup) && lookup.ValueKind == JsonValueKind.False
            && json.TryGetProperty("range", out var range) && range.ValueKind == JsonValueKind.False)
        {
            error = "field_schema: the integer index must support at least one of `lookup` or `range`";
            return false;
        }
        error = null;
        return true;
    }
}
