using System.Text.Json.Nodes;

namespace AspireVector.Dashboard.Api;

/// <summary>One body of <c>POST /collections/{name}/cluster</c> (Qdrant's <c>ClusterOperations</c>).</summary>
/// <param name="Kind">Which operation.</param>
/// <param name="ShardId">Shard concerned.</param>
/// <param name="FromPeerId">Source peer; for <see cref="ClusterOperationKind.DropReplica"/> the peer losing the replica.</param>
/// <param name="ToPeerId">Destination peer; unused by <see cref="ClusterOperationKind.DropReplica"/>.</param>
/// <param name="Method">Transfer method for move/replicate; null lets the node choose.</param>
public sealed record ClusterOperation(ClusterOperationKind Kind, uint ShardId, ulong FromPeerId, ulong ToPeerId, string? Method)
{
    /// <summary>Transfer methods of Qdrant's <c>ShardTransferMethod</c> an operator may pick.</summary>
    public static IReadOnlyList<string> TransferMethods { get; } = ["stream_records", "snapshot", "wal_delta"];

    /// <summary>Moves a shard replica from one peer to another.</summary>
    public static ClusterOperation Move(uint shardId, ulong from, ulong to, string? method = null) => new(ClusterOperationKind.MoveShard, shardId, from, to, method);

    /// <summary>Copies a shard replica to another peer.</summary>
    public static ClusterOperation Replicate(uint shardId, ulong from, ulong to, string? method = null) => new(ClusterOperationKind.ReplicateShard, shardId, from, to, method);

    /// <summary>Aborts a transfer in flight.</summary>
    public static ClusterOperation Abort(uint shardId, ulong from, ulong to) => new(ClusterOperationKind.AbortTransfer, shardId, from, to, null);

    /// <summary>Removes the replica of a shard held by a peer.</summary>
    public static ClusterOperation Drop(uint shardId, ulong peerId) => new(ClusterOperationKind.DropReplica, shardId, peerId, 0, null);

    /// <summary>The JSON body, e.g. <c>{"move_shard":{"shard_id":0,"from_peer_id":1,"to_peer_id":2}}</c>.</summary>
    public JsonObject ToRequestBody()
    {
        var inner = new JsonObject { ["shard_id"] = ShardId };
        switch (Kind)
        {
            case ClusterOperationKind.DropReplica:
                inner["peer_id"] = FromPeerId;
                break;
            default:
                inner["from_peer_id"] = FromPeerId;
                inner["to_peer_id"] = ToPeerId;
                if (Method is not null && Kind != ClusterOperationKind.AbortTransfer)
                {
                    inner["method"] = Method;
                }

                break;
        }

        return new JsonObject { [WireName] = inner };
    }

    /// <summary>The operation's JSON name (<c>move_shard</c>, ...).</summary>
    public string WireName => Kind switch
    {
        ClusterOperationKind.MoveShard => "move_shard",
        ClusterOperationKind.ReplicateShard => "replicate_shard",
        ClusterOperationKind.AbortTransfer => "abort_transfer",
        ClusterOperationKind.DropReplica => "drop_replica",
        _ => throw new InvalidOperationException($"Unknown operation {Kind}."),
    };

    /// <summary>One sentence for the confirmation dialog.</summary>
    public string Describe(string collection) => Kind switch
    {
        ClusterOperationKind.MoveShard => $"Move shard {ShardId} of '{collection}' from peer {FromPeerId} to peer {ToPeerId}{MethodText}?",
        ClusterOperationKind.ReplicateShard => $"Replicate shard {ShardId} of '{collection}' from peer {FromPeerId} to peer {ToPeerId}{MethodText}?",
        ClusterOperationKind.AbortTransfer => $"Abort the transfer of shard {ShardId} of '{collection}' from peer {FromPeerId} to peer {ToPeerId}?",
        ClusterOperationKind.DropReplica => $"Drop the replica of shard {ShardId} of '{collection}' held by peer {FromPeerId}?",
        _ => WireName,
    };

    private string MethodText => Method is null ? "" : $" using {Method}";
}
