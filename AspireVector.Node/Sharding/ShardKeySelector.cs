using System.Text.Json;
using AspireVector.Node.Collections;

namespace AspireVector.Node.Sharding;

/// <summary>
/// Qdrant's <c>ShardKeySelector</c> on a point request: one key, a list of keys, or <c>{"target": .., "fallback": ..}</c>
/// (reads go to the target's shards while they are all readable, else to the fallback's; writes to the target when it
/// exists, else to the fallback).
/// </summary>
public sealed record ShardKeySelector(IReadOnlyList<ShardKey> Keys, ShardKey? Fallback = null)
{
    /// <summary>Reads the <c>shard_key</c> field of <paramref name="body"/>; null when absent or null.</summary>
    public static ShardKeySelector? Read(JsonElement body, string field = "shard_key")
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return Parse(value, field);
    }

    /// <summary>Reads a selector value (see <see cref="Read"/>).</summary>
    public static ShardKeySelector Parse(JsonElement value, string at)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
            {
                var keys = new List<ShardKey>(value.GetArrayLength());
                int i = 0;
                foreach (var k in value.EnumerateArray())
                {
                    var key = ShardKey.Read(k, $"{at}[{i++}]");
                    if (!keys.Contains(key)) keys.Add(key);
                }

                return new ShardKeySelector(keys);
            }

            case JsonValueKind.Object:
                if (!value.TryGetProperty("target", out var target)) throw CollectionException.BadJson($"missing field `target` at `{at}`");
                if (!value.TryGetProperty("fallback", out var fallback)) throw CollectionException.BadJson($"missing field `fallback` at `{at}`");
                return new ShardKeySelector([ShardKey.Read(target, at + ".target")], ShardKey.Read(fallback, at + ".fallback"));

            default:
                return new ShardKeySelector([ShardKey.Read(value, at)]);
        }
    }

    /// <summary>Writes the selector back as Qdrant's JSON (a key, a list, or target/fallback).</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        if (Fallback is { } fallback)
        {
            w.WriteStartObject();
            w.WritePropertyName("target");
            Keys[0].WriteTo(w);
            w.WritePropertyName("fallback");
            fallback.WriteTo(w);
            w.WriteEndObject();
            return;
        }

        if (Keys.Count == 1)
        {
            Keys[0].WriteTo(w);
            return;
        }

        w.WriteStartArray();
        foreach (var k in Keys) k.WriteTo(w);
        w.WriteEndArray();
    }
}
