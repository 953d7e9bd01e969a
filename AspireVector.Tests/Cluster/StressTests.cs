using AspireVector.Benchmarks.Stress;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// The short version of the <c>stress</c> benchmark: ~45 s of mixed upserts, deletes, searches, scrolls, counts and
/// retrieves from several clients through every node while shards keep moving; no 5xx, every replica holds exactly
/// what the clients' model says, the cluster settles, and memory does not keep growing.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class StressTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task MixedLoadWithShardMovesHasNoServerErrorsLosesNothingAndKeepsMemorySteady()
    {
        await using var cluster = await LocalCluster.StartAsync(3, new Dictionary<string, string>
        {
            ["AV__CLUSTER__CONSENSUS__TICK_PERIOD_MS"] = "100",
            ["AV__CLUSTER__SELF_HEALING__ENABLED"] = "true",
        });
        var options = new StressOptions
        {
            Duration = TimeSpan.FromSeconds(45),
            Clients = 3,
            Shards = 3,
            ReplicationFactor = 2,
            MaxPointsPerClient = 500,
            MoveEvery = TimeSpan.FromSeconds(3),
            SampleEvery = TimeSpan.FromSeconds(5),
            Collection = "stressed",
        };
        var nodes = cluster.Nodes.Select(n => new StressNode(n.Http.BaseAddress!, () => n.ProcessId)).ToList();
        using var workload = new StressWorkload(options, nodes);
        var report = await workload.RunAsync();
        output.WriteLine(report.Table());

        Assert.True(report.ServerErrors == 0, $"5xx or unanswered requests:\n{report.Table()}");
        Assert.True(report.ModelMatches, report.Table());
        Assert.Equal(0, report.ReadAnomalies);
        Assert.True(report.Settled, report.Table());
        Assert.True(report.Transfers >= 3, $"only {report.Transfers} shard transfers completed:\n{report.Table()}");
        foreach (var op in new[] { "upsert", "delete_ids", "delete_filter", "search", "scroll", "count", "retrieve" })
        {
            Assert.True(report.Ops.TryGetValue(op, out var stats) && stats.Ok > 0, $"no successful {op}");
        }

        // Memory: the data stops growing early (at most 1,500 points of dim 64, reached in the first seconds; then clients
        // overwrite and delete), so once warmed up (JIT tiers, pools, GC budgets: the sample at 40% of the run) RSS must
        // stay within 1.5x of it to the end, per node. A leak per operation or per shard move would grow past that.
        for (int i = 0; i < report.Rss.Count; i++)
        {
            var samples = report.Rss[i];
            Assert.True(samples.Count >= 4, $"node {i}: only {samples.Count} RSS samples");
            var warm = samples.First(s => s.At >= options.Duration.TotalSeconds * 0.4);
            Assert.True(samples[^1].RssKb < warm.RssKb * 3 / 2,
                $"node {i}: RSS grew from {warm.RssKb / 1024} MiB at {warm.At:F0} s to {samples[^1].RssKb / 1024} MiB at the end\n{report.Table()}");
        }
    }
}
