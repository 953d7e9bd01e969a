using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Filters;
using AspireVector.Node.Sharding;
using AspireVector.Node.Storage;

namespace AspireVector.Node.Collections;

public sealed partial class Collection
{
    /// <summary>The payload index types a facet can count values of.</summary>
    public static readonly string[] FacetIndexTypes = ["keyword", "integer", "bool"];

    /// <summary>
    /// Counts the points holding each value of payload key <paramref name="key"/> among those passing
    /// <paramref name="filter"/>: the most frequent first (ties by value), at most <paramref name="limit"/>. The key
    /// needs a keyword, integer or bool payload index, as in Qdrant; only values of the index's type are counted and a
    /// point counts once per distinct value. Counts are always exact.
    /// </summary>
    public async Task<List<FacetHit>> FacetAsync(string key, QueryFilter? filter, int limit, ReadConsistency consistency = default, CancellationToken cancellationToken = default)
    {
        StrictMode.CheckRead(Config, limit, filter);
        string? type = Config.PayloadSchema[key] is JsonObject entry && entry["data_type"] is JsonValue t ? t.GetValue<string>() : null;
        if (type is null || Array.IndexOf(FacetIndexTypes, type) < 0)
            throw new CollectionException(400, $"Bad request: Index required but not found for \"{key}\" of one of the following types: [keyword, integer, bool]. Help: Create an index for this key or use a different filter.");

        var request = new ShardReadRequest { Kind = ShardReadKind.Facet, FacetKey = key, FacetType = type, Filter = filter };
        var totals = new Dictionary<string, long>();
        foreach (var r in await ReadAllShardsAsync(request, consistency, cancellationToken).ConfigureAwait(false))
        {
            foreach (var (value, count) in r.Facets ?? []) totals[value] = totals.GetValueOrDefault(value) + count;
        }

        var hits = new List<FacetHit>(totals.Count);
        foreach (var (value, count) in totals) hits.Add(new FacetHit(value, count));
        hits.Sort((a, b) => b.Count.CompareTo(a.Count) is var c and not 0 ? c : CompareFacetValues(type, a.Value, b.Value));
        if (hits.Count > limit) hits.RemoveRange(limit, hits.Count - limit);
        return hits;
    }

    private static int CompareFacetValues(string type, string a, string b) => type switch
    {
        "integer" => long.Parse(a, System.Globalization.CultureInfo.InvariantCulture).CompareTo(long.Parse(b, System.Globalization.CultureInfo.InvariantCulture)),
        "keyword" => string.CompareOrdinal(JsonSerializer.Deserialize<string>(a), JsonSerializer.Deserialize<string>(b)),
        _ => string.CompareOrdinal(a, b), // "false" < "true"
    };

    /// <summary>Counts the values of the facet key over a local replica's points passing the filter.</summary>
    private static ShardReadResult FacetLocal(Segment segment, ShardReadRequest request)
    {
        var key = PayloadKey.Parse(request.FacetKey!);
        var predicate = request.Filter?.Predicate;
        var counts = new Dictionary<string, long>();
        var values = new List<JsonNode?>();
        var distinct = new HashSet<string>();
        foreach (var id in segment.IdsFrom(null))
        {
            segment.TryGetOffset(id, out int offset);
            var payload = segment.PayloadAt(offset);
            if (payload is null || (predicate is not null && !predicate(id, payload, segment, offset))) continue;
            values.Clear();
            distinct.Clear();
            key.Select(payload, values);
            foreach (var v in values)
            {
                if (v is JsonArray array)
                {
                    foreach (var item in array) Count(item);
                }
                else Count(v);
            }
        }

        return new ShardReadResult([], 0, 0) { Facets = counts };

        void Count(JsonNode? value)
        {
            if (FacetText(request.FacetType!, value) is { } text && distinct.Add(text)) counts[text] = counts.GetValueOrDefault(text) + 1;
        }
    }

    /// <summary>The JSON text of a value the index type counts, or null for a value of another type.</summary>
    private static string? FacetText(string type, JsonNode? value)
    {
        if (value is not JsonValue v) return null;
        return (type, v.GetValueKind()) switch
        {
            ("keyword", JsonValueKind.String) => JsonSerializer.Serialize(v.GetValue<string>(), PayloadJson.Options),
            ("integer", JsonValueKind.Number) when v.TryGetValue(out long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ("bool", JsonValueKind.True) => "true",
            ("bool", JsonValueKind.False) => "false",
            _ => null,
        };
    }
}
