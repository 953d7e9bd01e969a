using System.Globalization;
using AspireVector.Benchmarks.Cluster;
using AspireVector.Benchmarks.Load;

namespace AspireVector.Benchmarks.Stress;

/// <summary>
/// The <c>stress</c> command: a real 3-node loopback cluster under a long mixed load (upserts, deletes by ids and by
/// filter, searches, scrolls, counts, retrieves) with shard moves every few seconds; prints a summary table (and
/// <c>--json</c>); exits 1 on any 5xx, unanswered request or model mismatch.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project AspireVector.Benchmarks -- stress [--duration 180] [--nodes 3] [--clients 4]
/// [--dim 64] [--shards 6] [--rf 2] [--batch 50] [--max-points 5000] [--move-every 5] [--sample-every 10] [--seed 42]
/// [--tick-ms 100] [--json out.json]</c>.
/// </remarks>
public static class StressCommand
{
    private const string Usage = "usage: stress [--duration 180] [--nodes 3] [--clients 4] [--dim 64] [--shards 6] [--rf 2] [--batch 50] [--max-points 5000] "
        + "[--move-every 5] [--sample-every 10] [--seed 42] [--tick-ms 100] [--json out.json]";

    public static int Run(string[] args)
    {
        var options = new StressOptions();
        int nodes = 3, tickMs = 100;
        string? json = null;
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
                options = args[i] switch
                {
                    "--duration" => options with { Duration = TimeSpan.FromSeconds(Next()) },
                    "--clients" => options with { Clients = Next() },
                    "--dim" => options with { Dim = Next() },
                    "--shards" => options with { Shards = Next() },
                    "--rf" => options with { ReplicationFactor = Next() },
                    "--batch" => options with { Batch = Next() },
                    "--max-points" => options with { MaxPointsPerClient = Next() },
                    "--move-every" => options with { MoveEvery = TimeSpan.FromSeconds(Next()) },
                    "--sample-every" => options with { SampleEvery = TimeSpan.FromSeconds(Next()) },
                    "--seed" => options with { Seed = Next() },
                    "--nodes" => Set(ref nodes, Next(), options),
                    "--tick-ms" => Set(ref tickMs, Next(), options),
                    "--json" => SetText(ref json, args[++i], options),
                    _ => throw new ArgumentException($"unknown option {args[i]}"),
                };
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IndexOutOfRangeException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        try
        {
            return RunAsync(options, nodes, tickMs, json).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or InvalidOperationException or FileNotFoundException)
        {
            Console.Error.WriteLine("stress failed: " + e.Message);
            return 1;
        }
    }

    private static async Task<int> RunAsync(StressOptions options, int count, int tickMs, string? json)
    {
        string dll = NodeProcess.FindNodeDll(null);
        string root = Path.Combine(Path.GetTempPath(), "av-stress-" + Guid.NewGuid().ToString("N"));
        // Self-healing on, as the AppHost runs a cluster: a replica marked dead under load is recovered during the run.
        var cluster = new BenchCluster(dll, root, tickMs, new Dictionary<string, string> { ["AV__CLUSTER__SELF_HEALING__ENABLED"] = "true" });
        try
        {
            for (int i = 0; i < count; i++) cluster.Add();
            await cluster.WaitFormedAsync(count);
            Console.WriteLine($"cluster of {count} formed; stress for {options.Duration.TotalSeconds:F0} s: {options.Clients} clients, dim {options.Dim}, "
                + $"{options.Shards} shards x rf {options.ReplicationFactor}, batches of {options.Batch}, a shard move every {options.MoveEvery.TotalSeconds:F0} s");
            var nodes = Enumerable.Range(0, count).Select(i => new StressNode(cluster.Url(i), () => cluster.ProcessId(i))).ToList();
            using var workload = new StressWorkload(options, nodes, Console.Out);
            var report = await workload.RunAsync();
            Console.Write(report.Table());
            if (json is not null) await File.WriteAllTextAsync(json, report.Json());
            if (!report.Passed || report.Notes.Count > 0)
            {
                for (int i = 0; i < count; i++) Console.WriteLine($"--- node {i}, last lines ---\n{cluster.RecentOutput(i)}");
            }

            return report.Passed ? 0 : 1;
        }
        finally
        {
            cluster.Dispose();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static StressOptions Set(ref int field, int value, StressOptions options)
    {
        field = value;
        return options;
    }

    private static StressOptions SetText(ref string? field, string value, StressOptions options)
    {
        field = value;
        return options;
    }
}
