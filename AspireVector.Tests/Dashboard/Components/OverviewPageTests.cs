using System.Text.Json.Nodes;
using AspireVector.Dashboard.Components.Pages;
using AspireVector.Tests.Dashboard.Fakes;

namespace AspireVector.Tests.Dashboard.Components;

public sealed class OverviewPageTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly ulong[] Ids = DashboardTestHost.PeerIds;

    [Fact]
    public async Task PeersTableListsEveryPeerWithExactIdsAndMarksTheLeader()
    {
        var state = new FakeClusterState(Ids) { LeaderId = Ids[2], Term = 7 };
        await using var harness = new ComponentHarness(new FakeClusterApi(state), new ManualTimeProvider(Now));

        var html = await harness.RenderAsync<Overview>();

        Assert.Equal(3, Html.Count(html, "peer-row-"));
        foreach (var id in Ids)
        {
            Assert.Contains(FakeQdrantNodes.IdText(id), Html.Text(Html.Element(html, $"peer-row-{id}")));
        }

        Assert.Equal("true", Html.Attribute(html, "peer-row-11532566549086892528", "data-leader"));
        Assert.Equal("false", Html.Attribute(html, $"peer-row-{Ids[0]}", "data-leader"));
        Assert.Contains("leader", Html.Text(Html.Element(html, "peer-row-11532566549086892528")));
        Assert.Equal("11532566549086892528", Html.Text(Html.Element(html, "leader-id")));
        Assert.Equal("7", Html.Text(Html.Element(html, "term")));
        Assert.Contains("Leader", Html.Text(Html.Element(html, "peer-row-11532566549086892528")));
        Assert.Contains("voter", Html.Text(Html.Element(html, $"peer-row-{Ids[0]}")));
        Assert.Contains("working", Html.Text(Html.Element(html, $"peer-row-{Ids[0]}")));
        Assert.Equal("green", Html.Text(Html.Element(html, "cluster-health")));
        Assert.Equal(3, Html.Count(html, "remove-peer-"));
    }

    [Fact]
    public async Task UnreachableNodesAreMarkedRedAndTheRestStillShows()
    {
        var state = new FakeClusterState(Ids);
        var api = new FakeClusterApi(state);
        api.Down.Add(1);
        await using var harness = new ComponentHarness(api, new ManualTimeProvider(Now));

        var html = await harness.RenderAsync<Overview>();

        var row = Html.Element(html, $"peer-row-{Ids[1]}");
        Assert.Equal("unreachable", Html.Text(Html.Element(row, "reachable")));
        Assert.Contains("data-health=\"red\"", row);
        Assert.Contains("title=\"REST endpoint not answering\"", row);
        Assert.Equal("reachable", Html.Text(Html.Element(Html.Element(html, $"peer-row-{Ids[0]}"), "reachable")));
        Assert.Equal("unreachable", Html.Attribute(html, "node-node-1", "data-state"));
        Assert.Equal("reachable", Html.Attribute(html, "node-node-0", "data-state"));
        Assert.Equal("red", Html.Text(Html.Element(html, "cluster-health")));
        Assert.Equal("true", Html.Attribute(html, $"peer-row-{Ids[0]}", "data-leader"));
    }

    [Fact]
    public async Task FreshMessageSendFailuresAreHighlightedAndOldOnesAreNot()
    {
        var state = new FakeClusterState(Ids);
        state.SendFailures[Ids[0]] = new()
        {
            ["http://node-1.fake:6335/"] = new JsonObject { ["count"] = 4, ["latest_error"] = "connection refused", ["latest_error_timestamp"] = Now.AddSeconds(-2).ToString("O") },
        };
        state.SendFailures[Ids[2]] = new()
        {
            ["http://node-1.fake:6335/"] = new JsonObject { ["count"] = 1, ["latest_error"] = "timeout", ["latest_error_timestamp"] = Now.AddHours(-1).ToString("O") },
        };
        await using var harness = new ComponentHarness(new FakeClusterApi(state), new ManualTimeProvider(Now));

        var html = await harness.RenderAsync<Overview>();

        var table = Html.Element(html, "send-failures");
        Assert.Equal(2, Html.Count(table, "send-failure-row"));
        var first = Html.Element(table, "send-failure-row");
        Assert.Equal("true", Html.Attribute(table, "send-failure-row", "data-fresh"));
        Assert.Contains("av-fresh", first);
        Assert.Contains("connection refused", first);
        Assert.Contains(FakeQdrantNodes.IdText(Ids[1]), first);
        Assert.Contains("data-fresh=\"false\"", table);
        // The peer others fail to reach turns yellow.
        Assert.Contains("data-health=\"yellow\"", Html.Element(html, $"peer-row-{Ids[1]}"));
    }

    [Fact]
    public async Task NoNodeAnsweringShowsTheReasonInsteadOfPeers()
    {
        var api = new FakeClusterApi(new FakeClusterState(Ids));
        api.Down.UnionWith([0, 1, 2]);
        await using var harness = new ComponentHarness(api, new ManualTimeProvider(Now));

        var html = await harness.RenderAsync<Overview>();

        Assert.Contains("No configured node answered", Html.Text(Html.Element(html, "cluster-error")));
        Assert.Equal(0, Html.Count(html, "peer-row-"));
        Assert.Equal("none", Html.Text(Html.Element(html, "leader-id")));
    }
}
