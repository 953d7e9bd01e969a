using System.Text.Json;
using AspireVector.Node.Cluster;
using AspireVector.Node.Collections;

namespace AspireVector.Node.Api.Rest;

/// <summary>The operations of <c>POST /collections/{name}/cluster</c>: move, replicate, abort, drop.</summary>
public static class ClusterOperations
{
    private const string StreamRecords = "stream_records";

    /// <summary>Validates and runs one operation; 400 names what is wrong.</summary>
    public static async Task RunAsync(string name, JsonElement body, ClusterNode node, ClusterCollections cluster, CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object) throw CollectionException.BadJson("expected a JSON object as the request body");
        var state = node.Metadata.Current;
        if (body.TryGetProperty("move_shard", out var move)) await TransferAsync(name, move, sync: false, "move_shard", state, cluster, cancellationToken);
        else if (body.TryGetProperty("replicate_shard", out var replicate)) await TransferAsync(name, replicate, sync: true, "replicate_shard", state, cluster, cancellationToken);
        else if (body.TryGetProperty("abort_transfer", out var abort))
        {
            uint shard = Shard(abort, "abort_transfer");
            ulong from = Peer(abort, "from_peer_id", "abort_transfer");
            ulong to = Peer(abort, "to_peer_id", "abort_transfer");
            await node.ProposeAsync(new AbortTransferCommand(name, shard, from, to, "aborted by request"), cancellationToken);
        }
        else if (body.TryGetProperty("drop_replica", out var drop))
        {
            uint shard = Shard(drop, "drop_replica");
            ulong peer = Peer(drop, "peer_id", "drop_replica");
            await node.ProposeAsync(new RemoveReplicaCommand(name, shard, peer), cancellationToken);
        }
        else
        {
            throw CollectionException.BadJson("expected one of `move_shard`, `replicate_shard`, `abort_transfer`, `drop_replica`");
        }
    }

    private static async Task TransferAsync(string name, JsonElement op, bool sync, string what, ClusterStateData state, ClusterCollections cluster, CancellationToken cancellationToken)
    {
        uint shard = Shard(op, what);
        ulong from = Peer(op, "from_peer_id", what);
        ulong to = Peer(op, "to_peer_id", what);
        string method = cluster.DefaultTransferMethod;
        if (op.TryGetProperty("method", out var m) && m.ValueKind != JsonValueKind.Null)
        {
            method = m.ValueKind == JsonValueKind.String ? m.GetString()! : throw CollectionException.BadJson($"invalid type for `{what}.method`: expected a string");
            if (method is not (StreamRecords or ClusterCollections.SnapshotTransferMethod))
            {
                if (method is "wal_delta" or "resharding_stream_records")
                    throw new CollectionException(400, $"Bad request: shard transfer method `{method}` is not supported by this cluster, use `stream_records` or `snapshot`");
                throw CollectionException.BadJson($"unknown variant `{method}`, expected one of `stream_records`, `snapshot`, `wal_delta`, `resharding_stream_records`");
            }
        }

        if (from == to) throw new CollectionException(400, $"Bad request: cannot transfer shard {shard} from peer {from} to itself");
        if (!state.Peers.ContainsKey(from)) throw new CollectionException(400, $"Bad request: Peer {from} does not exist");
        if (!state.Peers.ContainsKey(to)) throw new CollectionException(400, $"Bad request: Peer {to} does not exist");
        await cluster.StartTransferAsync(name, new ShardTransferInfo(shard, from, to, sync, method), cancellationToken);
    }

    private static uint Shard(JsonElement op, string what) =>
        op.ValueKind == JsonValueKind.Object && op.TryGetProperty("shard_id", out var s) && s.TryGetUInt32(out var id)
            ? id : throw CollectionException.BadJson($"missing or invalid field `{what}.shard_id`");

    private static ulong Peer(JsonElement op, string field, string what) =>
        op.ValueKind == JsonValueKind.Object && op.TryGetProperty(field, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetUInt64(out var id)
            ? id : throw CollectionException.BadJson($"missing or invalid field `{what}.{field}`");
}
