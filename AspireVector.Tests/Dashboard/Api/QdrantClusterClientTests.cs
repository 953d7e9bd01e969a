using System.Net;
using System.Text.Json.Nodes;
using AspireVector.Dashboard.Api;
using AspireVector.Tests.Dashboard.Fakes;

namespace AspireVector.Tests.Dashboard.Api;

public sealed class QdrantClusterClientTests
{
    [Fact]
    public async Task ReadsSeedClusterStatusWithFailuresAndNanosecondTimestamps()
    {
        var factory = new StubHttpClientFactory(_ => (HttpStatusCode.OK, SeedJson.ClusterWithFailure));
        var client = DashboardTestHost.Client(factory, ["http://node-a:6333"]);

        var answer = Assert.Single(await client.GetClusterFromEachNodeAsync(CancellationToken.None));

        var status = Assert.IsType<AspireVector.Dashboard.Api.Models.ClusterStatus>(answer.Value);
        Assert.True(status.IsEnabled);
        Assert.Equal(3388008540355016UL, status.PeerId);
        Assert.Equal([1903200026991620UL, 3388008540355016UL, 7301051252924645UL], status.Peers.Keys.Order());
        Assert.Equal(7301051252924645UL, status.RaftInfo!.Leader);
        Assert.Equal("Follower", status.RaftInfo.Role);
        Assert.Equal(24UL, status.RaftInfo.Commit);
        Assert.True(status.ConsensusThreadStatus!.IsWorking);
        var failure = Assert.Single(status.MessageSendFailures);
        Assert.Equal(2UL, failure.Value.Count);
        var expected = new DateTimeOffset(2025, 8, 22, 13, 53, 34, TimeSpan.Zero).AddTicks(5516970);
        Assert.InRange((failure.Value.LatestErrorTimestamp!.Value - expected).Ticks, 0, 1);
        Assert.Equal(3388008540355016UL, client.Reachability.Single().PeerId);
    }

    [Fact]
    public async Task PeerIdsAbove2Pow53StayExact()
    {
        var factory = new StubHttpClientFactory(_ => (HttpStatusCode.OK, SeedJson.ClusterWithHugeIds));
        var client = DashboardTestHost.Client(factory, ["http://node-a:6333"]);

        var status = (await client.GetClusterFromEachNodeAsync(CancellationToken.None)).Single().Value!;

        Assert.Equal(11532566549086892528UL, status.PeerId);
        Assert.Contains(9834046559507417430UL, status.Peers.Keys);
        Assert.Equal(11532566549086892528UL, status.RaftInfo!.Leader);
    }

    [Fact]
    public async Task FailsOverToTheNextNodeAndMarksTheDeadOneUnreachable()
    {
        var state = new FakeClusterState(DashboardTestHost.PeerIds);
        state.CreateCollection("books", null);
        await using var nodes = await FakeQdrantNodes.StartAsync(state);
        var client = DashboardTestHost.RealClient([DashboardTestHost.ClosedAddress(), nodes.Addresses[1]]);

        var names = await client.ListCollectionsAsync(CancellationToken.None);

        Assert.Equal(["books"], names);
        Assert.Equal([false, true], client.Reachability.Select(r => r.Reachable));
        Assert.NotNull(client.Reachability[0].LastError);
    }

