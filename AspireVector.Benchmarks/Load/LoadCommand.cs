using System.Buffers;
using System.Diagnostics;
using System.Text.Json;

namespace AspireVector.Benchmarks.Load;

/// <summary>
/// The <c>load</c> command: end-to-end figures of a node over its REST API. Upsert throughput (batches with
/// <c>wait</c>, seeded random vectors, small payload), then query QPS and latency, then, when it launched the node
/// itself (<c>--start-node</c>), the time a SIGKILLed node takes to be ready again and to count every point.
/// </summary>
public static class LoadCommand
{
    /// <summary>Untimed queries first, so the server's JIT and caches are warm.</summary>
    private const int WarmupQueries = 20;

    /// <summary>How long a node may take to start or recover before the run is declared failed.</summary>
    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    public static int Run(string[] args)
    {
        LoadOptions options;
        try { options = LoadOptions.Parse(args); }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("usage: load [--url http://127.0.0.1:6333 | --start-node [--node-dll PATH]] [--points 100000] [--dim 128] [--batch 100] [--clients 1] [--wait true] [--queries 300] [--limit 10] [--seed 42] [--collection load_bench] [--collection-config JSON-MEMBERS] [--keep] [--json out.json] [--api rest|grpc] [--grpc-port 6334]");
            return 2;
        }

