using System.Globalization;
using System.Text.Json.Nodes;

namespace AspireVector.Tests.Dashboard.Fakes;

public sealed partial class FakeClusterState
{
    /// <summary><c>GET /collections</c>.</summary>
    public JsonObject ListCollections()
    {
        lock (_gate)
        {
            return new JsonObject { ["collections"] = new JsonArray([.. _collections.Keys.Order().Select(n => (JsonNode)new JsonObject { ["name"] = n })]) };
        }
    }

    /// <summary><c>PUT /collections/{name}</c>: replicas placed round-robin over peers.</summary>
    public void CreateCollection(string name, JsonObject? body)
    {
        lock (_gate)
        {
            if (_collections.ContainsKey(name))
            {
                throw new FakeApiError(400, $"Wrong input: Collection `{name}` already exists!");
            }

            var shards = (uint?)body?["shard_number"]?.GetValue<int>() ?? (uint)_peers.Count;
            var replication = (uint?)body?["replication_factor"]?.GetValue<int>() ?? 1;
            var collection = new FakeCollection(name, shards, replication);
            for (uint shard = 0; shard < shards; shard++)
            {
                for (var r = 0; r < replication && r < _peers.Count; r++)
                {
                    collection.Replicas.Add(new FakeReplica(shard, _peers[(int)((shard + r) % _peers.Count)].Id, "Active", 0));
                }
            }

            _collections[name] = collection;
        }
    }

    /// <summary><c>DELETE /collections/{name}</c>.</summary>
    public bool DeleteCollection(string name)
    {
        lock (_gate)
        {
            return _collections.Remove(name);
        }
    }

    /// <summary><c>GET /collections/{name}</c> (the parts the dashboard reads).</summary>
    public JsonObject CollectionInfo(string name)
    {
        lock (_gate)
        {
            var collection = Get(name);
            var points = collection.Replicas.GroupBy(r => r.Shard).Sum(g => (long)g.Max(r => r.Points));
            var info = new JsonObject
            {
                ["status"] = collection.Replicas.Any(r => r.State != "Active") ? "yellow" : "green",
                ["optimizer_status"] = "ok",
                ["segments_count"] = 1,
                ["points_count"] = points,
                ["config"] = new JsonObject { ["params"] = new JsonObject { ["shard_number"] = collection.ShardCount, ["replication_factor"] = collection.ReplicationFactor } },
                ["payload_schema"] = new JsonObject(),
            };
            if (_indexedVectors.TryGetValue(name, out long indexed)) info["indexed_vectors_count"] = indexed;
            return info;
        }
    }

    /// <summary><c>GET /collections/{name}/cluster</c> as peer <paramref name="self"/> sees it; advances transfers.</summary>
    public JsonObject CollectionCluster(string name, ulong self)
    {
        lock (_gate)
        {
            var collection = Get(name);
            Advance(collection);
            return new JsonObject
            {
                ["peer_id"] = self,
                ["shard_count"] = collection.ShardCount,
                ["local_shards"] = new JsonArray([.. collection.Replicas.Where(r => r.Peer == self).Select(r => (JsonNode)new JsonObject
                {
                    ["shard_id"] = r.Shard, ["points_count"] = r.Points, ["state"] = r.State,
                })]),
                ["remote_shards"] = new JsonArray([.. collection.Replicas.Where(r => r.Peer != self).Select(r => (JsonNode)new JsonObject
                {
                    ["shard_id"] = r.Shard, ["peer_id"] = r.Peer, ["state"] = r.State,
                })]),
                ["shard_transfers"] = new JsonArray([.. collection.Transfers.Select(t => (JsonNode)new JsonObject
                {
                    ["shard_id"] = t.Shard, ["from"] = t.From, ["to"] = t.To, ["sync"] = t.Sync, ["method"] = t.Method ?? "stream_records",
                    ["comment"] = self == t.From ? $"Transferring records ({TransferSteps - t.RemainingReads}/{TransferSteps})" : null,
                })]),
            };
        }
    }

