using System.Text.Json.Nodes;

namespace AspireVector.Node.Filters;

public sealed partial class PayloadKey
{
    /// <summary>
    /// Qdrant's <c>set_payload</c>: merges <paramref name="values"/> into the payload, at the top level when
    /// <paramref name="key"/> is null, or into the object at <paramref name="key"/> (created, or replacing a
    /// non-object, along the way). A null in <paramref name="values"/> removes that key. <c>[i]</c> steps only
    /// descend into existing elements; <c>[]</c> descends into every element of an existing array.
    /// </summary>
    /// <remarks>Values are deep-copied, so <paramref name="values"/> stays usable by the caller.</remarks>
    public static void Set(JsonObject payload, JsonObject values, PayloadKey? key)
    {
        if (key is null) MergeInto(payload, values);
        else key.SetInMap(payload, key.FirstKey, 0, values);
    }

    /// <summary>
    /// Qdrant's <c>delete_payload</c> for one key: removes the value(s) at this path and returns them. Removing an
    /// array element by index (<c>a[0]</c>) is not supported (not idempotent) and removes nothing; <c>a[]</c> empties
    /// the array.
    /// </summary>
    public List<JsonNode?> Remove(JsonObject payload)
    {
        var removed = new List<JsonNode?>();
        if (_rest.Length == 0)
        {
            if (payload.TryGetPropertyValue(FirstKey, out var value))
            {
                payload.Remove(FirstKey);
                removed.Add(value);
            }
        }
        else if (payload.TryGetPropertyValue(FirstKey, out var node) && node is not null)
        {
            RemoveAt(0, node, removed);
        }
        return removed;
    }

    private void SetInMap(JsonObject dest, string name, int step, JsonObject src)
    {
        dest.TryGetPropertyValue(name, out var current);
        var updated = SetInValue(current, step, src);
        if (!ReferenceEquals(updated, current)) dest[name] = updated;
    }

    private JsonNode SetInValue(JsonNode? dest, int step, JsonObject src)
    {
        if (step == _rest.Length)
        {
            var target = dest as JsonObject ?? new JsonObject();
            MergeInto(target, src);
            return target;
        }
        var item = _rest[step];
        switch (item.Kind)
        {
            case PayloadKeyItemKind.Key:
            {
                var obj = dest as JsonObject ?? new JsonObject();
                SetInMap(obj, item.Name!, step + 1, src);
                return obj;
            }
            case PayloadKeyItemKind.Index:
            {
                var arr = dest as JsonArray ?? new JsonArray();
                if (item.Index < arr.Count)
                {
                    var current = arr[item.Index];
                    var updated = SetInValue(current, step + 1, src);
                    if (!ReferenceEquals(updated, current)) arr[item.Index] = updated;
                }
                return arr;
            }
            default:
            {
                if (dest is not JsonArray arr) return new JsonArray();
                for (var i = 0; i < arr.Count; i++)
                {
                    var current = arr[i];
                    var updated = SetInValue(current, step + 1, src);
                    if (!ReferenceEquals(updated, current)) arr[i] = updated;
                }
                return arr;
            }
        }
    }

    private static void MergeInto(JsonObject dest, JsonObject src)
    {
        foreach (var (name, value) in src)
        {
            if (value is null) dest.Remove(name);
            else dest[name] = value.DeepClone();
        }
    }

    private void RemoveAt(int step, JsonNode node, List<JsonNode?> removed)
    {
        var item = _rest[step];
        var last = step == _rest.Length - 1;
        switch (item.Kind)
        {
            case PayloadKeyItemKind.Key when node is JsonObject obj:
                if (!obj.TryGetPropertyValue(item.Name!, out var child)) return;
                if (last)
                {
                    obj.Remove(item.Name!);
                    removed.Add(child);
                }
                else if (child is not null) RemoveAt(step + 1, child, removed);
                break;
            case PayloadKeyItemKind.Index when node is JsonArray arr:
                // Deleting by index is not idempotent (a replayed WAL entry would delete a second element).
                if (!last && item.Index < arr.Count && arr[item.Index] is { } indexed) RemoveAt(step + 1, indexed, removed);
                break;
            case PayloadKeyItemKind.Wildcard when node is JsonArray arr:
                if (last)
                {
                    var elements = new JsonNode?[arr.Count];
                    for (var i = 0; i < elements.Length; i++) elements[i] = arr[i];
                    arr.Clear();
                    removed.Add(new JsonArray(elements));
                }
                else
                {
                    foreach (var element in arr)
                        if (element is not null) RemoveAt(step + 1, element, removed);
                }
                break;
        }
    }
}