        try
        {
            return RunAsync(options).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or InvalidOperationException or FileNotFoundException)
        {
            Console.Error.WriteLine("load failed: " + e.Message);
            return 1;
        }
    }

    private static async Task<int> RunAsync(LoadOptions options)
    {
        string? root = null;
        NodeProcess? node = null;
        try
        {
            string? dll = null;
            if (options.StartNode)
            {
                dll = NodeProcess.FindNodeDll(options.NodeDll);
                root = Directory.CreateTempSubdirectory("av-load-").FullName;
                node = NodeProcess.Start(dll, root, NodeProcess.FreePort());
            }

            using var client = new LoadClient(node?.Url ?? options.Url, options.Clients);
            using var grpc = options.Api == "grpc" ? new GrpcLoadClient((node?.Url ?? options.Url).Host, node?.GrpcPort ?? options.GrpcPort) : null;
            if (node is not null) await WaitUntilAsync(node, client.IsReadyAsync, "/readyz");
            Console.WriteLine($"load: {options.Points} points x {options.Dim} dims, batch {options.Batch}, {options.Clients} client(s), wait={options.Wait.ToString().ToLowerInvariant()}, api {options.Api}, " +
                $"{options.Queries} queries (limit {options.Limit}), against {client.BaseAddress}{(node is not null ? $" (node started from {dll}, storage {root})" : "")}");

            await client.RecreateCollectionAsync(options.Collection, options.Dim, options.CollectionConfig);
            var upsert = await MeasureUpsertAsync(client, grpc, options);
            double indexedSeconds = upsert.Seconds + await WaitUntilIndexedAsync(client, options);
            long stored = await client.CountAsync(options.Collection);
            if (stored != options.Points)
                throw new InvalidOperationException($"count after upsert is {stored}, expected {options.Points}" + (options.Wait ? "" : " (wait=false: writes may still be in flight)"));
            var search = await MeasureSearchAsync(client, grpc, options);

            LoadRestart? restart = null;
            if (node is not null)
            {
                (restart, node) = await MeasureRestartAsync(node, dll!, root!, options);
            }
            else if (!options.Keep)
            {
                await client.DeleteCollectionAsync(options.Collection);
            }

            Print(upsert, indexedSeconds, search, restart, options);
            if (options.Json is not null)
            {
                var result = new LoadResult
                {
                    Url = client.BaseAddress.ToString(), StartedNode = options.StartNode, Points = options.Points, Dimension = options.Dim,
                    Batch = options.Batch, Clients = options.Clients, Wait = options.Wait, Upsert = upsert, IndexedSeconds = indexedSeconds, Search = search, Restart = restart,
                };
                File.WriteAllText(options.Json, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
            }
            return 0;
        }
        catch (Exception) when (node is not null)
        {
            Console.Error.WriteLine("node output (last lines):\n" + node.RecentOutput);
            throw;
        }
        finally
        {
            node?.Dispose();
            if (root is not null) Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// <c>--clients</c> workers take batches in id order; each request's latency is kept. Encoding the JSON body
    /// happens in the worker, so the wall time includes it (a few percent of a 100-point request).
    /// </summary>
    private static async Task<LoadPhase> MeasureUpsertAsync(LoadClient client, GrpcLoadClient? grpc, LoadOptions options)
    {
        int batches = (options.Points + options.Batch - 1) / options.Batch;
        var latencies = new double[batches];
        int next = -1;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Clients).Select(_ => Task.Run(async () =>
        {
            var body = new ArrayBufferWriter<byte>();
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches)
            {
                int first = b * options.Batch;
                int count = Math.Min(options.Batch, options.Points - first);
                long start = Stopwatch.GetTimestamp();
                if (grpc is not null)
                {
                    // The protobuf message is built inside the timed span, as the JSON body is below.
                    await grpc.UpsertAsync(options.Collection, first, count, options.Dim, options.Seed, options.Wait);
                    latencies[b] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    continue;
                }

                body.ResetWrittenCount();
                LoadClient.UpsertBody(body, first, count, options.Dim, options.Seed);
                await client.UpsertAsync(options.Collection, body.WrittenMemory, options.Wait);
                latencies[b] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return Phase(batches, options.Points, watch.Elapsed.TotalSeconds, latencies);
    }

    private static async Task<LoadPhase> MeasureSearchAsync(LoadClient client, GrpcLoadClient? grpc, LoadOptions options)
    {
        var random = new Random(options.Seed + 1);
        var bodies = Enumerable.Range(0, options.Queries).Select(_ => LoadClient.QueryBody(random, options.Dim, options.Limit)).ToArray();
        random = new Random(options.Seed + 1);
        var vectors = Enumerable.Range(0, options.Queries).Select(_ => GrpcLoadClient.QueryVector(random, options.Dim)).ToArray();
        Task<int> Query(int q) => grpc is not null ? grpc.QueryAsync(options.Collection, vectors[q], options.Limit) : client.QueryAsync(options.Collection, bodies[q]);
        int expectedHits = Math.Min(options.Limit, options.Points);
        for (int q = 0; q < Math.Min(WarmupQueries, bodies.Length); q++) await Query(q);

        var latencies = new double[bodies.Length];
        int next = -1, shortAnswers = 0;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Clients).Select(_ => Task.Run(async () =>
        {
            int q;
            while ((q = Interlocked.Increment(ref next)) < bodies.Length)
            {
                long start = Stopwatch.GetTimestamp();
                int hits = await Query(q);
                latencies[q] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (hits != expectedHits) Interlocked.Increment(ref shortAnswers);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        if (shortAnswers > 0) Console.Error.WriteLine($"warning: {shortAnswers} queries returned fewer than {expectedHits} points");
        return Phase(bodies.Length, bodies.Length, watch.Elapsed.TotalSeconds, latencies);
    }

    /// <summary>SIGKILL, start again on the same storage, time until ready and until every point is counted.</summary>
    private static async Task<(LoadRestart, NodeProcess)> MeasureRestartAsync(NodeProcess node, string dll, string root, LoadOptions options)
    {
        node.Kill();
        node.Dispose();
        var restarted = NodeProcess.Start(dll, root, NodeProcess.FreePort());
        using var client = new LoadClient(restarted.Url, 1);
        await WaitUntilAsync(restarted, client.IsReadyAsync, "/readyz");
        double ready = Stopwatch.GetElapsedTime(restarted.StartedTimestamp).TotalSeconds;
        long count = -1;
        await WaitUntilAsync(restarted, async () =>
        {
            try { count = await client.CountAsync(options.Collection); }
            catch (HttpRequestException) { count = -1; } // collection not loaded yet
            return count == options.Points;
        }, $"count == {options.Points} (last {count})");
        double full = Stopwatch.GetElapsedTime(restarted.StartedTimestamp).TotalSeconds;
        return (new LoadRestart(ready, full, count), restarted);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails when the node exits or the deadline passes.</summary>
    private static async Task WaitUntilAsync(NodeProcess node, Func<Task<bool>> condition, string what)
    {
        using var timer = new PeriodicTimer(PollInterval);
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (node.HasExited) throw new InvalidOperationException($"the node exited while waiting for {what}");
            if (deadline.Elapsed > StartDeadline) throw new TimeoutException($"no {what} within {StartDeadline}");
            await timer.WaitForNextTickAsync();
        }
    }

    private static LoadPhase Phase(int requests, int items, double seconds, double[] latenciesMs)
    {
        Array.Sort(latenciesMs);
        return new LoadPhase(requests, items, seconds, items / seconds,
            latenciesMs[latenciesMs.Length / 2], latenciesMs[Math.Min(latenciesMs.Length - 1, (int)(latenciesMs.Length * 0.99))], latenciesMs[^1]);
    }

    /// <summary>
    /// Seconds after the upsert phase until <c>indexed_vectors_count</c> reaches <c>points_count</c>: upserts are
    /// acknowledged once applied, and the graph index catches up in the background.
    /// </summary>
    private static async Task<double> WaitUntilIndexedAsync(LoadClient client, LoadOptions options)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var (points, indexed) = await client.IndexingStateAsync(options.Collection);
            if (indexed >= points) return watch.Elapsed.TotalSeconds;
            if (watch.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"{indexed} of {points} vectors indexed after 10 minutes");
            await Task.Delay(50);
        }
    }

    private static void Print(LoadPhase upsert, double indexedSeconds, LoadPhase search, LoadRestart? restart, LoadOptions options)
    {
        Console.WriteLine();
        Console.WriteLine($"{"phase",-8} {"requests",9} {"items",9} {"seconds",9} {"rate",16} {"p50 ms",9} {"p99 ms",9} {"max ms",9}");
        Row("upsert", upsert, "points/s");
        Console.WriteLine($"{"indexed",-8} {"",9} {upsert.Items,9} {indexedSeconds,9:F2} {upsert.Items / indexedSeconds,7:F0} {"points/s",-8}   (upserts plus the background indexing they queued)");
        Row("search", search, "QPS");
        if (restart is not null)
        {
            Console.WriteLine($"restart after SIGKILL with {options.Points} points stored: /readyz 200 after {restart.ReadySeconds:F2} s, " +
                $"count {restart.Count} after {restart.FullCountSeconds:F2} s (from process start)");
        }
        else
        {
            Console.WriteLine("restart: skipped (needs --start-node)");
        }
    }

    private static void Row(string name, LoadPhase p, string unit) =>
        Console.WriteLine($"{name,-8} {p.Requests,9} {p.Items,9} {p.Seconds,9:F2} {p.Rate,7:F0} {unit,-8} {p.P50Millis,9:F2} {p.P99Millis,9:F2} {p.MaxMillis,9:F2}");
}
