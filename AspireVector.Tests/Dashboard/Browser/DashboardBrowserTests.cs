using AspireVector.Tests.Dashboard.Fakes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AspireVector.Tests.Dashboard.Browser;

/// <summary>
/// Drives Debian's Chromium through the dashboard running as its own process against three
/// Qdrant-shaped fake nodes, for what a real cluster does not do on demand: a leader change shown
/// without reload, the warning for a peer that holds shards. <see cref="DashboardClusterBrowserTests"/>
/// runs the same journey against real nodes. Screenshots go to TestResults/dashboard-browser/.
/// </summary>
[Trait("Category", "Browser")]
[Collection(AspireVector.Tests.Cluster.ClusterProcesses.Name)]
public sealed class DashboardBrowserTests
{
    private static readonly ulong[] Ids = DashboardTestHost.PeerIds;

    [Fact]
    public async Task OperatorSeesPeersCreatesCollectionMovesShardAndRemovesEmptyPeer()
    {
        var state = new FakeClusterState(Ids) { LeaderId = Ids[2] };
        await using var nodes = await FakeQdrantNodes.StartAsync(state);
        await using var dashboard = await DashboardProcess.StartAsync(nodes.Addresses, TimeSpan.FromSeconds(60));
        await using var browser = await DashboardBrowser.LaunchAsync("dashboard-browser");
        var page = browser.Page;
        SetDefaultExpectTimeout(15_000);
        try
        {
            // The three peers and the leader appear, ids as exact strings.
            await page.GotoAsync(dashboard.BaseAddress + "/");
            await Expect(page.GetByTestId("live")).ToHaveAttributeAsync("data-interactive", "true");
            await Expect(page.Locator("[data-testid^='peer-row-']")).ToHaveCountAsync(3);
            await Expect(page.GetByTestId($"peer-row-{Ids[2]}")).ToHaveAttributeAsync("data-leader", "true");
            await Expect(page.GetByTestId("leader-id")).ToHaveTextAsync("11532566549086892528");
            await browser.ScreenshotAsync("01-cluster");

            // A leader change shows within 2 s without reloading the page.
            state.LeaderId = Ids[1];
            state.Term = 4;
            await Expect(page.GetByTestId($"peer-row-{Ids[1]}")).ToHaveAttributeAsync("data-leader", "true", new() { Timeout = 2_000 });
            await Expect(page.GetByTestId("term")).ToHaveTextAsync("4");

            // Creating a collection makes its placement grid appear.
            await page.GetByTestId("nav-collections").ClickAsync();
            await Expect(page.GetByTestId("no-collections")).ToBeVisibleAsync();
            await page.GetByTestId("create-name").FillAsync("books");
            await page.GetByTestId("create-shards").FillAsync("3");
            await page.GetByTestId("create-replication").FillAsync("1");
            await page.GetByTestId("create-submit").ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
            await Expect(page.GetByTestId("grid-books")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid^='cell-books-']")).ToHaveCountAsync(9);
            await Expect(page.GetByTestId($"cell-books-0-{Ids[0]}")).ToHaveAttributeAsync("data-state", "Active");
            await Expect(page.GetByTestId("create-result")).ToHaveAttributeAsync("data-outcome", "ok");
            await browser.ScreenshotAsync("02-collection-created");

            // Move shard 0 from peer 0 to peer 1: confirm, the operation is sent, the grid changes.
            await page.GetByTestId("op-shard-books").SelectOptionAsync("0");
            await page.GetByTestId("op-from-books").SelectOptionAsync(Ids[0].ToString());
            await page.GetByTestId("op-to-books").SelectOptionAsync(Ids[1].ToString());
            await page.GetByTestId("op-method-books").SelectOptionAsync("stream_records");
            await page.GetByTestId("op-submit-books").ClickAsync();
            await Expect(page.Locator(".rz-dialog")).ToContainTextAsync($"Move shard 0 of 'books' from peer {Ids[0]} to peer {Ids[1]} using stream_records?");
            await browser.ScreenshotAsync("03-move-confirm", fullPage: false);
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true }).ClickAsync();
            await Expect(page.GetByTestId("op-result-books")).ToHaveAttributeAsync("data-outcome", "ok");
            await Expect(page.GetByTestId($"cell-books-0-{Ids[1]}")).ToHaveAttributeAsync("data-state", "Active");
            await Expect(page.GetByTestId($"cell-books-0-{Ids[0]}")).ToHaveAttributeAsync("data-state", "none");
            var move = Assert.Single(state.Operations);
            Assert.Equal($$$"""{"move_shard":{"shard_id":0,"from_peer_id":{{{Ids[0]}}},"to_peer_id":{{{Ids[1]}}},"method":"stream_records"}}""", move.ToJsonString());
            await browser.ScreenshotAsync("04-shard-moved");

            // Peer 1 holds shards: the confirmation warns, and cancelling keeps it.
            await page.GetByTestId("nav-cluster").ClickAsync();
            await page.GetByTestId($"remove-peer-{Ids[1]}").ClickAsync();
            await Expect(page.GetByTestId("remove-peer-warning")).ToContainTextAsync("still holds 2 shard replica(s)");
            await browser.ScreenshotAsync("05-remove-warning", fullPage: false);
            await page.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true }).ClickAsync();
            await Expect(page.GetByTestId("remove-peer-dialog")).ToHaveCountAsync(0);

            // Peer 0 now holds nothing: removing it removes its row.
            await page.GetByTestId($"remove-peer-{Ids[0]}").ClickAsync();
            await Expect(page.GetByTestId("remove-peer-dialog")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("remove-peer-warning")).ToHaveCountAsync(0);
            await browser.ScreenshotAsync("06-remove-confirm", fullPage: false);
            await page.GetByRole(AriaRole.Button, new() { Name = "Remove peer", Exact = true }).ClickAsync();
            await Expect(page.GetByTestId($"peer-row-{Ids[0]}")).ToHaveCountAsync(0);
            await Expect(page.Locator("[data-testid^='peer-row-']")).ToHaveCountAsync(2);
            await Expect(page.GetByTestId("action-result")).ToHaveAttributeAsync("data-outcome", "ok");
            Assert.False(state.IsMember(Ids[0]));
            Assert.True(state.IsMember(Ids[1]));
            await browser.ScreenshotAsync("07-peer-removed");
        }
        catch
        {
            await browser.ScreenshotAsync("failure");
            Console.WriteLine(dashboard.Output);
            throw;
        }
    }
}
