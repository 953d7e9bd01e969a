using System.Text.Json.Nodes;
using AspireVector.Node.Collections;
using AspireVector.Node.Sharding;
using Q = Qdrant.Client.Grpc;

namespace AspireVector.Node.Api.Grpc;

/// <summary>Shard keys and selectors of Qdrant's gRPC messages, as REST's types.</summary>
public static class GrpcShardKeys
{
    /// <summary>A gRPC shard key; 400 when it is empty.</summary>
    public static ShardKey Key(Q.ShardKey? key, string at) => key?.KeyCase switch
    {
        Q.ShardKey.KeyOneofCase.Keyword => ShardKey.Of(key.Keyword),
        Q.ShardKey.KeyOneofCase.Number => ShardKey.Of(key.Number),
        _ => throw CollectionException.BadJson($"missing field `{at}` (expected a keyword or a number)"),
    };

    /// <summary>The gRPC form of <paramref name="key"/>.</summary>
    public static Q.ShardKey ToGrpc(ShardKey key) => key.Keyword is { } k ? new Q.ShardKey { Keyword = k } : new Q.ShardKey { Number = key.Number };

    /// <summary>A selector (null when absent or naming no key).</summary>
    public static ShardKeySelector? Selector(Q.ShardKeySelector? selector)
    {
        if (selector is null || selector.ShardKeys.Count == 0) return null;
        var keys = new List<ShardKey>(selector.ShardKeys.Count);
        foreach (var k in selector.ShardKeys)
        {
            var key = Key(k, "shard_key_selector.shard_keys");
            if (!keys.Contains(key)) keys.Add(key);
        }

        return selector.Fallback is { } fallback ? new ShardKeySelector([keys[0]], Key(fallback, "shard_key_selector.fallback")) : new ShardKeySelector(keys);
    }

    /// <summary>Routes what follows in the calling method on <paramref name="collection"/> by <paramref name="selector"/> (see <see cref="ShardKeyScope"/>).</summary>
    public static ShardKeyScope.Restore Enter(Collection collection, Q.ShardKeySelector? selector) => ShardKeyScope.Enter(collection.Name, Selector(selector));

    /// <summary>The selector as REST's <c>shard_key</c> value, for requests converted to REST bodies; null when absent.</summary>
    public static JsonNode? Json(Q.ShardKeySelector? selector)
    {
        if (Selector(selector) is not { } s) return null;
        using var buffer = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer)) s.WriteTo(w);
        return JsonNode.Parse(buffer.ToArray());
    }
}
