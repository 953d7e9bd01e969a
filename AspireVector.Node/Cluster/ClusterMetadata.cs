using System.Text.Json;
using AspireVector.Node.Collections;
using AspireVector.Node.Consensus;

namespace AspireVector.Node.Cluster;

/// <summary>
/// The Raft state machine of a cluster-mode node: peers, collections, shard placement, replica states and
/// transfers. Commands are validated here, deterministically, so every peer accepts or refuses the same ones.
/// </summary>
/// <remarks>
/// Mutated only from the consensus loop. Readers get <see cref="Current"/>, an immutable copy published after
/// every change, so routing never takes a lock. <see cref="Changed"/> runs on the loop after each change, which
/// is where local storage follows the metadata.
/// </remarks>
public sealed class ClusterMetadata : IRaftStateMachine
{
    private const int MaxRecentRequests = 1024;
    private ClusterStateData _state = new();
    private volatile ClusterStateData _published = new();
    private ulong _appliedIndex;

    /// <summary>Raised on the consensus loop after a command was applied or a snapshot restored.</summary>
    public event Action<ClusterStateData, ulong>? Changed;

    /// <summary>An immutable copy of the state as of the last applied command. Do not mutate.</summary>
    public ClusterStateData Current => _published;

    /// <summary>Index of the last applied entry.</summary>
    public ulong AppliedIndex => Volatile.Read(ref _appliedIndex);