    /// <summary><c>POST /collections/{name}/cluster</c>.</summary>
    public void ApplyOperation(string name, JsonObject body)
    {
        lock (_gate)
        {
            var collection = Get(name);
            _operations.Add((JsonObject)body.DeepClone());
            var (kind, op) = body.Single();
            var args = op as JsonObject ?? throw new FakeApiError(400, "Bad request: operation must be an object");
            var shard = args["shard_id"]!.GetValue<uint>();
            switch (kind)
            {
                case "move_shard":
                case "replicate_shard":
                    var from = args["from_peer_id"]!.GetValue<ulong>();
                    var to = args["to_peer_id"]!.GetValue<ulong>();
                    if (!collection.Replicas.Any(r => r.Shard == shard && r.Peer == from))
                    {
                        throw new FakeApiError(400, $"Bad request: Shard {shard} is not on peer {from}");
                    }

                    if (collection.Replicas.Any(r => r.Shard == shard && r.Peer == to) || !_peers.Any(p => p.Id == to))
                    {
                        throw new FakeApiError(400, $"Bad request: Shard {shard} is already on peer {to} or the peer does not exist");
                    }

                    collection.Replicas.Add(new FakeReplica(shard, to, "Partial", 0));
                    collection.Transfers.Add(new FakeTransfer(shard, from, to, kind == "replicate_shard", args["method"]?.GetValue<string>(), TransferSteps));
                    break;
                case "abort_transfer":
                    var aborted = collection.Transfers.RemoveAll(t => t.Shard == shard && t.From == args["from_peer_id"]!.GetValue<ulong>() && t.To == args["to_peer_id"]!.GetValue<ulong>());
                    if (aborted == 0)
                    {
                        throw new FakeApiError(400, $"Bad request: no transfer of shard {shard} in flight");
                    }

                    collection.Replicas.RemoveAll(r => r.Shard == shard && r.Peer == args["to_peer_id"]!.GetValue<ulong>() && r.State == "Partial");
                    break;
                case "drop_replica":
                    var peer = args["peer_id"]!.GetValue<ulong>();
                    if (collection.Replicas.Count(r => r.Shard == shard) <= 1)
                    {
                        throw new FakeApiError(400, $"Bad request: Shard {shard} must have at least one replica");
                    }

                    collection.Replicas.RemoveAll(r => r.Shard == shard && r.Peer == peer);
                    break;
                default:
                    throw new FakeApiError(400, $"Bad request: unknown operation {kind}");
            }
        }
    }

    /// <summary><c>DELETE /cluster/peer/{id}</c>.</summary>
    public void RemovePeer(ulong peer, bool force)
    {
        lock (_gate)
        {
            if (!_peers.Any(p => p.Id == peer))
            {
                throw new FakeApiError(404, $"Not found: peer {peer} does not exist");
            }

            var holds = _collections.Values.Sum(c => c.Replicas.Count(r => r.Peer == peer));
            if (holds > 0 && !force)
            {
                throw new FakeApiError(400, $"Bad request: Cannot remove peer {peer.ToString(CultureInfo.InvariantCulture)} as there are shards on it");
            }

            foreach (var collection in _collections.Values)
            {
                collection.Replicas.RemoveAll(r => r.Peer == peer);
            }

            _peers.RemoveAll(p => p.Id == peer);
        }
    }

    private FakeCollection Get(string name) =>
        _collections.TryGetValue(name, out var collection) ? collection : throw new FakeApiError(404, $"Not found: Collection `{name}` doesn't exist!");

    private static void Advance(FakeCollection collection)
    {
        for (var i = collection.Transfers.Count - 1; i >= 0; i--)
        {
            var transfer = collection.Transfers[i] with { RemainingReads = collection.Transfers[i].RemainingReads - 1 };
            if (transfer.RemainingReads > 0)
            {
                collection.Transfers[i] = transfer;
                continue;
            }

            collection.Transfers.RemoveAt(i);
            var index = collection.Replicas.FindIndex(r => r.Shard == transfer.Shard && r.Peer == transfer.To);
            var source = collection.Replicas.Find(r => r.Shard == transfer.Shard && r.Peer == transfer.From);
            if (index >= 0)
            {
                collection.Replicas[index] = collection.Replicas[index] with { State = "Active", Points = source?.Points ?? 0 };
            }

            if (!transfer.Sync)
            {
                collection.Replicas.RemoveAll(r => r.Shard == transfer.Shard && r.Peer == transfer.From);
            }
        }
    }
}
