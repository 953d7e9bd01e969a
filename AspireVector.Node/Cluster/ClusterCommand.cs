using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspireVector.Node.Cluster;

/// <summary>One change to the cluster metadata, proposed through Raft and applied on every peer in log order.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op")]
[JsonDerivedType(typeof(AddPeerCommand), "add_peer")]
[JsonDerivedType(typeof(RemovePeerCommand), "remove_peer")]
[JsonDerivedType(typeof(CreateCollectionCommand), "create_collection")]
[JsonDerivedType(typeof(DeleteCollectionCommand), "delete_collection")]
[JsonDerivedType(typeof(UpdateCollectionCommand), "update_collection")]
[JsonDerivedType(typeof(SetReplicaStateCommand), "set_replica_state")]
[JsonDerivedType(typeof(RemoveReplicaCommand), "remove_replica")]
[JsonDerivedType(typeof(StartTransferCommand), "start_transfer")]
[JsonDerivedType(typeof(FinishTransferCommand), "finish_transfer")]
[JsonDerivedType(typeof(AbortTransferCommand), "abort_transfer")]
[JsonDerivedType(typeof(UpdateAliasesCommand), "update_aliases")]
[JsonDerivedType(typeof(CreateShardKeyCommand), "create_shard_key")]
[JsonDerivedType(typeof(DropShardKeyCommand), "drop_shard_key")]
public abstract record ClusterCommand
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Unique per client request, so a command proposed again (after a leader change) is applied once.</summary>
    public Guid RequestId { get; init; } = Guid.NewGuid();

    /// <summary>The command as the bytes a Raft entry carries.</summary>
    public byte[] Encode() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Reads a command written by <see cref="Encode"/>.</summary>
    public static ClusterCommand Decode(ReadOnlySpan<byte> data) =>
        JsonSerializer.Deserialize<ClusterCommand>(data, Json) ?? throw new JsonException("empty cluster command");
}

/// <summary>Adds a peer, or changes the uri of a known one.</summary>
public sealed record AddPeerCommand(ulong PeerId, string Uri) : ClusterCommand;

/// <summary>Forgets a peer (its Raft membership is removed separately); with force, drops its replicas too.</summary>
public sealed record RemovePeerCommand(ulong PeerId, bool Force) : ClusterCommand;

/// <summary>Creates a collection with its config (persisted JSON) and placement.</summary>
public sealed record CreateCollectionCommand(string Name, string Config, SortedDictionary<uint, SortedDictionary<ulong, ReplicaState>> Shards) : ClusterCommand;

/// <summary>Deletes a collection everywhere.</summary>
public sealed record DeleteCollectionCommand(string Name) : ClusterCommand;

/// <summary>Replaces a collection's config (persisted JSON).</summary>
public sealed record UpdateCollectionCommand(string Name, string Config) : ClusterCommand;

/// <summary>Sets (or adds) the replica of <c>ShardId</c> on <c>PeerId</c>; when <c>From</c> is set, only if it is in that state.</summary>
public sealed record SetReplicaStateCommand(string Collection, uint ShardId, ulong PeerId, ReplicaState State, ReplicaState? From = null) : ClusterCommand;

/// <summary>Removes the replica of <c>ShardId</c> on <c>PeerId</c> (refused for the last active replica).</summary>
public sealed record RemoveReplicaCommand(string Collection, uint ShardId, ulong PeerId) : ClusterCommand;

/// <summary>Starts a transfer: the receiver gets a <see cref="ReplicaState.Partial"/> replica.</summary>
public sealed record StartTransferCommand(string Collection, ShardTransferInfo Transfer) : ClusterCommand;

/// <summary>Completes a transfer: the receiver becomes active; a move also drops the sender's replica.</summary>
public sealed record FinishTransferCommand(string Collection, uint ShardId, ulong From, ulong To) : ClusterCommand;

/// <summary>Aborts a transfer: the receiver's partial replica is removed.</summary>
public sealed record AbortTransferCommand(string Collection, uint ShardId, ulong From, ulong To, string Reason) : ClusterCommand;

/// <summary>Applies alias changes as a whole (all or none, <see cref="Collections.AliasMap.Apply"/>).</summary>
public sealed record UpdateAliasesCommand(List<Collections.AliasAction> Actions) : ClusterCommand;

/// <summary>Adds shard key <c>Key</c> (its JSON form, see <see cref="Sharding.ShardKey.ToJson"/>) to a custom-sharded collection, with its shards' placement.</summary>
public sealed record CreateShardKeyCommand(string Collection, string Key, SortedDictionary<uint, SortedDictionary<ulong, ReplicaState>> Shards) : ClusterCommand;

/// <summary>Removes shard key <c>Key</c> of a collection with its shards (every peer deletes its replicas of them).</summary>
public sealed record DropShardKeyCommand(string Collection, string Key) : ClusterCommand;
