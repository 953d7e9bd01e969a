using System.Net;
using AspireVector.Tests.Cluster;
using AspireVector.Tests.Storage;

namespace AspireVector.Tests.Snapshots;

/// <summary>
/// Qdrant's start-up restore flags on a node process: <c>--snapshot path:collection</c>, <c>--storage-snapshot</c>, and an
/// existing collection refused unless <c>--force-snapshot</c>.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class StartupSnapshotTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Snapshots_named_on_the_command_line_are_restored_before_the_node_serves()
    {
        using var dir = new TempDirectory();
        string snapshots = Path.Combine(dir.Path, "snapshots");
        var env = new Dictionary<string, string> { ["AV__STORAGE__SNAPSHOTS_PATH"] = snapshots };
        string collectionFile, fullFile;
        await using (var source = new NodeProcess("source", Path.Combine(dir.Path, "source"), env))
        {
            source.Start();
            await ReadyAsync(source);
            await LocalCluster.OkAsync(source, HttpMethod.Put, "/collections/books", new { vectors = new { size = 2, distance = "Dot" } });
            await LocalCluster.OkAsync(source, HttpMethod.Put, "/collections/books/points?wait=true",
                new { points = Enumerable.Range(1, 30).Select(i => new { id = i, vector = new[] { i, 1f }, payload = new { i } }) });
            await LocalCluster.OkAsync(source, HttpMethod.Put, "/collections/films", new { vectors = new { size = 3, distance = "Cosine" } });
            await LocalCluster.OkAsync(source, HttpMethod.Put, "/collections/films/points?wait=true",
                new { points = Enumerable.Range(1, 7).Select(i => new { id = i, vector = new[] { i, 1f, 2f } }) });
            var single = await LocalCluster.OkAsync(source, HttpMethod.Post, "/collections/books/snapshots");
            collectionFile = Path.Combine(snapshots, "books", single.GetProperty("name").GetString()!);
            var full = await LocalCluster.OkAsync(source, HttpMethod.Post, "/snapshots");
            fullFile = Path.Combine(snapshots, full.GetProperty("name").GetString()!);
        }

        // A fresh node: the collection snapshot under a new name, and every collection of the full snapshot.
        string storage = Path.Combine(dir.Path, "restored");
        await using (var restored = new NodeProcess("restored", storage, env))
        {
            restored.Start("--snapshot", $"{collectionFile}:library", "--storage-snapshot", fullFile, "--disable-telemetry");
            await ReadyAsync(restored);
            Assert.Equal(30, await CountAsync(restored, "library"));
            Assert.Equal(30, await CountAsync(restored, "books"));
            Assert.Equal(7, await CountAsync(restored, "films"));
            await LocalCluster.OkAsync(restored, HttpMethod.Post, "/collections/library/points/delete?wait=true", new { points = new[] { 1, 2, 3 } });
        }

        // The collection exists now: refused without --force-snapshot (the node does not start), replaced with it.
        await using (var refused = new NodeProcess("refused", storage, env))
        {
            refused.Start("--snapshot", $"{collectionFile}:library");
            await WaitAsync(() => !refused.IsRunning, "the node to stop");
            Assert.Contains("Collection library already exists. Use --force-snapshot to overwrite it.", refused.Log);
        }

        await using (var forced = new NodeProcess("forced", storage, env))
        {
            forced.Start("--snapshot", $"{collectionFile}:library", "--force-snapshot");
            await ReadyAsync(forced);
            Assert.Equal(30, await CountAsync(forced, "library"));
        }
    }

    private static Task ReadyAsync(NodeProcess node) => WaitAsync(async () =>
    {
        if (!node.IsRunning) throw new InvalidOperationException($"{node.Name} exited:\n{node.Log}");
        try { return (await node.Http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK; }
        catch (HttpRequestException) { return false; }
    }, $"{node.Name} ready");

    private static Task WaitAsync(Func<bool> condition, string what) => WaitAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        Assert.True(await Telemetry.Poll.UntilAsync(condition, Deadline, TimeSpan.FromMilliseconds(100)), $"timed out waiting for {what}");
    }

    private static async Task<int> CountAsync(NodeProcess node, string collection) =>
        (await LocalCluster.OkAsync(node, HttpMethod.Post, $"/collections/{collection}/points/count", new { exact = true })).GetProperty("count").GetInt32();
}
