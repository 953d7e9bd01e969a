using System.Text.Json.Nodes;
using AspireVector.Dashboard.Api;
using AspireVector.Dashboard.Components.Pages;
using AspireVector.Tests.Dashboard.Fakes;
// An alias: a bare `Collections` would bind to the AspireVector.Tests.Collections namespace.
using CollectionsPage = AspireVector.Dashboard.Components.Pages.Collections;

namespace AspireVector.Tests.Dashboard.Components;

public sealed class CollectionsPageTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly ulong[] Ids = DashboardTestHost.PeerIds;

    [Fact]
    public async Task GridShowsReplicaStatesAsColoursWithPointCounts()
    {
        var state = new FakeClusterState(Ids) { TransferSteps = 100 };
        state.CreateCollection("books", new JsonObject { ["shard_number"] = 2, ["replication_factor"] = 1 });
        state.SetPoints("books", 0, Ids[0], 1234);
        state.ApplyOperation("books", ClusterOperation.Move(1, Ids[1], Ids[2], "snapshot").ToRequestBody());
        await using var harness = new ComponentHarness(new FakeClusterApi(state), new ManualTimeProvider(Now));

        var html = await harness.RenderAsync<CollectionsPage>();

        var grid = Html.Element(html, "grid-books");
        Assert.Equal(6, Html.Count(grid, "cell-books-"));
        var active = Html.Element(grid, $"cell-books-0-{Ids[0]}");
        Assert.Contains("av-replica-active", active);
        Assert.Equal("Active 1,234 pts", Html.Text(active));
        Assert.Contains("av-replica-partial", Html.Element(grid, $"cell-books-1-{Ids[2]}"));
        Assert.Equal("Active", Html.Attribute(grid, $"cell-books-1-{Ids[1]}", "data-state"));
        Assert.Equal("none", Html.Attribute(grid, $"cell-books-0-{Ids[1]}", "data-state"));
        Assert.Contains("11532566549086892528", Html.Text(Html.Element(grid, "grid-col-books-11532566549086892528")));
        Assert.Contains("leader", Html.Text(Html.Element(grid, $"grid-col-books-{Ids[0]}")));

        var transfer = Html.Element(html, $"transfer-books-1-{Ids[1]}-{Ids[2]}");
        Assert.Contains("move", Html.Text(transfer));
        Assert.Contains("snapshot", Html.Text(transfer));
        Assert.Contains("Transferring records", Html.Text(transfer));
        Assert.Contains($"abort-books-1-{Ids[1]}-{Ids[2]}", transfer);
        Assert.Equal("yellow", Html.Text(Html.Element(html, "collection-status-books")));
    }

    [Fact]
    public async Task VectorsWaitingForTheIndexerAreShownUntilTheGraphHasThemAll()
    {
        var state = new FakeClusterState(Ids);
        state.CreateCollection("books", new JsonObject { ["shard_number"] = 1, ["replication_factor"] = 1 });
        var peer = state.ReplicaPeers("books", 0)[0];
        state.SetPoints("books", 0, peer, 1234);
        state.SetIndexedVectors("books", 1000);
        await using (var harness = new ComponentHarness(new FakeClusterApi(state), new ManualTimeProvider(Now)))
        {
            var html = await harness.RenderAsync<CollectionsPage>();
            Assert.Equal("· indexing 234", Html.Text(Html.Element(html, "collection-indexing-books")));
        }

        state.SetIndexedVectors("books", 1234);
        await using (var harness = new ComponentHarness(new FakeClusterApi(state), new ManualTimeProvider(Now)))
        {
            var html = await harness.RenderAsync<CollectionsPage>();
            Assert.DoesNotContain("collection-indexing-books", html);
        }
    }

    [Fact]
    public async Task EveryStateHasItsOwnColourClass()
    {
        var classes = new[] { "Active", "Partial", "Dead", "Initializing", "Listener", "Recovery" }
            .Select(AspireVector.Dashboard.Components.Collections.PlacementGrid.StateClass).ToList();

        Assert.Equal(classes.Count, classes.Distinct().Count());
        await using var harness = new ComponentHarness(new FakeClusterApi(new FakeClusterState(Ids)), new ManualTimeProvider(Now));
        var html = await harness.RenderAsync<CollectionsPage>();
        var legend = Html.Element(html, "state-legend");
        foreach (var state in new[] { "Active", "Partial", "Dead", "Initializing", "Listener" })
        {
            Assert.Contains(state, Html.Text(legend));
        }

        Assert.NotNull(Html.Element(html, "no-collections"));
    }

    [Fact]
    public async Task ADownPeerStillHasItsColumnFromOtherPeersViews()
    {
        var state = new FakeClusterState(Ids);
        state.CreateCollection("books", new JsonObject { ["shard_number"] = 3, ["replication_factor"] = 1 });
        var api = new FakeClusterApi(state);
        api.Down.Add(2);
        await using var harness = new ComponentHarness(api, new ManualTimeProvider(Now));

        var html = await harness.RenderAsync<CollectionsPage>();

        var cell = Html.Element(html, $"cell-books-2-{Ids[2]}");
        Assert.Equal("Active", Html.Attribute(html, $"cell-books-2-{Ids[2]}", "data-state"));
        Assert.Contains("? pts", Html.Text(cell));
        Assert.Contains("0 pts", Html.Text(Html.Element(html, $"cell-books-0-{Ids[0]}")));
    }
}
