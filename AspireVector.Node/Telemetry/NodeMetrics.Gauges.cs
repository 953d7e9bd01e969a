using System.Diagnostics.Metrics;

namespace AspireVector.Node.Telemetry;

/// <summary>The observable gauges: Qdrant's collection and cluster families, read at scrape time.</summary>
public sealed partial class NodeMetrics
{
    private readonly IServiceProvider _services;

    private IReadOnlyList<CollectionTelemetry> Collections() =>
        (_services.GetService(typeof(ICollectionsTelemetrySource)) as ICollectionsTelemetrySource)?.GetCollections() ?? [];

    private ClusterTelemetry? Cluster()
    {
        var cluster = (_services.GetService(typeof(IClusterTelemetrySource)) as IClusterTelemetrySource)?.GetCluster();
        return cluster is { Enabled: true } ? cluster : null;
    }

    private void CreateCollectionGauges(Meter meter)
    {
        meter.CreateObservableGauge("collections_total", () => (long)Collections().Count, description: "number of collections");
        meter.CreateObservableGauge("collections_vector_total", () =>
        {
            long total = 0;
            foreach (var collection in Collections())
            {
                foreach (var count in collection.VectorsByName.Values)
                {
                    total += count;
                }
            }

            return total;
        }, description: "total number of vectors in all collections");
        meter.CreateObservableGauge("collection_points", () => PerCollection(c => c.Points),
            description: "approximate amount of points per collection");
        meter.CreateObservableGauge("collection_vectors", ObserveVectors, description: "amount of vectors grouped by vector name");
        meter.CreateObservableGauge("collection_active_replicas_min", () =>
        {
            int? min = null;
            foreach (var collection in Collections())
            {
                if (collection.ActiveReplicasMin is { } value)
                {
                    min = min is null ? value : Math.Min(min.Value, value);
                }
            }

            return (long)(min ?? 0);
        }, description: "minimum number of active replicas across all shards");
        meter.CreateObservableGauge("collection_active_replicas_max", () =>
        {
            var max = 0;
            foreach (var collection in Collections())
            {
                max = Math.Max(max, collection.ActiveReplicasMax ?? 0);
            }

            return (long)max;
        }, description: "maximum number of active replicas across all shards");
        meter.CreateObservableGauge("collection_dead_replicas", () =>
        {
            long dead = 0;
            foreach (var collection in Collections())
            {
                dead += collection.DeadReplicas;
            }

            return dead;
        }, description: "total amount of shard replicas in non-active state");
        meter.CreateObservableGauge("collection_shard_transfer_incoming", () => PerCollection(c => c.IncomingTransfers),
            description: "incoming shard transfers currently running");
        meter.CreateObservableGauge("collection_shard_transfer_outgoing", () => PerCollection(c => c.OutgoingTransfers),
            description: "outgoing shard transfers currently running");
    }

    private void CreateClusterGauges(Meter meter)
    {
        meter.CreateObservableGauge("cluster_enabled", () => Cluster() is null ? 0L : 1L, description: "is cluster support enabled");
        meter.CreateObservableGauge("cluster_peers_total", () => FromCluster(c => c.PeersTotal),
            description: "total number of cluster peers");
        meter.CreateObservableGauge("cluster_term", () => FromCluster(c => (long)c.Term), description: "current cluster term");
        meter.CreateObservableGauge("cluster_commit", ObserveCommit,
            description: "index of last committed (finalized) operation cluster peer is aware of");
        meter.CreateObservableGauge("cluster_pending_operations_total", () => FromCluster(c => c.PendingOperations),
            description: "total number of pending operations for cluster peer");
        meter.CreateObservableGauge("cluster_voter", () => FromCluster(c => c.IsVoter ? 1 : 0),
            description: "is cluster peer a voter or learner");
        meter.CreateObservableGauge("cluster_last_update_timestamp_seconds", ObserveLastUpdate, unit: "s",
            description: "unix timestamp of last update of the consensus state");
        meter.CreateObservableGauge("cluster_working_state", () => OneHot(Cluster()?.WorkingState, "state", ClusterWorkingStates.All),
            description: "working state of the consensus thread, one series per state");
        meter.CreateObservableGauge("raft_role", () => OneHot(Cluster()?.Role, "role", RaftRoles.All),
            description: "Raft role of this peer, one series per role");
    }

    private IEnumerable<Measurement<long>> PerCollection(Func<CollectionTelemetry, long> value)
    {
        foreach (var collection in Collections())
        {
            yield return new Measurement<long>(value(collection), new KeyValuePair<string, object?>("id", collection.Name));
        }
    }

    private IEnumerable<Measurement<long>> ObserveVectors()
    {
        foreach (var collection in Collections())
        {
            foreach (var (vector, count) in collection.VectorsByName)
            {
                yield return new Measurement<long>(count,
                    new KeyValuePair<string, object?>("collection", collection.Name),
                    new KeyValuePair<string, object?>("vector", vector));
            }
        }
    }

    private IEnumerable<Measurement<long>> FromCluster(Func<ClusterTelemetry, long> value)
    {
        if (Cluster() is { } cluster)
        {
            yield return new Measurement<long>(value(cluster));
        }
    }

    private IEnumerable<Measurement<long>> ObserveCommit()
    {
        if (Cluster() is not { } cluster)
        {
            yield break;
        }

        yield return cluster.PeerId is { } peerId
            ? new Measurement<long>((long)cluster.Commit, new KeyValuePair<string, object?>("peer_id", peerId.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            : new Measurement<long>((long)cluster.Commit);
    }

    private IEnumerable<Measurement<double>> ObserveLastUpdate()
    {
        if (Cluster() is { LastUpdate: { } lastUpdate })
        {
            yield return new Measurement<double>(lastUpdate.ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    private static IEnumerable<Measurement<long>> OneHot(string? current, string label, IReadOnlyList<string> values)
    {
        if (current is null)
        {
            yield break;
        }

        foreach (var value in values)
        {
            yield return new Measurement<long>(value == current ? 1 : 0, new KeyValuePair<string, object?>(label, value));
        }
    }
}
