using AspireVector.Dashboard.Api;
using AspireVector.Dashboard.Api.Models;
using AspireVector.Dashboard.Configuration;
using AspireVector.Dashboard.Monitoring;
using AspireVector.Tests.Dashboard.Fakes;
using Microsoft.Extensions.Options;

namespace AspireVector.Tests.Dashboard.Monitoring;

public sealed class ClusterSnapshotLoaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EachPeerRowComesFromItsOwnAnswerAndTheLeaderIsMarked()
    {
        var state = new FakeClusterState(DashboardTestHost.PeerIds) { LeaderId = DashboardTestHost.PeerIds[2] };
        await using var nodes = await FakeQdrantNodes.StartAsync(state);
        var loader = Loader(DashboardTestHost.RealClient(nodes.Addresses));

        var snapshot = await loader.LoadClusterAsync(CancellationToken.None);

        Assert.Null(snapshot.Error);
        Assert.Equal(DashboardTestHost.PeerIds[2], snapshot.LeaderId);
        Assert.Equal("11532566549086892528", snapshot.LeaderIdText);
        Assert.Equal(DashboardTestHost.PeerIds, snapshot.Peers.Select(p => p.PeerId));
        Assert.Equal([false, false, true], snapshot.Peers.Select(p => p.IsLeader));
        Assert.Equal(["Follower", "Follower", "Leader"], snapshot.Peers.Select(p => p.Role));
        Assert.All(snapshot.Peers, p => Assert.True(p.Reachable));
        Assert.All(snapshot.Peers, p => Assert.Equal(HealthColour.Green, p.Health));
        Assert.Equal(["node-0", "node-1", "node-2"], snapshot.Peers.Select(p => p.NodeName));
        Assert.Equal(HealthColour.Green, snapshot.Health);
    }

    [Fact]
    public async Task ADownNodeIsMarkedUnreachableOnceItsPeerIdIsKnown()
    {
        var state = new FakeClusterState(DashboardTestHost.PeerIds);
        await using var nodes = await FakeQdrantNodes.StartAsync(state);
        var client = DashboardTestHost.RealClient(nodes.Addresses);
        var loader = Loader(client);
        await loader.LoadClusterAsync(CancellationToken.None);

        await nodes.StopAsync(1);
        var snapshot = await loader.LoadClusterAsync(CancellationToken.None);

        var down = snapshot.Peers.Single(p => p.PeerId == DashboardTestHost.PeerIds[1]);
        Assert.False(down.Reachable);
        Assert.Equal(HealthColour.Red, down.Health);
        Assert.Null(down.Role);
        Assert.Equal(HealthColour.Red, snapshot.Health);
        Assert.Equal([true, false, true], snapshot.Nodes.Select(n => n.Reachable));
        Assert.True(snapshot.Peers.Single(p => p.PeerId == DashboardTestHost.PeerIds[0]).IsLeader);
    }

    [Fact]
    public void FreshSendFailuresAreFlaggedAndMappedToTheTargetPeer()
    {
        var node = new NodeEndpoint("node-0", new Uri("http://a/"));
        var status = System.Text.Json.JsonSerializer.Deserialize<ClusterStatus>(
            System.Text.Json.JsonDocument.Parse(SeedJson.ClusterWithFailure).RootElement.GetProperty("result"), QdrantClusterClient.JsonOptions)!;
        var loader = Loader(new FakeClusterApi());
        var failureAt = new DateTimeOffset(2025, 8, 22, 13, 53, 34, TimeSpan.Zero);

        var fresh = loader.Build([new NodeAnswer<ClusterStatus>(node, status, null, true)], [], failureAt.AddSeconds(5));
        var stale = loader.Build([new NodeAnswer<ClusterStatus>(node, status, null, true)], [], failureAt.AddMinutes(5));

        var row = Assert.Single(fresh.SendFailures);
        Assert.True(row.IsFresh);
        Assert.Equal("3388008540355016", row.ReporterPeerId);
        Assert.Equal("1903200026991620", row.TargetPeerId);
        Assert.Equal(2UL, row.Count);
        Assert.False(Assert.Single(stale.SendFailures).IsFresh);
        // Only the answering peer is reachable; the others have no configured endpoint known to be them.
        Assert.Equal([null, null, true], fresh.Peers.Select(p => p.Reachable));
        Assert.True(fresh.Peers.Single(p => p.PeerId == 7301051252924645).IsLeader);
    }

    [Fact]
    public void NoAnswerAtAllIsARedSnapshotWithTheReasons()
    {
        var node = new NodeEndpoint("node-0", new Uri("http://a/"));

        var snapshot = Loader(new FakeClusterApi()).Build([new NodeAnswer<ClusterStatus>(node, null, "Connection refused", false)], [], Now);

        Assert.Equal(HealthColour.Red, snapshot.Health);
        Assert.Contains("node-0: Connection refused", snapshot.Error);
        Assert.Empty(snapshot.Peers);
    }

    [Fact]
    public async Task PlacementGridHasOneCellPerShardAndPeerWithCountsAndTransfers()
    {
        var state = new FakeClusterState(DashboardTestHost.PeerIds) { TransferSteps = 100 };
        state.CreateCollection("books", new System.Text.Json.Nodes.JsonObject { ["shard_number"] = 3, ["replication_factor"] = 2 });
        state.SetPoints("books", 0, DashboardTestHost.PeerIds[0], 120);
        state.ApplyOperation("books", ClusterOperation.Replicate(0, DashboardTestHost.PeerIds[0], DashboardTestHost.PeerIds[2], "wal_delta").ToRequestBody());
        await using var nodes = await FakeQdrantNodes.StartAsync(state);
        var loader = Loader(DashboardTestHost.RealClient(nodes.Addresses));

        var snapshot = await loader.LoadCollectionsAsync(CancellationToken.None);

        var books = Assert.Single(snapshot.Collections);
        Assert.Equal(3U, books.ShardCount);
        Assert.Equal(DashboardTestHost.PeerIds, books.PeerColumns);
        Assert.Equal(["Active", "Active", "Partial"], books.Shards[0].Cells.Select(c => c.State));
        Assert.Equal([120UL, 0UL, 0UL], books.Shards[0].Cells.Select(c => c.PointsCount ?? 999));
        Assert.Equal([null, "Active", "Active"], books.Shards[1].Cells.Select(c => c.State));
        var transfer = Assert.Single(books.Transfers);
        Assert.Equal((0U, DashboardTestHost.PeerIds[0], DashboardTestHost.PeerIds[2], true, "wal_delta"), (transfer.ShardId, transfer.From, transfer.To, transfer.Sync, transfer.Method));
        Assert.StartsWith("Transferring records", transfer.Comment);
        Assert.Equal("yellow", books.Status);
    }

    [Fact]
    public void APeerThatDidNotAnswerIsShownFromOtherPeersViewsWithoutCounts()
    {
        var (a, b) = (DashboardTestHost.PeerIds[0], DashboardTestHost.PeerIds[1]);
        var cluster = new ClusterSnapshot
        {
            TakenAt = Now,
            LeaderId = a,
            Peers = [new PeerRow { PeerId = a, Uri = "a" }, new PeerRow { PeerId = b, Uri = "b" }],
        };
        var fromA = new CollectionClusterInfo
        {
            PeerId = a,
            ShardCount = 1,
            LocalShards = [new LocalShardInfo { ShardId = 0, PointsCount = 7, State = "Active" }],
            RemoteShards = [new RemoteShardInfo { ShardId = 0, PeerId = b, State = "Dead" }],
        };

        var view = ClusterSnapshotLoader.BuildCollection("c", null, [fromA], cluster, []);

        Assert.Equal([new ReplicaCell(a, "Active", 7), new ReplicaCell(b, "Dead", null)], view.Shards.Single().Cells);
    }

    private static ClusterSnapshotLoader Loader(IClusterApi api) =>
        new(api, Options.Create(new DashboardOptions()), new ManualTimeProvider(Now));
}
