using System.Text.Json.Nodes;

namespace AspireVector.Node.Storage;

/// <summary>Computes the new payload of a point for the payload operations (copy-on-write).</summary>
internal static class PayloadUpdate
{
    /// <summary>Returns the payload after applying <paramref name="operation"/> to <paramref name="current"/>.</summary>
    public static JsonObject? Apply(ShardOperation operation, JsonObject? current)
    {
        switch (operation.Kind)
        {
            case ShardOperationKind.ClearPayload:
                return null;
            case ShardOperationKind.OverwritePayload:
                return operation.Payload is null ? null : PayloadJson.Copy(operation.Payload);
            case ShardOperationKind.SetPayload:
            {
                var result = current is null ? [] : PayloadJson.Copy(current);
                var target = result;
                if (operation.Key is { Length: > 0 } key)
                {
                    // Nested set: walk (and create) the objects along the dotted key.
                    foreach (var part in key.Split('.'))
                    {
                        if (target[part] is not JsonObject child)
                        {
                            child = [];
                            target[part] = child;
                        }
                        target = child;
                    }
                }
                if (operation.Payload is not null)
                {
                    foreach (var (k, v) in operation.Payload) target[k] = v?.DeepClone();
                }
                PayloadJson.Freeze(result);
                return result;
            }
            case ShardOperationKind.DeletePayload:
            {
                if (current is null) return null;
                var result = PayloadJson.Copy(current);
                foreach (var key in operation.Keys) RemovePath(result, key);
                PayloadJson.Freeze(result);
                return result;
            }
            default:
                return current;
        }
    }

    private static void RemovePath(JsonObject root, string path)
    {
        if (root.Remove(path)) return;
        var parts = path.Split('.');
        JsonObject? node = root;
        for (int i = 0; i < parts.Length - 1 && node is not null; i++) node = node[parts[i]] as JsonObject;
        node?.Remove(parts[^1]);
    }
}