    [Fact]
    public async Task NoNodeAnsweringIsAnErrorNamingEveryNode()
    {
        var client = DashboardTestHost.RealClient([DashboardTestHost.ClosedAddress(), DashboardTestHost.ClosedAddress()]);

        var error = await Assert.ThrowsAsync<ClusterApiException>(() => client.ListCollectionsAsync(CancellationToken.None));

        Assert.Contains("node-0", error.Message);
        Assert.Contains("node-1", error.Message);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task ApiErrorsCarryTheApiMessageAndDoNotFailOver()
    {
        var state = new FakeClusterState(DashboardTestHost.PeerIds);
        state.CreateCollection("books", null);
        await using var nodes = await FakeQdrantNodes.StartAsync(state);
        var client = DashboardTestHost.RealClient(nodes.Addresses);

        var error = await Assert.ThrowsAsync<ClusterApiException>(() => client.RemovePeerAsync(DashboardTestHost.PeerIds[1], force: false, CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal($"Bad request: Cannot remove peer {DashboardTestHost.PeerIds[1]} as there are shards on it", error.Message);
        Assert.Single(nodes.Requests, r => r.Method == "DELETE");
        Assert.True(state.IsMember(DashboardTestHost.PeerIds[1]));

        await client.RemovePeerAsync(DashboardTestHost.PeerIds[1], force: true, CancellationToken.None);
        Assert.False(state.IsMember(DashboardTestHost.PeerIds[1]));
        Assert.Contains(nodes.Requests, r => r.Path == $"/cluster/peer/{DashboardTestHost.PeerIds[1]}?force=true");
    }

    [Fact]
    public async Task RemovingAPeerAsksAnotherNodeThanThePeerItself()
    {
        // A real node asked to remove itself leaves Raft before it can commit the removal, and answers 503.
        ulong a = 9_007_199_254_740_993, b = 18_446_744_073_709_551_557;
        var factory = new StubHttpClientFactory(request => request.Method == HttpMethod.Get
            ? (HttpStatusCode.OK, $$$"""{"result":{"status":"enabled","peer_id":{{{(request.RequestUri!.Host == "node-a" ? a : b)}}},"peers":{}},"status":"ok","time":0}""")
            : (HttpStatusCode.OK, """{"result":true,"status":"ok","time":0}"""));
        var client = DashboardTestHost.Client(factory, ["http://node-a:6333", "http://node-b:6333"]);
        await client.GetClusterFromEachNodeAsync(CancellationToken.None);

        await client.RemovePeerAsync(a, force: false, CancellationToken.None);
        await client.RemovePeerAsync(b, force: true, CancellationToken.None);

        var deletes = factory.Requests.Where(r => r.Request.Method == HttpMethod.Delete).Select(r => r.Request.RequestUri!.ToString()).ToList();
        Assert.Equal([$"http://node-b:6333/cluster/peer/{a}", $"http://node-a:6333/cluster/peer/{b}?force=true"], deletes);
    }

    [Fact]
    public async Task AChangeThatTimedOutIsNotSentToAnotherNodeButARefusedOneIs()
    {
        // A removal that timed out on one node may still commit there; sent again elsewhere it would fail with
        // "not part of the cluster" although it worked. A refused connection never reached the node, so it moves on.
        ulong a = 9_007_199_254_740_993, b = 18_446_744_073_709_551_557, c = 77;
        var factory = new StubHttpClientFactory(request => request switch
        {
            { Method.Method: "GET" } => (HttpStatusCode.OK, $$$"""{"result":{"status":"enabled","peer_id":{{{(request.RequestUri!.Host == "node-a" ? a : b)}}},"peers":{}},"status":"ok","time":0}"""),
            { RequestUri.Host: "node-a" } when request.RequestUri.AbsolutePath.EndsWith($"/{c}", StringComparison.Ordinal) => throw new TaskCanceledException("simulated timeout"),
            { RequestUri.Host: "node-a" } => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"),
            _ => (HttpStatusCode.OK, """{"result":true,"status":"ok","time":0}"""),
        });
        var client = DashboardTestHost.Client(factory, ["http://node-a:6333", "http://node-b:6333"]);

        var error = await Assert.ThrowsAsync<ClusterApiException>(() => client.RemovePeerAsync(c, force: false, CancellationToken.None));
        Assert.Contains("may still be applied", error.Message);
        Assert.DoesNotContain(factory.Requests, r => r.Request.RequestUri!.Host == "node-b");

        await client.RemovePeerAsync(c + 1, force: false, CancellationToken.None);
        var deletes = factory.Requests.Where(r => r.Request.Method == HttpMethod.Delete).Select(r => r.Request.RequestUri!.ToString()).ToList();
        Assert.Equal([$"http://node-a:6333/cluster/peer/{c}", $"http://node-a:6333/cluster/peer/{c + 1}", $"http://node-b:6333/cluster/peer/{c + 1}"], deletes);
    }

    [Fact]
    public async Task SendsTheApiKeyOnEveryRequest()
    {
        var state = new FakeClusterState(DashboardTestHost.PeerIds);
        await using var nodes = await FakeQdrantNodes.StartAsync(state);
        var client = DashboardTestHost.RealClient(nodes.Addresses, apiKey: "s3cret");

        await client.GetClusterFromEachNodeAsync(CancellationToken.None);
        await client.ListCollectionsAsync(CancellationToken.None);

        Assert.Equal(4, nodes.Requests.Count);
        Assert.All(nodes.Requests, r => Assert.Equal("s3cret", r.ApiKey));
    }

    [Fact]
    public async Task CollectionLifecycleAndOperationsUseQdrantShapes()
    {
        var state = new FakeClusterState(DashboardTestHost.PeerIds);
        await using var nodes = await FakeQdrantNodes.StartAsync(state);
        var client = DashboardTestHost.RealClient(nodes.Addresses);
        var (a, b, c) = (DashboardTestHost.PeerIds[0], DashboardTestHost.PeerIds[1], DashboardTestHost.PeerIds[2]);

        Assert.Equal("true", await client.CreateCollectionAsync("books", new CreateCollectionRequest(4, "Cosine", 3, 1), CancellationToken.None));
        var summary = await client.GetCollectionAsync("books", CancellationToken.None);
        Assert.Equal("green", summary.Status);
        Assert.Equal(3U, summary.Config!.Params!.ShardNumber);

        await client.UpdateCollectionClusterAsync("books", ClusterOperation.Move(0, a, b, "snapshot"), CancellationToken.None);
        await client.UpdateCollectionClusterAsync("books", ClusterOperation.Replicate(1, b, c), CancellationToken.None);
        await client.UpdateCollectionClusterAsync("books", ClusterOperation.Abort(1, b, c), CancellationToken.None);
        await client.UpdateCollectionClusterAsync("books", ClusterOperation.Drop(0, b), CancellationToken.None);

        Assert.Equal(
            [
                $$$"""{"move_shard":{"shard_id":0,"from_peer_id":{{{a}}},"to_peer_id":{{{b}}},"method":"snapshot"}}""",
                $$$"""{"replicate_shard":{"shard_id":1,"from_peer_id":{{{b}}},"to_peer_id":{{{c}}}}}""",
                $$$"""{"abort_transfer":{"shard_id":1,"from_peer_id":{{{b}}},"to_peer_id":{{{c}}}}}""",
                $$$"""{"drop_replica":{"shard_id":0,"peer_id":{{{b}}}}}""",
            ],
            state.Operations.Select(o => o.ToJsonString()));

        var layouts = await client.GetCollectionClusterFromEachNodeAsync("books", CancellationToken.None);
        Assert.Equal(DashboardTestHost.PeerIds, layouts.Select(l => l.Value!.PeerId));
        var hits = await client.SearchAsync("books", [0.1f, 0.2f, 0.3f, 0.4f], 3, CancellationToken.None);
        Assert.Equal("18446744073709551615", Assert.Single(hits).IdText);
        Assert.Equal("true", await client.DeleteCollectionAsync("books", CancellationToken.None));
        var missing = await Assert.ThrowsAsync<ClusterApiException>(() => client.GetCollectionAsync("books", CancellationToken.None));
        Assert.Equal("Not found: Collection `books` doesn't exist!", missing.Message);
    }

    [Fact]
    public void OperationBodiesMatchTheOpenApiSchema()
    {
        Assert.Equal("""{"move_shard":{"shard_id":2,"from_peer_id":11532566549086892528,"to_peer_id":1}}""",
            ClusterOperation.Move(2, 11532566549086892528, 1).ToRequestBody().ToJsonString());
        var body = new CreateCollectionRequest(8, "Dot", 6, 2).ToRequestBody();
        Assert.Equal("""{"vectors":{"size":8,"distance":"Dot"},"shard_number":6,"replication_factor":2}""", body.ToJsonString());
        Assert.Equal("Drop the replica of shard 3 of 'c' held by peer 9834046559507417430?", ClusterOperation.Drop(3, 9834046559507417430).Describe("c"));
        _ = JsonNode.Parse(body.ToJsonString());
    }
}
