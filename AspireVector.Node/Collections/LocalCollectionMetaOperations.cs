using System.Text.Json;

namespace AspireVector.Node.Collections;

/// <summary>Single-node mode: collection changes apply to this node's <see cref="TableOfContents"/> at once.</summary>
public sealed class LocalCollectionMetaOperations(TableOfContents toc) : ICollectionMetaOperations
{
    /// <inheritdoc />
    public Task CreateAsync(string name, CollectionConfig config, JsonElement body, CancellationToken cancellationToken)
    {
        CollectionDefaults.Apply(config, body, toc.Options.Storage);
        toc.Create(name, config);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => Task.FromResult(toc.Delete(name));

    /// <inheritdoc />
    public Task UpdateConfigAsync(string name, Func<CollectionConfig, CollectionConfig> change, CancellationToken cancellationToken)
    {
        toc.UpdateConfig(name, change);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task CreateShardKeyAsync(string name, CreateShardKeyRequest request, CancellationToken cancellationToken)
    {
        // A single node has no peers to place replicas on: any peer named is unknown.
        if (request.Placement is { Count: > 0 } placement)
            throw new CollectionException(400, $"Bad request: Shard Key {request.Key} placement contains unknown peers: [{string.Join(", ", placement)}]");
        toc.CreateShardKey(name, request);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DropShardKeyAsync(string name, Sharding.ShardKey key, CancellationToken cancellationToken)
    {
        toc.DropShardKey(name, key);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UpdateAliasesAsync(IReadOnlyList<AliasAction> actions, CancellationToken cancellationToken)
    {
        toc.UpdateAliases(actions);
        return Task.CompletedTask;
    }
}
