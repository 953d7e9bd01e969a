using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Collections;
using AspireVector.Node.Filters;

namespace AspireVector.Node.Api.Rest;

/// <summary>One group of a <c>*/groups</c> answer: the payload value shared, and the best hits holding it.</summary>
/// <param name="Id">The group's value (a string or an integer) as JSON.</param>
/// <param name="Hits">Its hits, best first.</param>
public sealed record PointGroup(JsonNode Id, List<PointView> Hits)
{
    /// <summary>The point looked up by the group id (<c>with_lookup</c>), if any.</summary>
    public PointView? Lookup { get; set; }
}

/// <summary>
/// Groups ranked hits by a payload value, as Qdrant's group endpoints do: the groups of the <c>limit</c> distinct
/// values met first in rank order, each with its <c>group_size</c> best hits. A point whose value is an array joins
/// the group of each element; points without a string or integer value are skipped.
/// </summary>
public static class PointGroups
{
    /// <summary>
    /// Asks <paramref name="fetch"/> for growing prefixes of the ranking until every group is full or the ranking is
    /// exhausted (at most <paramref name="maxHits"/> hits).
    /// </summary>
    public static async Task<List<PointGroup>> GroupAsync(RankedQuery fetch, PayloadKey key, int groups, int size, int maxHits, CancellationToken cancellationToken)
    {
        int want = (int)Math.Min(maxHits, Math.Max(16L, (long)groups * size * 2));
        while (true)
        {
            var hits = await fetch(want, 0, cancellationToken);
            var found = Group(hits, key, groups, size);
            bool full = found.Count == groups && found.TrueForAll(g => g.Hits.Count == size);
            if (full || hits.Count < want || want >= maxHits) return found;
            want = (int)Math.Min(maxHits, want * 4L);
        }
    }

    private static List<PointGroup> Group(List<PointView> hits, PayloadKey key, int groups, int size)
    {
        var byValue = new Dictionary<string, PointGroup>();
        var ordered = new List<PointGroup>();
        var values = new List<JsonNode?>();
        var seen = new HashSet<string>();
        foreach (var hit in hits)
        {
            if (hit.Payload is null) continue;
            values.Clear();
            seen.Clear();
            key.Select(hit.Payload, values);
            foreach (var v in values)
            {
                if (v is JsonArray array) foreach (var item in array) Add(hit, item);
                else Add(hit, v);
            }
        }

        return ordered;

        void Add(PointView hit, JsonNode? value)
        {
            if (value is not JsonValue v) return;
            var kind = v.GetValueKind();
            if (!(kind == JsonValueKind.String || (kind == JsonValueKind.Number && v.TryGetValue(out long _)))) return;
            string text = v.ToJsonString();
            if (!seen.Add(text)) return;
            if (byValue.TryGetValue(text, out var group))
            {
                if (group.Hits.Count < size) group.Hits.Add(hit);
            }
            else if (ordered.Count < groups)
            {
                group = new PointGroup(v.DeepClone(), [hit]);
                byValue[text] = group;
                ordered.Add(group);
            }
        }
    }
}
