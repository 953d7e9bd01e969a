using System.Text.Json.Nodes;

namespace AspireVector.Node.Filters;

/// <summary>
/// Qdrant's <c>with_payload</c> include/exclude lists applied to a payload. Paths walk objects by key and arrays
/// through <c>[]</c> (an <c>[i]</c> pattern never matches an element, as in Qdrant).
/// </summary>
public static class PayloadProjection
{
    /// <summary>A copy of <paramref name="payload"/> keeping only values on the paths of <paramref name="include"/>.</summary>
    public static JsonObject Include(JsonObject payload, IReadOnlyList<PayloadKey> include) =>
        Project(payload, (first, path) =>
        {
            foreach (var pattern in include)
                if (pattern.IncludesPath(first, path)) return true;
            return false;
        });

    /// <summary>A copy of <paramref name="payload"/> without the values under the paths of <paramref name="exclude"/>.</summary>
    public static JsonObject Exclude(JsonObject payload, IReadOnlyList<PayloadKey> exclude) =>
        Project(payload, (first, path) =>
        {
            foreach (var pattern in exclude)
                if (pattern.ExcludesPath(first, path)) return false;
            return true;
        });

    private static JsonObject Project(JsonObject payload, Func<string, List<PayloadKeyItem>, bool> keep)
    {
        var result = new JsonObject();
        var path = new List<PayloadKeyItem>();
        foreach (var (name, value) in payload)
        {
            if (!keep(name, path)) continue;
            result[name] = Copy(name, path, value, keep);
        }
        return result;
    }

    private static JsonNode? Copy(string first, List<PayloadKeyItem> path, JsonNode? value, Func<string, List<PayloadKeyItem>, bool> keep)
    {
        switch (value)
        {
            case JsonArray array:
            {
                var copy = new JsonArray();
                path.Add(PayloadKeyItem.Wildcard);
                foreach (var element in array)
                    if (keep(first, path)) copy.Add(Copy(first, path, element, keep));
                path.RemoveAt(path.Count - 1);
                return copy;
            }
            case JsonObject obj:
            {
                var copy = new JsonObject();
                foreach (var (name, child) in obj)
                {
                    path.Add(PayloadKeyItem.Key(name));
                    if (keep(first, path)) copy[name] = Copy(first, path, child, keep);
                    path.RemoveAt(path.Count - 1);
                }
                return copy;
            }
            default:
                return value?.DeepClone();
        }
    }
}