    /// <inheritdoc />
    public Task ApplyAsync(ulong index, ReadOnlyMemory<byte> command, CancellationToken cancellationToken)
    {
        var decoded = ClusterCommand.Decode(command.Span);
        try
        {
            _state.AppliedIndex = index;
            if (_state.RecentRequests.Contains(decoded.RequestId)) return Task.CompletedTask; // a re-proposal already applied
            Apply(_state, decoded, index);
            TouchShards(_state, decoded, index);
            _state.RecentRequests.Add(decoded.RequestId);
            if (_state.RecentRequests.Count > MaxRecentRequests) _state.RecentRequests.RemoveRange(0, _state.RecentRequests.Count - MaxRecentRequests);
        }
        finally
        {
            Publish(index);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<byte[]> SnapshotAsync(CancellationToken cancellationToken) =>
        Task.FromResult(JsonSerializer.SerializeToUtf8Bytes(_state, ClusterCommand.Json));

    /// <inheritdoc />
    public Task RestoreAsync(byte[] image, CancellationToken cancellationToken)
    {
        _state = JsonSerializer.Deserialize<ClusterStateData>(image, ClusterCommand.Json) ?? new ClusterStateData();
        Publish(_state.AppliedIndex);
        return Task.CompletedTask;
    }

    private void Publish(ulong index)
    {
        Volatile.Write(ref _appliedIndex, index);
        var copy = JsonSerializer.Deserialize<ClusterStateData>(JsonSerializer.SerializeToUtf8Bytes(_state, ClusterCommand.Json), ClusterCommand.Json)!;
        _published = copy;
        Changed?.Invoke(copy, _appliedIndex);
    }

    /// <summary>Applies <paramref name="command"/> to <paramref name="state"/>; throws (changing nothing) when it is refused.</summary>
    internal static void Apply(ClusterStateData state, ClusterCommand command, ulong index)
    {
        switch (command)
        {
            case AddPeerCommand add:
                if (state.RemovedPeers.Contains(add.PeerId)) throw new CollectionException(400, $"Bad request: Peer {add.PeerId} was removed from the cluster and cannot rejoin with the same id");
                state.Peers[add.PeerId] = add.Uri;
                if (state.FirstPeerId == 0) state.FirstPeerId = add.PeerId;
                break;
            case RemovePeerCommand remove:
                RemovePeer(state, remove);
                break;
            case CreateCollectionCommand create:
                if (state.Collections.ContainsKey(create.Name)) throw CollectionException.AlreadyExists(create.Name);
                AliasMap.EnsureNotAlias(state.Aliases, create.Name);
                state.Collections[create.Name] = new CollectionState { Config = create.Config, CreatedIndex = index, Shards = create.Shards };
                break;
            case DeleteCollectionCommand delete:
                if (!state.Collections.Remove(delete.Name)) throw CollectionException.NotFound(delete.Name);
                AliasMap.RemoveCollection(state.Aliases, delete.Name);
                break;
            case UpdateCollectionCommand update:
            {
                // The shard keys are the current ones, whatever the config the change was computed from had.
                var c = Collection(state, update.Name);
                var updated = ParseConfig(update.Config).WithShardingOf(ParseConfig(c.Config));
                c.Config = System.Text.Encoding.UTF8.GetString(updated.ToPersistedJson());
                break;
            }
            case SetReplicaStateCommand set:
                SetReplicaState(state, set);
                break;
            case RemoveReplicaCommand drop:
                RemoveReplica(Collection(state, drop.Collection), drop.ShardId, drop.PeerId, drop.Collection);
                break;
            case StartTransferCommand start:
                StartTransfer(state, start);
                break;
            case FinishTransferCommand finish:
                FinishTransfer(state, finish);
                break;
            case AbortTransferCommand abort:
                AbortTransfer(state, abort);
                break;
            case UpdateAliasesCommand aliases:
                state.Aliases = AliasMap.Apply(state.Aliases, state.Collections.ContainsKey, aliases.Actions);
                break;
            case CreateShardKeyCommand create:
                CreateShardKey(state, create);
                break;
            case DropShardKeyCommand drop:
                DropShardKey(state, drop);
                break;
        }
    }

    /// <summary>Records which shards' replicas a command may have changed, for the coordinators' staleness check.</summary>
    private static void TouchShards(ClusterStateData state, ClusterCommand command, ulong index)
    {
        (string? name, uint? shard) = command switch
        {
            CreateCollectionCommand c => (c.Name, null),
            SetReplicaStateCommand c => (c.Collection, c.ShardId),
            RemoveReplicaCommand c => (c.Collection, c.ShardId),
            StartTransferCommand c => (c.Collection, c.Transfer.ShardId),
            FinishTransferCommand c => (c.Collection, c.ShardId),
            AbortTransferCommand c => (c.Collection, c.ShardId),
            CreateShardKeyCommand c => (c.Collection, null),
            _ => ((string?)null, (uint?)null),
        };
        if (command is RemovePeerCommand)
        {
            foreach (var c in state.Collections.Values) foreach (var id in c.Shards.Keys) c.ShardsChangedAt[id] = index;
            return;
        }

        if (name is null || !state.Collections.TryGetValue(name, out var collection)) return;
        if (shard is { } one) collection.ShardsChangedAt[one] = index;
        else foreach (var id in collection.Shards.Keys) collection.ShardsChangedAt[id] = index;
    }

    /// <summary>Adds a shard key's shards and records the key in the collection's config (refused when it exists or shard ids are taken).</summary>
    private static void CreateShardKey(ClusterStateData state, CreateShardKeyCommand create)
    {
        var c = Collection(state, create.Collection);
        var key = Sharding.ShardKey.FromJson(create.Key);
        var config = ParseConfig(c.Config);
        new CreateShardKeyRequest(key, null, null, null, null).Validate(config, create.Collection);
        foreach (var shardId in create.Shards.Keys)
        {
            if (c.Shards.ContainsKey(shardId) || config.ShardIds.Contains(shardId))
                throw new CollectionException(400, $"Bad request: Shard {shardId} of collection `{create.Collection}` already exists");
        }

        c.Config = System.Text.Encoding.UTF8.GetString(config.WithShardKey(key, [.. create.Shards.Keys]).ToPersistedJson());
        foreach (var (shardId, replicas) in create.Shards) c.Shards[shardId] = new SortedDictionary<ulong, ReplicaState>(replicas);
    }

    /// <summary>Removes a shard key, its shards and their transfers.</summary>
    private static void DropShardKey(ClusterStateData state, DropShardKeyCommand drop)
    {
        var c = Collection(state, drop.Collection);
        var key = Sharding.ShardKey.FromJson(drop.Key);
        var config = ParseConfig(c.Config);
        if (!config.IsCustomSharding) throw CreateShardKeyRequest.AutoSharded(key, create: false);
        var shards = config.ShardsOf(key) ?? throw CreateShardKeyRequest.Missing(key, drop.Collection);
        c.Config = System.Text.Encoding.UTF8.GetString(config.WithoutShardKey(key).ToPersistedJson());
        foreach (var shardId in shards)
        {
            c.Shards.Remove(shardId);
            c.ShardsChangedAt.Remove(shardId);
        }

        c.Transfers.RemoveAll(t => shards.Contains(t.ShardId));
    }

    private static CollectionConfig ParseConfig(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return CollectionConfig.FromCreateRequest(doc.RootElement);
    }

    private static CollectionState Collection(ClusterStateData state, string name) =>
        state.Collections.TryGetValue(name, out var c) ? c : throw CollectionException.NotFound(name);

    private static SortedDictionary<ulong, ReplicaState> Shard(CollectionState c, uint shardId, string name) =>
        c.Shards.TryGetValue(shardId, out var replicas) ? replicas : throw new CollectionException(400, $"Wrong input: Shard {shardId} of collection `{name}` does not exist");

    private static void RemovePeer(ClusterStateData state, RemovePeerCommand remove)
    {
        if (!remove.Force)
        {
            foreach (var (name, c) in state.Collections)
            {
                foreach (var (shardId, replicas) in c.Shards)
                {
                    if (replicas.ContainsKey(remove.PeerId))
                        throw new CollectionException(400, $"Bad request: Cannot remove peer {remove.PeerId} as there are shards on it (shard {shardId} of collection `{name}`); move them away first or use force");
                }
            }
        }

        foreach (var c in state.Collections.Values)
        {
            foreach (var replicas in c.Shards.Values) replicas.Remove(remove.PeerId);
            c.Transfers.RemoveAll(t => t.From == remove.PeerId || t.To == remove.PeerId);
        }

        state.Peers.Remove(remove.PeerId);
        state.RemovedPeers.Add(remove.PeerId);
    }

    private static void SetReplicaState(ClusterStateData state, SetReplicaStateCommand set)
    {
        var replicas = Shard(Collection(state, set.Collection), set.ShardId, set.Collection);
        if (set.From is { } from && (!replicas.TryGetValue(set.PeerId, out var current) || current != from)) return;
        if (set.State == ReplicaState.Dead && !replicas.ContainsKey(set.PeerId)) return; // moved or dropped meanwhile
        if (set.From is null && !replicas.ContainsKey(set.PeerId) && !state.Peers.ContainsKey(set.PeerId))
            throw new CollectionException(400, $"Bad request: Peer {set.PeerId} is not part of the cluster");
        replicas[set.PeerId] = set.State;
        if (set.State == ReplicaState.Dead)
        {
            // A transfer from or to a replica that missed writes cannot complete correctly: abort it; its receiver keeps
            // no partial data it could later serve.
            var c = state.Collections[set.Collection];
            foreach (var t in c.Transfers.FindAll(t => t.ShardId == set.ShardId && (t.From == set.PeerId || t.To == set.PeerId)))
            {
                c.Transfers.Remove(t);
                if (replicas.TryGetValue(t.To, out var to) && to == ReplicaState.Partial) replicas[t.To] = ReplicaState.Dead;
            }
        }
    }

    private static void RemoveReplica(CollectionState c, uint shardId, ulong peerId, string name)
    {
        var replicas = Shard(c, shardId, name);
        if (!replicas.TryGetValue(peerId, out var state))
            throw new CollectionException(400, $"Bad request: Shard {shardId} of collection `{name}` has no replica on peer {peerId}");
        if (state == ReplicaState.Active && replicas.Count(r => r.Value == ReplicaState.Active) <= 1)
            throw new CollectionException(400, $"Bad request: Cannot drop the last active replica of shard {shardId} of collection `{name}`");
        replicas.Remove(peerId);
        c.Transfers.RemoveAll(t => t.ShardId == shardId && (t.From == peerId || t.To == peerId));
    }

    private static void StartTransfer(ClusterStateData state, StartTransferCommand start)
    {
        var c = Collection(state, start.Collection);
        var t = start.Transfer;
        var replicas = Shard(c, t.ShardId, start.Collection);
        if (!state.Peers.ContainsKey(t.To)) throw new CollectionException(400, $"Bad request: Peer {t.To} is not part of the cluster");
        if (!replicas.TryGetValue(t.From, out var fromState) || fromState != ReplicaState.Active)
            throw new CollectionException(400, $"Bad request: Shard {t.ShardId} has no active replica on peer {t.From}");
        if (replicas.TryGetValue(t.To, out var toState) && toState is not ReplicaState.Dead)
            throw new CollectionException(400, $"Bad request: Shard {t.ShardId} already has a replica on peer {t.To}");
        if (c.Transfers.Any(x => x.ShardId == t.ShardId))
            throw new CollectionException(400, $"Bad request: Shard {t.ShardId} is already being transferred");
        replicas[t.To] = ReplicaState.Partial;
        c.Transfers.Add(t);
    }

    private static void FinishTransfer(ClusterStateData state, FinishTransferCommand finish)
    {
        var c = Collection(state, finish.Collection);
        var t = c.Transfers.Find(x => x.ShardId == finish.ShardId && x.From == finish.From && x.To == finish.To)
            ?? throw new CollectionException(400, $"Bad request: No transfer of shard {finish.ShardId} from {finish.From} to {finish.To}");
        var replicas = Shard(c, t.ShardId, finish.Collection);
        if (!replicas.TryGetValue(t.From, out var source) || source != ReplicaState.Active)
            throw new CollectionException(400, $"Bad request: the source of the transfer of shard {t.ShardId} (peer {t.From}) is no longer active");
        c.Transfers.Remove(t);
        replicas[t.To] = ReplicaState.Active;
        if (!t.Sync) replicas.Remove(t.From);
    }

    private static void AbortTransfer(ClusterStateData state, AbortTransferCommand abort)
    {
        var c = Collection(state, abort.Collection);
        var t = c.Transfers.Find(x => x.ShardId == abort.ShardId && x.From == abort.From && x.To == abort.To)
            ?? throw new CollectionException(400, $"Bad request: No transfer of shard {abort.ShardId} from {abort.From} to {abort.To}");
        c.Transfers.Remove(t);
        var replicas = Shard(c, t.ShardId, abort.Collection);
        if (replicas.TryGetValue(t.To, out var s) && s == ReplicaState.Partial) replicas.Remove(t.To);
    }
}
