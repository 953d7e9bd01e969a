using System.Net;
using System.Text.Json;
using AspireVector.Tests.Api.Rest;

namespace AspireVector.Tests.Storage;

/// <summary>
/// Disk faults against the real node binary: segment files damaged while it was stopped, and a full disk (simulated
/// through <c>storage.fault_injection_file</c>) under WAL appends and segment flushes.
/// </summary>
[Trait("Category", "Process")]
[Collection(AspireVector.Tests.Cluster.ClusterProcesses.Name)]
public sealed class DiskFaultProcessTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Collections and the segment file each one gets damaged in (null: left intact).</summary>
    private static readonly (string Name, string? File, string Damage)[] Collections =
    [
        ("healthy", null, ""),
        ("bad_points", "points.bin", "truncate"),
        ("bad_graph", "index/hnsw.bin", "flip"),
        ("bad_sums", "checksums", "truncate"),
    ];

    [Fact]
    public async Task Damaged_segment_files_fail_only_their_collection_and_nothing_wrong_is_served()
    {
        using var dir = new TempDirectory();
        string storage = Path.Combine(dir.Path, "storage");
        string healthyPoints;
        using (var node = await NodeProcess.StartAsync(storage, dir.Path))
        {
            var api = Api(node);
            foreach (var (name, _, _) in Collections)
            {
                await api.CreateCollectionAsync(name, distance: "Euclid");
                await api.UpsertAsync(name, Points(0, 50));
            }

            healthyPoints = await PointsAsync(api, "healthy");
            await node.StopAsync(); // clean stop: everything flushed into segments, WAL truncated
        }

        foreach (var (name, file, damage) in Collections)
        {
            if (file is not null) SegmentDamageTests.Damage(Path.Combine(CurrentSegment(storage, name), file), damage);
        }

        using (var node = await NodeProcess.StartAsync(storage, dir.Path))
        {
            var api = Api(node);
            Assert.Equal(Collections.Select(c => c.Name).Order(), (await api.GetAsync("/collections")).Result.GetProperty("collections")
                .EnumerateArray().Select(c => c.GetProperty("name").GetString()!).Order());

            // The intact collection is served in full and takes writes.
            Assert.Equal(healthyPoints, await PointsAsync(api, "healthy"));
            Assert.Equal("green", (await api.GetAsync("/collections/healthy")).Result.GetProperty("status").GetString());
            Assert.Equal(2, (await api.PostAsync("/collections/healthy/points/search", """{"vector": [1, 1, 1, 1], "limit": 2}""")).Result.GetArrayLength());
            await api.UpsertAsync("healthy", Points(50, 10));

            foreach (var (name, file, _) in Collections.Where(c => c.File is not null))
            {
                var info = (await api.GetAsync($"/collections/{name}")).Result;
                Assert.Equal("red", info.GetProperty("status").GetString());
                string reported = info.GetProperty("optimizer_status").GetProperty("error").GetString()!;
                Assert.True(reported.Contains($"Failed to load local shard 0 of collection `{name}`: segment file `{file}`", StringComparison.Ordinal), reported);

                foreach (var answer in new[]
                {
                    await api.PostAsync($"/collections/{name}/points/scroll", """{"limit": 10}"""),
                    await api.PostAsync($"/collections/{name}/points/search", """{"vector": [1, 1, 1, 1], "limit": 3}"""),
                    await api.PostAsync($"/collections/{name}/points/count", """{"exact": true}"""),
                    await api.PutAsync($"/collections/{name}/points?wait=true", $$"""{"points": {{Points(100, 1)}}}"""),
                })
                {
                    string error = answer.Error(HttpStatusCode.InternalServerError);
                    Assert.Equal(reported, error);
                    AssertNoInternals(error, dir.Path);
                }
            }

            Assert.True(node.OutputLinesContaining("failed to load and is out of service") >= 3, node.Output);

            // The way out: delete the damaged collection and create it again.
            Assert.True((await api.DeleteAsync("/collections/bad_points")).Result.GetBoolean());
            await api.CreateCollectionAsync("bad_points", distance: "Euclid");
            await api.UpsertAsync("bad_points", Points(0, 5));
            Assert.Equal(5, await api.CountAsync("bad_points"));
            await node.KillAsync(); // the 10 points written after the restart may only be in the WAL
        }

        using (var node = await NodeProcess.StartAsync(storage, dir.Path))
        {
            var api = Api(node);
            Assert.Equal(60, await api.CountAsync("healthy"));
            Assert.Equal(5, await api.CountAsync("bad_points"));
        }
    }

    [Fact]
    public async Task Full_disk_refuses_writes_clearly_keeps_reads_and_loses_nothing_acknowledged()
    {
        using var dir = new TempDirectory();
        string storage = Path.Combine(dir.Path, "storage");
        string faults = Path.Combine(dir.Path, "storage-faults");
        var env = new Dictionary<string, string> { ["AV__STORAGE__FAULT_INJECTION_FILE"] = faults };
        var acknowledged = new SortedSet<int>();
        var indeterminate = new SortedSet<int>();
        using (var node = await NodeProcess.StartAsync(storage, dir.Path, env))
        {
            var api = Api(node);
            await api.CreateCollectionAsync("c", distance: "Euclid", extra: """, "shard_number": 2""");
            await UpsertAcknowledgedAsync(api, 0, 40, acknowledged);
            await WaitAsync(() => Directory.EnumerateFiles(Path.Combine(storage, "collections", "c"), "CURRENT", SearchOption.AllDirectories).Count() == 2, "first flush");

            // Segment flushes fail: writes still go to the WAL and are acknowledged; the flush failure is logged.
            File.WriteAllText(faults, "flush\n");
            int flushFailures = node.OutputLinesContaining("Flush of collection c failed");
            await UpsertAcknowledgedAsync(api, 40, 40, acknowledged);
            await WaitAsync(() => node.OutputLinesContaining("Flush of collection c failed") > flushFailures, "a failed flush");

            // WAL writes fail too: writes are refused with a clear 500, reads keep working on everything acknowledged.
            File.WriteAllText(faults, "flush\nwal\n");
            // A write racing the node picking up the fault (within 100 ms) may be refused after it was applied ("not
            // acknowledged", indeterminate): such ids may or may not be stored; every acknowledged id must be.
            string error = await RefusedWriteAsync(api, acknowledged, indeterminate);
            Assert.Equal("Service internal error: No space left on device: shard 0: the update was not applied; free disk space or fix the storage and retry",
                error.Replace("shard 1:", "shard 0:", StringComparison.Ordinal));
            AssertNoInternals(error, dir.Path);
            await AssertStoredAsync(api, acknowledged, indeterminate);
            Assert.Equal(3, (await api.PostAsync("/collections/c/points/search", """{"vector": [1, 1, 1, 1], "limit": 3}""")).Result.GetArrayLength());
            Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/readyz")).StatusCode);

            // Room on the disk again for the WAL (flushes still failing): writes succeed once more.
            File.WriteAllText(faults, "flush\n");
            await WaitAsync(async () => await TryUpsertAsync(api, 200, acknowledged), "a write accepted after the WAL fault cleared");
            await UpsertAcknowledgedAsync(api, 300, 20, acknowledged);
            await AssertStoredAsync(api, acknowledged, indeterminate);
            await node.KillAsync(); // no flush ever succeeded since the first: everything after it is only in the WAL
        }

        File.Delete(faults);
        using (var node = await NodeProcess.StartAsync(storage, dir.Path, env))
        {
            var api = Api(node);
            await AssertStoredAsync(api, acknowledged, indeterminate);
            await UpsertAcknowledgedAsync(api, 400, 5, acknowledged);
            await AssertStoredAsync(api, acknowledged, indeterminate);
        }
    }

    /// <summary>Every acknowledged id is stored, nothing else but indeterminate ones, and the count agrees.</summary>
    private static async Task AssertStoredAsync(RestClient api, SortedSet<int> acknowledged, SortedSet<int> indeterminate)
    {
        var ids = await IdsAsync(api);
        Assert.Superset(acknowledged, ids);
        Assert.Subset(new SortedSet<int>(acknowledged.Concat(indeterminate)), ids);
        Assert.Equal(ids.Count, await api.CountAsync("c"));
    }

    private static RestClient Api(NodeProcess node) => new(new HttpClient { BaseAddress = new Uri(node.Url) });

    private static string Points(int from, int count) => "[" + string.Join(',', Enumerable.Range(from, count)
        .Select(i => $"{{\"id\": {i}, \"vector\": [{i}, {i % 7}, 1, -1], \"payload\": {{\"i\": {i}}}}}")) + "]";

    private static async Task UpsertAcknowledgedAsync(RestClient api, int from, int count, SortedSet<int> acknowledged)
    {
        await api.UpsertAsync("c", Points(from, count));
        acknowledged.UnionWith(Enumerable.Range(from, count));
    }

    /// <summary>One point; true (and recorded) when acknowledged, false on a 500.</summary>
    private static async Task<bool> TryUpsertAsync(RestClient api, int id, SortedSet<int> acknowledged)
    {
        var answer = await api.PutAsync("/collections/c/points?wait=true", $$"""{"points": {{Points(id, 1)}}}""");
        if (answer.Status == HttpStatusCode.InternalServerError) return false;
        Assert.Equal("completed", answer.Result.GetProperty("status").GetString());
        acknowledged.Add(id);
        return true;
    }

    /// <summary>Writes single points until one is refused (the fault file is picked up within 100 ms); returns the error.</summary>
    private static async Task<string> RefusedWriteAsync(RestClient api, SortedSet<int> acknowledged, SortedSet<int> indeterminate)
    {
        var until = DateTime.UtcNow + Deadline;
        for (int id = 100; ; id++)
        {
            var answer = await api.PutAsync("/collections/c/points?wait=true", $$"""{"points": {{Points(id, 1)}}}""");
            if (answer.Status != HttpStatusCode.OK)
            {
                string error = answer.Error(HttpStatusCode.InternalServerError);
                if (!error.Contains("is not acknowledged", StringComparison.Ordinal)) return error;
                indeterminate.Add(id);
                continue;
            }
            acknowledged.Add(id);
            Assert.True(DateTime.UtcNow < until, "writes were never refused");
        }
    }

    private static async Task<SortedSet<int>> IdsAsync(RestClient api) =>
        [.. (await api.ScrollAllAsync("c")).Select(p => p.GetProperty("id").GetInt32())];

    private static async Task<string> PointsAsync(RestClient api, string name) =>
        string.Join('\n', (await api.ScrollAllAsync(name)).Select(JsonText.Canonical));

    private static string CurrentSegment(string storage, string collection)
    {
        string segments = Path.Combine(storage, "collections", collection, "0", "segments");
        return Path.Combine(segments, File.ReadAllText(Path.Combine(segments, "CURRENT")).Trim());
    }

    private static void AssertNoInternals(string error, string root)
    {
        Assert.DoesNotContain(root, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }

    private static Task WaitAsync(Func<bool> condition, string what) => WaitAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out waiting for " + what);
            await timer.WaitForNextTickAsync();
        }
    }
}
