using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Collections;
using AspireVector.Node.Filters;

namespace AspireVector.Node.Api.Rest;

/// <summary>Qdrant's <c>with_payload</c>: true/false, a list of keys, or <c>{"include":[..]}</c> / <c>{"exclude":[..]}</c>.</summary>
public sealed class PayloadSelector
{
    /// <summary>Return the whole payload.</summary>
    public static readonly PayloadSelector All = new(true, null, null);

    /// <summary>Return no payload.</summary>
    public static readonly PayloadSelector None = new(false, null, null);

    private readonly PayloadKey[]? _include;
    private readonly PayloadKey[]? _exclude;

    private PayloadSelector(bool enabled, PayloadKey[]? include, PayloadKey[]? exclude)
    {
        Enabled = enabled;
        _include = include;
        _exclude = exclude;
    }

    /// <summary>True when any payload is returned.</summary>
    public bool Enabled { get; }

    /// <summary>Reads <c>with_payload</c> from <paramref name="body"/>, with <paramref name="fallback"/> when absent.</summary>
    public static PayloadSelector Read(JsonElement body, PayloadSelector fallback)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("with_payload", out var v) || v.ValueKind == JsonValueKind.Null) return fallback;
        switch (v.ValueKind)
        {
            case JsonValueKind.True: return All;
            case JsonValueKind.False: return None;
            case JsonValueKind.Array: return new PayloadSelector(true, Keys(v, "with_payload"), null);
            case JsonValueKind.Object:
                if (v.TryGetProperty("include", out var inc)) return new PayloadSelector(true, Keys(inc, "with_payload.include"), null);
                if (v.TryGetProperty("exclude", out var exc)) return new PayloadSelector(true, null, Keys(exc, "with_payload.exclude"));
                break;
        }
        throw CollectionException.BadJson($"data did not match any variant of untagged enum WithPayloadInterface at `with_payload`: {v.GetRawText()}");
    }

    /// <summary>Writes the selected part of <paramref name="payload"/> (an empty object when the point has none).</summary>
    public void Write(Utf8JsonWriter w, JsonObject? payload)
    {
        if (payload is null)
        {
            w.WriteStartObject();
            w.WriteEndObject();
            return;
        }
        Select(payload).WriteTo(w);
    }

    /// <summary>The selected part of <paramref name="payload"/> (the object itself when everything is selected).</summary>
    public JsonObject Select(JsonObject payload) =>
        _include is not null ? PayloadProjection.Include(payload, _include)
        : _exclude is not null ? PayloadProjection.Exclude(payload, _exclude)
        : payload;

    /// <summary>A selector of the given keys (<paramref name="exclude"/>: every key but them); keys are validated.</summary>
    public static PayloadSelector FromKeys(IReadOnlyList<string> keys, bool exclude, string path)
    {
        var parsed = new PayloadKey[keys.Count];
        for (int i = 0; i < parsed.Length; i++) parsed[i] = Key(keys[i], path);
        return exclude ? new PayloadSelector(true, null, parsed) : new PayloadSelector(true, parsed, null);
    }

    private static PayloadKey[] Keys(JsonElement v, string path)
    {
        if (v.ValueKind != JsonValueKind.Array) throw CollectionException.BadJson($"invalid type for `{path}`: expected a list of keys");
        var keys = new PayloadKey[v.GetArrayLength()];
        int i = 0;
        foreach (var k in v.EnumerateArray())
        {
            if (k.ValueKind != JsonValueKind.String) throw CollectionException.BadJson($"invalid type for `{path}`: expected a string key, got {k.GetRawText()}");
            keys[i++] = Key(k.GetString(), path);
        }
        return keys;
    }

    private static PayloadKey Key(string? text, string path) =>
        PayloadKey.TryParse(text, out var key, out var error) ? key : throw CollectionException.WrongInput($"invalid payload key in `{path}`: {error}");
}
