using System.Text.Json;
using System.Text.Json.Nodes;

namespace AspireVector.Node.Collections;

public sealed partial class CollectionConfig
{
    /// <summary><c>strict_mode_config</c> as given (null when never given: strict mode off).</summary>
    public StrictModeConfig? StrictMode { get; private set; }

    /// <summary>
    /// <c>metadata</c>: the collection's free JSON object (application data: model names, migration marks, ...), or null.
    /// </summary>
    public JsonObject? Metadata { get; private set; }

    private static JsonObject? ReadMetadata(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Object => (JsonObject)JsonNode.Parse(json.GetRawText())!,
        _ => throw CollectionException.BadJson($"invalid type for `metadata`: expected a map, got {json.GetRawText()}"),
    };

    /// <summary>
    /// PATCH <c>metadata</c>, as Qdrant does: the keys given replace the stored ones and the others stay; an empty object
    /// removes all metadata; null leaves it unchanged.
    /// </summary>
    private void MergeMetadata(JsonElement json)
    {
        var update = ReadMetadata(json);
        if (update is null) return;
        if (update.Count == 0)
        {
            Metadata = null;
            return;
        }

        var merged = Metadata is null ? [] : (JsonObject)Metadata.DeepClone();
        foreach (var (key, value) in update) merged[key] = value?.DeepClone();
        Metadata = merged;
    }

    private void WriteStrictModeAndMetadata(Utf8JsonWriter w)
    {
        if (StrictMode is not null)
        {
            w.WritePropertyName("strict_mode_config");
            StrictMode.WriteTo(w);
        }

        if (Metadata is not null)
        {
            w.WritePropertyName("metadata");
            Metadata.WriteTo(w);
        }
    }
}
