using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using AspireVector.Benchmarks.Load;

namespace AspireVector.Benchmarks.Cluster;

/// <summary>
/// Cluster figures on loopback: leader failover (SIGKILL the leader, time until a survivor accepts a collection
/// create; median of N trials), a joiner catching up with a long Raft log (via snapshot), replicated upsert
/// throughput and search latency (the <c>load</c> workload against node 0), and a shard transfer by stream_records and by snapshot.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project AspireVector.Benchmarks -- cluster [--nodes 3] [--trials 10] [--entries 10000]
/// [--points 100000] [--tick-ms 100]</c>. Every node is a real process started from the build output.
/// </remarks>
public static class ClusterBench
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public static int Run(string[] args)
    {
        int nodes = 3, trials = 10, entries = 10_000, points = 100_000, tickMs = 100;
        for (int i = 0; i < args.Length; i++)
        {
            int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--nodes": nodes = Next(); break;
                case "--trials": trials = Next(); break;
                case "--entries": entries = Next(); break;
                case "--points": points = Next(); break;
                case "--tick-ms": tickMs = Next(); break;
                default:
                    Console.Error.WriteLine("usage: cluster [--nodes 3] [--trials 10] [--entries 10000] [--points 100000] [--tick-ms 100]");
                    return 2;
            }
        }

        return RunAsync(nodes, trials, entries, points, tickMs).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int count, int trials, int entries, int points, int tickMs)
    {
        string dll = NodeProcess.FindNodeDll(null);
        string root = Path.Combine(Path.GetTempPath(), "av-cluster-bench-" + Guid.NewGuid().ToString("N"));
        var cluster = new BenchCluster(dll, root, tickMs);
        try
        {
            for (int i = 0; i < count; i++) cluster.Add();
            await cluster.WaitFormedAsync(count);
            Console.WriteLine($"cluster of {count} formed (tick {tickMs} ms)");

            var failovers = new List<double>();
            for (int t = 0; t < trials; t++) failovers.Add(await FailoverTrialAsync(cluster, t));
            failovers.Sort();
            Console.WriteLine($"failover: median {Median(failovers):F0} ms, min {failovers[0]:F0} ms, max {failovers[^1]:F0} ms over {trials} trials (kill leader -> collection create succeeds)");

            int node0 = cluster.Running().First();
            Console.WriteLine($"replicated load through {cluster.Url(node0)} (replication_factor 2):");
            int code = LoadCommand.Run(["--url", cluster.Url(node0).ToString(), "--points", points.ToString(CultureInfo.InvariantCulture),
                "--collection", "cluster_load", "--collection-config", "\"replication_factor\":2", "--keep"]);
            if (code != 0) return code;
            await TransferAsync(cluster, "cluster_load", "stream_records", 0);
            await TransferAsync(cluster, "cluster_load", "snapshot", 1);
            await CatchUpAsync(cluster, entries);
            return 0;
        }
        finally
        {
            cluster.Dispose();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<double> FailoverTrialAsync(BenchCluster cluster, int trial)
    {
        ulong leader = await cluster.AgreedLeaderAsync();
        int leaderIndex = await cluster.IndexOfAsync(leader);
        var survivor = cluster.Running().First(i => i != leaderIndex);
        var sw = Stopwatch.StartNew();
        cluster.Kill(leaderIndex);
        while (true)
        {
            using var response = await Http.PutAsJsonAsync(new Uri(cluster.Url(survivor), $"collections/failover_{trial}"), new { vectors = new { size = 4, distance = "Dot" } });
            if (response.IsSuccessStatusCode) break;
            if (sw.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("no collection create succeeded after failover");
            await Task.Delay(10);
        }

        double ms = sw.Elapsed.TotalMilliseconds;
        Console.WriteLine($"  trial {trial + 1}: {ms:F0} ms");
        cluster.Restart(leaderIndex);
        await cluster.WaitFormedAsync(cluster.Count);
        return ms;
    }

    /// <summary>Commits <paramref name="entries"/> metadata changes, then times a new peer until it is ready.</summary>
    private static async Task CatchUpAsync(BenchCluster cluster, int entries)
    {
        int node = cluster.Running().First();
        var url = cluster.Url(node);
        using (var create = await Http.PutAsJsonAsync(new Uri(url, "collections/raft_log"), new { vectors = new { size = 4, distance = "Dot" } })) create.EnsureSuccessStatusCode();
        var sw = Stopwatch.StartNew();
        int done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, entries), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            using var patch = await Http.PatchAsJsonAsync(new Uri(url, "collections/raft_log"), new { optimizers_config = new { flush_interval_sec = 1 + (i % 50) } }, ct);
            patch.EnsureSuccessStatusCode();
            Interlocked.Increment(ref done);
        });
        var status = await cluster.ClusterAsync(node);
        Console.WriteLine($"committed {done} entries in {sw.Elapsed.TotalSeconds:F1} s (commit index {status.GetProperty("raft_info").GetProperty("commit").GetUInt64()})");

        int peersBefore = status.GetProperty("peers").EnumerateObject().Count();
        sw.Restart();
        int joiner = cluster.Add();
        while ((await cluster.ClusterAsync(node)).GetProperty("peers").EnumerateObject().Count() == peersBefore) await Task.Delay(5);
        double joined = sw.Elapsed.TotalMilliseconds;
        await cluster.WaitReadyAsync(joiner);
        double ready = sw.Elapsed.TotalMilliseconds;
        Console.WriteLine($"catch-up: new peer announced after {joined:F0} ms (process start), caught up {ready - joined:F0} ms after the cluster added it (ready at {ready:F0} ms)");
    }

    /// <summary>
    /// Replicates the <paramref name="rank"/>-th largest local shard of <paramref name="collection"/> to a peer without it
    /// by <paramref name="method"/> and reports points/s (each method copies another shard: a second transfer of the same
    /// shard to the same peer would wait for the first one's runner to wind down).
    /// </summary>
    private static async Task TransferAsync(BenchCluster cluster, string collection, string method, int rank)
    {
        int node = cluster.Running().First();
        var url = cluster.Url(node);
        var info = await GetResultAsync(new Uri(url, $"collections/{collection}/cluster"));
        ulong self = info.GetProperty("peer_id").GetUInt64();
        var local = info.GetProperty("local_shards").EnumerateArray().OrderByDescending(s => s.GetProperty("points_count").GetInt64()).ElementAt(rank);
        uint shard = local.GetProperty("shard_id").GetUInt32();
        long shardPoints = local.GetProperty("points_count").GetInt64();
        var holders = info.GetProperty("remote_shards").EnumerateArray().Where(s => s.GetProperty("shard_id").GetUInt32() == shard).Select(s => s.GetProperty("peer_id").GetUInt64()).Append(self).ToHashSet();
        var peers = (await cluster.ClusterAsync(node)).GetProperty("peers").EnumerateObject().Select(p => ulong.Parse(p.Name, CultureInfo.InvariantCulture));
        ulong target = peers.First(p => !holders.Contains(p));
        var sw = Stopwatch.StartNew();
        using (var start = await Http.PostAsJsonAsync(new Uri(url, $"collections/{collection}/cluster"), new { replicate_shard = new { shard_id = shard, from_peer_id = self, to_peer_id = target, method } }))
            start.EnsureSuccessStatusCode();
        while (true)
        {
            var now = await GetResultAsync(new Uri(url, $"collections/{collection}/cluster"));
            bool active = now.GetProperty("shard_transfers").GetArrayLength() == 0
                && now.GetProperty("remote_shards").EnumerateArray().Any(s => s.GetProperty("shard_id").GetUInt32() == shard && s.GetProperty("peer_id").GetUInt64() == target && s.GetProperty("state").GetString() == "Active");
            if (active) break;
            if (sw.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException("transfer did not finish");
            await Task.Delay(20);
        }

        double s = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"transfer: shard {shard} ({shardPoints} points, dim 128) replicated by {method} in {s:F2} s = {shardPoints / s:F0} points/s");

    }

    internal static async Task<JsonElement> GetResultAsync(Uri uri)
    {
        using var response = await Http.GetAsync(uri);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("result").Clone();
    }

    private static double Median(List<double> sorted) => sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
