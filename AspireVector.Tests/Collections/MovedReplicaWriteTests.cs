using System.Text.Json;
using AspireVector.Node.Cluster;
using AspireVector.Node.Collections;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;
using AspireVector.Tests.Storage;

namespace AspireVector.Tests.Collections;

/// <summary>
/// A coordinator routes a write by a placement that a move changed meanwhile: the moved-away replica answers that it no
/// longer holds the shard. The write must not be acknowledged with only the replicas left in the old placement: it is
/// routed again by the new placement, so the replica the shard moved to gets it too.
/// </summary>
public sealed class MovedReplicaWriteTests
{
    private const ulong Local = 1, MovedAway = 2, MovedTo = 3;

    [Fact]
    public async Task A_write_refused_by_a_moved_away_replica_is_rerouted_to_the_new_placement_before_it_is_acknowledged()
    {
        using var dir = new TempDirectory();
        using var config = JsonDocument.Parse("""{"vectors": {"size": 3, "distance": "Dot"}, "shard_number": 1}""");
        var replicas = new MovingReplicas();
        using var collection = new Collection("moved", dir.Path, CollectionConfig.FromCreateRequest(config.RootElement), replicas: replicas, localShards: [0]);

        var result = await collection.UpsertAsync([new PointRecord(PointId.FromNumber(7), [1, 2, 3], null)], wait: true);

        Assert.Equal(UpdateStatus.Completed, result.Status);
        Assert.Equal([MovedAway, MovedTo], replicas.Written);
        Assert.True(collection.LocalShard(0)!.Segment.TryGetOffset(PointId.FromNumber(7), out _));
    }

    /// <summary>
    /// Shard 0 on this peer and on <see cref="MovedAway"/>, which has already handed it to <see cref="MovedTo"/>: its
    /// refusal is what the P2P service answers then. This peer applies the move once that refusal came back.
    /// </summary>
    private sealed class MovingReplicas : IShardReplicas
    {
        private volatile bool _moved;

        public List<ulong> Written { get; } = [];

        public ulong LocalPeerId => Local;

        public bool CanCoordinateWrites => true;

        public ulong AppliedIndex => _moved ? 2UL : 1UL;

        public TimeSpan ReplicaWriteGrace => TimeSpan.FromSeconds(5);

        public TimeSpan ReadHedgeDelay => TimeSpan.Zero;

        public IReadOnlyList<ShardReplica> ReplicasOf(string collection, uint shardId) =>
            [new(Local, ReplicaState.Active), new(_moved ? MovedTo : MovedAway, ReplicaState.Active)];

        public Task<UpdateResult> UpdateRemoteAsync(ulong peerId, string collection, uint shardId, ShardOperation operation, QueryFilter? filter, bool wait,
            ulong coordinatorIndex, CancellationToken cancellationToken)
        {
            lock (Written) Written.Add(peerId);
            if (peerId != MovedAway) return Task.FromResult(new UpdateResult(0, UpdateStatus.Completed));
            _moved = true;
            return Task.FromException<UpdateResult>(new CollectionException(404, $"Not found: shard {shardId} of collection `{collection}` has no replica on peer {peerId}"));
        }

        public Task<UpdateResult> CoordinateRemoteAsync(ulong peerId, string collection, uint shardId, ShardOperation operation, QueryFilter? filter, bool wait,
            CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ShardReadResult> ReadRemoteAsync(ulong peerId, string collection, uint shardId, ShardReadRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task MarkReplicaDeadAsync(string collection, uint shardId, ulong peerId, string error) =>
            throw new InvalidOperationException($"peer {peerId} marked dead: {error}");

        public double? LatencyOf(ulong peerId) => null;

        public void ReportFailedReplica(string collection, uint shardId, ulong peerId, string error) =>
            throw new InvalidOperationException($"peer {peerId} reported failed: {error}");
    }
}
