using System.Text.Json.Nodes;
using AspireVector.Node.Filters;

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
                var key = operation.Key is { Length: > 0 } text ? PayloadKey.Parse(text) : null;
                if (operation.Payload is not null) PayloadKey.Set(result, operation.Payload, key);
                PayloadJson.Freeze(result);
                return result;
            }
            case ShardOperationKind.DeletePayload:
            {
                if (current is null) return null;
                var result = PayloadJson.Copy(current);
                foreach (var key in operation.Keys) PayloadKey.Parse(key).Remove(result);
                PayloadJson.Freeze(result);
                return result;
            }
            default:
                return current;
        }
    }
}
