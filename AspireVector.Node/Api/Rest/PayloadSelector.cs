using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Collections;

namespace AspireVector.Node.Api.Rest;

/// <summary>Qdrant's <c>with_payload</c>: true/false, a list of keys, or <c>{"include":[..]}</c> / <c>{"exclude":[..]}</c>.</summary>
public sealed class PayloadSelector
{
    /// <summary>Return the whole payload.</summary>
    public static readonly PayloadSelector All = new(true, null, null);

    /// <summary>Return no payload.</summary>
    public static readonly PayloadSelector None = new(false, null, null);

    private readonly string[]? _include;
    private readonly string[]? _exclude;

    private PayloadSelector(bool enabled, string[]? include, string[]? exclude)
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
        if (_include is null && _exclude is null)
        {
            payload.WriteTo(w);
            return;
        }
        w.WriteStartObject();
        foreach (var (key, value) in payload)
        {
            if (_include is not null)
            {
                foreach (var path in _include)
                {
                    if (path == key)
                    {
                        w.WritePropertyName(key);
                        WriteNode(w, value);
                        break;
                    }
                    if (path.StartsWith(key + ".", StringComparison.Ordinal) && value is JsonObject nested)
                    {
                        // Nested include keeps the enclosing structure with only the selected leaf.
                        w.WritePropertyName(key);
                        new PayloadSelector(true, [path[(key.Length + 1)..]], null).Write(w, nested);
                        break;
                    }
                }
            }
            else if (Array.IndexOf(_exclude!, key) < 0)
            {
                w.WritePropertyName(key);
                WriteNode(w, value);
            }
        }
        w.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter w, JsonNode? node)
    {
        if (node is null) w.WriteNullValue();
        else node.WriteTo(w);
    }

    private static string[] Keys(JsonElement v, string path)
    {
        if (v.ValueKind != JsonValueKind.Array) throw CollectionException.BadJson($"invalid type for `{path}`: expected a list of keys");
        var keys = new string[v.GetArrayLength()];
        int i = 0;
        foreach (var k in v.EnumerateArray())
        {
            if (k.ValueKind != JsonValueKind.String) throw CollectionException.BadJson($"invalid type for `{path}`: expected a string key, got {k.GetRawText()}");
            keys[i++] = k.GetString()!;
        }
        return keys;
    }
}
