using System.Text.Json;
using System.Text.Json.Nodes;

namespace AspireVector.Node.Storage;

/// <summary>
/// Payload objects are parsed once and then treated as immutable, so concurrent readers can share them.
/// JsonNode materialises children lazily (not thread-safe), hence <see cref="Freeze"/> walks the tree once
/// before an object is published.
/// </summary>
public static class PayloadJson
{
    /// <summary>Serializer options for payload bytes (compact, unescaped non-ASCII).</summary>
    public static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses UTF-8 JSON that must hold an object, and freezes it.</summary>
    public static JsonObject Parse(ReadOnlySpan<byte> utf8)
    {
        var node = JsonNode.Parse(utf8) as JsonObject ?? throw new JsonException("payload must be a JSON object");
        Freeze(node);
        return node;
    }

    /// <summary>Deep copy of an element into a frozen object.</summary>
    public static JsonObject FromElement(JsonElement element)
    {
        var node = JsonObject.Create(element.Clone()) ?? throw new JsonException("payload must be a JSON object");
        Freeze(node);
        return node;
    }

    /// <summary>Deep copy of <paramref name="obj"/>, for copy-on-write updates.</summary>
    public static JsonObject Copy(JsonObject obj) => (JsonObject)obj.DeepClone();

    /// <summary>Forces every lazily materialised child of <paramref name="node"/> to exist.</summary>
    public static void Freeze(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var kv in o) Freeze(kv.Value);
                break;
            case JsonArray a:
                foreach (var item in a) Freeze(item);
                break;
            case JsonValue v:
                _ = v.GetValueKind();
                break;
        }
    }
}
