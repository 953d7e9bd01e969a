using System.Globalization;
using AspireVector.Tests.Cluster;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AspireVector.Tests.Dashboard.Browser;

/// <summary>
/// Drives Debian's Chromium through the dashboard process against three real nodes in cluster mode: peers and
/// leader, creating a collection through the UI, moving a shard until the transfer finishes, removing the peer
/// the move left empty. Peer ids are seeded above 2^53 so any id that passes through a JavaScript number breaks
/// the test. Screenshots go to <c>TestResults/dashboard-cluster/</c>.
/// </summary>
[Trait("Category", "Browser")]
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class DashboardClusterBrowserTests
{
    /// <summary>2^53 + 1 (a JavaScript number rounds it to 2^53), a large id, and one close to ulong.MaxValue.</summary>
    private static readonly ulong[] Ids = [9_007_199_254_740_993, 11_532_566_549_086_892_528, 18_446_744_073_709_551_557];

    private const int Points = 40;

    [Fact]
    public async Task OperatorSeesRealPeersCreatesCollectionMovesShardAndRemovesEmptiedPeer()
    {
        // Qdrant's default tick (100 ms): Chromium and the dashboard share the CPU with the nodes, and a 50 ms tick
        // makes heartbeats late enough to start elections in the middle of the journey.
        await using var cluster = await LocalCluster.StartAsync(3, new Dictionary<string, string> { ["AV__CLUSTER__CONSENSUS__TICK_PERIOD_MS"] = "100" }, Ids);
        await using var dashboard = await DashboardProcess.StartAsync([.. cluster.Nodes.Select(n => $"http://127.0.0.1:{n.HttpPort}")], TimeSpan.FromSeconds(60));
        await using var browser = await DashboardBrowser.LaunchAsync("dashboard-cluster");
        var page = browser.Page;
        SetDefaultExpectTimeout(20_000);
        try
        {
            // The three peers with their exact ids, every node reachable, and the leader all nodes agree on.
            await page.GotoAsync(dashboard.BaseAddress + "/");
            await Expect(page.GetByTestId("live")).ToHaveAttributeAsync("data-interactive", "true");
            await Expect(page.Locator("[data-testid^='peer-row-']")).ToHaveCountAsync(3);
            for (int i = 0; i < Ids.Length; i++)
            {
                var row = page.GetByTestId($"peer-row-{Text(Ids[i])}");
                await Expect(row.GetByTestId("peer-id")).ToHaveTextAsync(Text(Ids[i]));
                await Expect(row.GetByTestId("reachable")).ToHaveTextAsync("reachable");
                await Expect(row).ToContainTextAsync($"node-{i}");
            }

            ulong leader = await ShownLeaderAsync(cluster, page);
            await Expect(page.GetByTestId("cluster-health")).ToHaveTextAsync("green");
            await browser.ScreenshotAsync("01-cluster");

            // Create "books" (2 shards, 1 replica) through the UI: its grid shows every shard Active on one peer.
            await page.GetByTestId("nav-collections").ClickAsync();
            await Expect(page.GetByTestId("no-collections")).ToBeVisibleAsync();
            await page.GetByTestId("create-name").FillAsync("books");
            await page.GetByTestId("create-shards").FillAsync("2");
            await page.GetByTestId("create-replication").FillAsync("1");
            await page.GetByTestId("create-submit").ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
            await Expect(page.GetByTestId("create-result")).ToHaveAttributeAsync("data-outcome", "ok");
            await Expect(page.GetByTestId("grid-books")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid^='cell-books-']")).ToHaveCountAsync(6);

            await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/books/points?wait=true", new
            {
                points = Enumerable.Range(1, Points).Select(i => new { id = i, vector = new[] { i, 1f, 0f, -1f }, payload = new { n = i } }),
            });
            var holders = await HoldersAsync(cluster);
            Assert.Equal(2, holders.Count);
            Assert.NotEqual(holders[0].Peer, holders[1].Peer);
            Assert.Equal(Points, holders.Sum(h => h.Count));
            foreach (var (shard, peer, count) in holders)
            {
                var cell = page.GetByTestId($"cell-books-{shard}-{Text(peer)}");
                await Expect(cell).ToHaveAttributeAsync("data-state", "Active");
                await Expect(cell.GetByTestId("points")).ToHaveTextAsync($"{count} pts");
            }

            await browser.ScreenshotAsync("02-collection-created");

            // Move a shard held by a follower to the peer holding nothing; that follower is then empty.
            leader = await cluster.AgreedLeaderAsync();
            var (moved, from, movedCount) = holders.First(h => h.Peer != leader);
            ulong to = Ids.Single(id => holders.All(h => h.Peer != id));
            await page.GetByTestId("op-shard-books").SelectOptionAsync(moved.ToString(CultureInfo.InvariantCulture));
            await page.GetByTestId("op-from-books").SelectOptionAsync(Text(from));
            await page.GetByTestId("op-to-books").SelectOptionAsync(Text(to));
            await page.GetByTestId("op-method-books").SelectOptionAsync("stream_records");
            await page.GetByTestId("op-submit-books").ClickAsync();
            await Expect(page.Locator(".rz-dialog")).ToContainTextAsync($"Move shard {moved} of 'books' from peer {Text(from)} to peer {Text(to)} using stream_records?");
            await browser.ScreenshotAsync("03-move-confirm", fullPage: false);
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true }).ClickAsync();
            await Expect(page.GetByTestId("op-result-books")).ToHaveAttributeAsync("data-outcome", "ok");

            // The transfer finishes: the replica is Active on the new peer with every point, gone from the old one.
            var target = page.GetByTestId($"cell-books-{moved}-{Text(to)}");
            await Expect(target).ToHaveAttributeAsync("data-state", "Active", new() { Timeout = 60_000 });
            await Expect(target.GetByTestId("points")).ToHaveTextAsync($"{movedCount} pts");
            await Expect(page.GetByTestId($"cell-books-{moved}-{Text(from)}")).ToHaveAttributeAsync("data-state", "none");
            await Expect(page.Locator($"[data-testid^='transfer-books-']")).ToHaveCountAsync(0);
            await browser.ScreenshotAsync("04-shard-moved");
            var after = await HoldersAsync(cluster);
            Assert.Contains((moved, to, movedCount), after);
            Assert.DoesNotContain(after, h => h.Peer == from);
            Assert.Equal(Points, after.Sum(h => h.Count));

            // The emptied follower: the dialog shows no warning; removing it removes its row and its grid column.
            await page.GetByTestId("nav-cluster").ClickAsync();
            await page.GetByTestId($"remove-peer-{Text(from)}").ClickAsync();
            await Expect(page.GetByTestId("remove-peer-dialog")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("remove-peer-dialog")).ToContainTextAsync(Text(from));
            await Expect(page.GetByTestId("remove-peer-warning")).ToHaveCountAsync(0);
            await browser.ScreenshotAsync("05-remove-confirm", fullPage: false);
            await page.GetByRole(AriaRole.Button, new() { Name = "Remove peer", Exact = true }).ClickAsync();
            await Expect(page.GetByTestId("action-result")).ToHaveAttributeAsync("data-outcome", "ok");
            await Expect(page.GetByTestId($"peer-row-{Text(from)}")).ToHaveCountAsync(0);
            await Expect(page.Locator("[data-testid^='peer-row-']")).ToHaveCountAsync(2);
            await Expect(page.GetByTestId("peer-count")).ToHaveTextAsync("2");
            await ShownLeaderAsync(cluster, page);
            await browser.ScreenshotAsync("06-peer-removed");
            foreach (var n in cluster.Nodes.Where((_, i) => Ids[i] != from))
            {
                var peers = (await LocalCluster.GetAsync(n, "/cluster")).GetProperty("peers");
                Assert.False(peers.TryGetProperty(Text(from), out _), $"{n.Name} still lists peer {from}: {peers}");
            }

            await page.GetByTestId("nav-collections").ClickAsync();
            await Expect(page.GetByTestId($"grid-col-books-{Text(to)}")).ToBeVisibleAsync();
            await Expect(page.GetByTestId($"grid-col-books-{Text(from)}")).ToHaveCountAsync(0);
            await Expect(page.Locator("[data-testid^='cell-books-']")).ToHaveCountAsync(4);
            await browser.ScreenshotAsync("07-grid-without-removed-peer");
        }
        catch
        {
            await browser.ScreenshotAsync("failure");
            Console.WriteLine(dashboard.Output);
            Console.WriteLine(cluster.Logs());
            throw;
        }
    }

    private static string Text(ulong id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Waits until the page marks exactly one row as leader and names it in the summary, and that is the leader the
    /// running nodes agree on (elections may happen on a loaded machine, so the leader is read, not assumed).
    /// </summary>
    private static async Task<ulong> ShownLeaderAsync(LocalCluster cluster, IPage page)
    {
        ulong shown = 0;
        await cluster.WaitUntilAsync(async () =>
        {
            ulong leader = await cluster.AgreedLeaderAsync();
            var rows = page.Locator("[data-testid^='peer-row-'][data-leader='true']");
            if (leader == 0 || await rows.CountAsync() != 1) return false;
            shown = leader;
            return await rows.GetAttributeAsync("data-peer-id") == Text(leader)
                && await page.GetByTestId("leader-id").TextContentAsync() == Text(leader);
        }, "the page to show the leader the nodes agree on", TimeSpan.FromSeconds(20));
        return shown;
    }

    /// <summary>Every replica of "books" with its peer and point count, each read from the peer holding it.</summary>
    private static async Task<List<(uint Shard, ulong Peer, int Count)>> HoldersAsync(LocalCluster cluster)
    {
        var replicas = new List<(uint, ulong, int)>();
        foreach (var n in cluster.Nodes.Where(n => n.IsRunning))
        {
            var info = await LocalCluster.GetAsync(n, "/collections/books/cluster");
            ulong peer = info.GetProperty("peer_id").GetUInt64();
            foreach (var local in info.GetProperty("local_shards").EnumerateArray())
            {
                Assert.Equal("Active", local.GetProperty("state").GetString());
                replicas.Add((local.GetProperty("shard_id").GetUInt32(), peer, local.GetProperty("points_count").GetInt32()));
            }
        }

        replicas.Sort();
        return replicas;
    }
}
