using System.Globalization;
using System.Text.Json;
using AspireVector.Node.Collections;

namespace AspireVector.Node.Sharding;

/// <summary>
/// A user-defined shard key (Qdrant's <c>ShardKey</c>): a keyword or an unsigned integer. <c>"1"</c> and <c>1</c> are
/// different keys, as in Qdrant.
/// </summary>
public readonly record struct ShardKey
{
    private ShardKey(string? keyword, ulong number)
    {
        Keyword = keyword;
        Number = number;
    }

    /// <summary>The keyword, or null for a numeric key.</summary>
    public string? Keyword { get; }

    /// <summary>The number of a numeric key (0 for a keyword).</summary>
    public ulong Number { get; }

    /// <summary>A keyword key.</summary>
    public static ShardKey Of(string keyword) => new(keyword, 0);

    /// <summary>A numeric key.</summary>
    public static ShardKey Of(ulong number) => new(null, number);

    /// <summary>Reads a key (a string or a non-negative integer); 400 naming <paramref name="at"/> otherwise.</summary>
    public static ShardKey Read(JsonElement value, string at) => value.ValueKind switch
    {
        JsonValueKind.String => Of(value.GetString()!),
        JsonValueKind.Number when value.TryGetUInt64(out ulong n) => Of(n),
        _ => throw CollectionException.BadJson($"data did not match any variant of untagged enum ShardKey at `{at}`: expected a string or an unsigned integer, got {value.GetRawText()}"),
    };

    /// <summary>Writes the key as Qdrant does: a JSON string or number.</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        if (Keyword is { } k) w.WriteStringValue(k);
        else w.WriteNumberValue(Number);
    }

    /// <summary>The key as a JSON value (<c>"a"</c> or <c>7</c>), the form cluster commands carry.</summary>
    public string ToJson() => Keyword is { } k ? JsonSerializer.Serialize(k) : Number.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads a key written by <see cref="ToJson"/>.</summary>
    public static ShardKey FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Read(doc.RootElement, "shard_key");
    }

    /// <summary>Qdrant's display form, used in its messages: a keyword in double quotes, a number as is.</summary>
    public override string ToString() => Keyword is { } k ? $"\"{k}\"" : Number.ToString(CultureInfo.InvariantCulture);
}
