using System.Text.Json.Nodes;

namespace AspireVector.Tests.Dashboard.Fakes;

/// <summary>
/// In-memory cluster shared by the fake nodes: peers, collections with replica placement, transfers,
/// and every cluster operation received. A move is a transfer in flight that completes after the
/// destination's layout has been read <see cref="TransferSteps"/> times, so pages can observe it.
/// </summary>
public sealed partial class FakeClusterState
{
    private readonly object _gate = new();
    private readonly List<(ulong Id, string Uri)> _peers = [];
    private readonly Dictionary<string, FakeCollection> _collections = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _operations = [];
    private readonly Dictionary<string, long> _indexedVectors = new(StringComparer.Ordinal);

    /// <summary>Creates a cluster of the given peers; the first is the leader.</summary>
    public FakeClusterState(IEnumerable<ulong> peerIds)
    {
        var index = 0;
        foreach (var id in peerIds)
        {
            _peers.Add((id, $"http://node-{index++}.fake:6335/"));
        }

        LeaderId = _peers[0].Id;
    }

    /// <summary>Reads of a collection's layout before a transfer completes.</summary>
    public int TransferSteps { get; init; } = 2;

    /// <summary>Current leader.</summary>
    public ulong LeaderId { get; set; }

    /// <summary>Raft term reported by every peer.</summary>
    public ulong Term { get; set; } = 3;

    /// <summary>Message send failures reported by a peer, by target uri.</summary>
    public Dictionary<ulong, Dictionary<string, JsonObject>> SendFailures { get; } = [];

    /// <summary>Peer ids in order.</summary>
    public IReadOnlyList<ulong> PeerIds { get { lock (_gate) { return [.. _peers.Select(p => p.Id)]; } } }

    /// <summary>Every body POSTed to <c>/collections/{name}/cluster</c>, in order.</summary>
    public IReadOnlyList<JsonObject> Operations { get { lock (_gate) { return [.. _operations.Select(o => (JsonObject)o.DeepClone())]; } } }

    /// <summary>Peers holding a replica of a shard.</summary>
    public IReadOnlyList<ulong> ReplicaPeers(string collection, uint shard)
    {
        lock (_gate)
        {
            return [.. _collections[collection].Replicas.Where(r => r.Shard == shard).Select(r => r.Peer)];
        }
    }

    /// <summary>Indexed vectors a collection reports (<c>indexed_vectors_count</c>); absent unless set.</summary>
    public void SetIndexedVectors(string collection, long indexed)
    {
        lock (_gate)
        {
            _indexedVectors[collection] = indexed;
        }
    }

    /// <summary>Adds points to a replica (so counts show in the grid).</summary>
    public void SetPoints(string collection, uint shard, ulong peer, ulong points)
    {
        lock (_gate)
        {
            var replicas = _collections[collection].Replicas;
            var index = replicas.FindIndex(r => r.Shard == shard && r.Peer == peer);
            replicas[index] = replicas[index] with { Points = points };
        }
    }

    /// <summary>The <c>GET /cluster</c> result as peer <paramref name="self"/> reports it.</summary>
    public JsonObject ClusterStatus(ulong self)
    {
        lock (_gate)
        {
            var peers = new JsonObject();
            foreach (var (id, uri) in _peers)
            {
                peers[id.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject { ["uri"] = uri };
            }

            var failures = new JsonObject();
            if (SendFailures.TryGetValue(self, out var mine))
            {
                foreach (var (uri, failure) in mine)
                {
                    failures[uri] = failure.DeepClone();
                }
            }

            return new JsonObject
            {
                ["status"] = "enabled",
                ["peer_id"] = self,
                ["peers"] = peers,
                ["raft_info"] = new JsonObject
                {
                    ["term"] = Term,
                    ["commit"] = 10 + (ulong)_operations.Count,
                    ["pending_operations"] = 0,
                    ["leader"] = LeaderId,
                    ["role"] = self == LeaderId ? "Leader" : "Follower",
                    ["is_voter"] = true,
                },
                ["consensus_thread_status"] = new JsonObject { ["consensus_thread_status"] = "working", ["last_update"] = DateTimeOffset.UtcNow.ToString("O") },
                ["message_send_failures"] = failures,
            };
        }
    }

    /// <summary>Whether the peer is still a member.</summary>
    public bool IsMember(ulong peer)
    {
        lock (_gate)
        {
            return _peers.Any(p => p.Id == peer);
        }
    }
}
