using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AspireVector.Benchmarks.Cluster;
using AspireVector.Benchmarks.Load;

namespace AspireVector.Benchmarks.Writes;

/// <summary>
/// The <c>write-cpu</c> command: CPU time per upserted point summed over every node process (utime + stime from
/// <c>/proc/&lt;pid&gt;/stat</c> before and after a <c>load</c> run), plus how long each shard flush held writes.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project AspireVector.Benchmarks -- write-cpu [--nodes 3] [--points 50000]
/// [--collection-config '"replication_factor":2'] [--tick-ms 100]</c>. One node runs with cluster mode off. CPU per point
/// does not depend on what else runs on the machine, unlike points per second, so it compares builds on a shared box.
/// The window covers the whole load run: upserts, the background indexing they queue, and its few hundred queries.
/// </remarks>
public static partial class WriteCpuCommand
{
    public static int Run(string[] args)
    {
        int nodes = 3, points = 50_000, tickMs = 100;
        string? config = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--nodes": nodes = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--points": points = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--tick-ms": tickMs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--collection-config": config = Next(); break;
                default:
                    Console.Error.WriteLine("usage: write-cpu [--nodes 3] [--points 50000] [--collection-config '\"replication_factor\":2'] [--tick-ms 100]");
                    return 2;
            }
        }

        config ??= nodes > 1 ? "\"replication_factor\":2" : null;
        return RunAsync(nodes, points, config, tickMs).GetAwaiter().GetResult();
    }

    /// <summary>The node's log line for each flush (LocalShard.Recovery.cs).</summary>
    [GeneratedRegex(@"writes held ([0-9.]+) ms(?: \(([0-9.]+) ms CPU\))?, segment written in ([0-9.]+) ms")]
    private static partial Regex FlushLine();

    private static async Task<int> RunAsync(int count, int points, string? config, int tickMs)
    {
        string dll = NodeProcess.FindNodeDll(null);
        string root = Path.Combine(Path.GetTempPath(), "av-write-cpu-" + Guid.NewGuid().ToString("N"));
        var held = new List<double>();
        var written = new List<double>();
        var heldCpu = new List<double>();
        void Watch(string line)
        {
            var m = FlushLine().Match(line);
            if (!m.Success) return;
            lock (held)
            {
                held.Add(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
                if (m.Groups[2].Success) heldCpu.Add(double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
                written.Add(double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
            }
        }

        var flushLog = new Dictionary<string, string> { ["Logging__LogLevel__AspireVector.Node.Storage.LocalShard"] = "Information" };
        NodeProcess? single = null;
        BenchCluster? cluster = null;
        try
        {
            var pids = new List<int>();
            Uri url;
            if (count == 1)
            {
                Directory.CreateDirectory(root);
                var env = new Dictionary<string, string>(flushLog) { ["AV__LOG_LEVEL"] = "WARN" };
                single = NodeProcess.Start(dll, root, NodeProcess.FreePort(), env);
                single.OnOutput = Watch;
                url = single.Url;
                pids.Add(single.ProcessId);
            }
            else
            {
                cluster = new BenchCluster(dll, root, tickMs, flushLog);
                for (int i = 0; i < count; i++)
                {
                    cluster.Add();
                    cluster.Process(i)!.OnOutput = Watch;
                }
                await cluster.WaitFormedAsync(count);
                url = cluster.Url(0);
                for (int i = 0; i < count; i++) pids.Add(cluster.ProcessId(i)!.Value);
            }

            string[] loadArgs = ["--url", url.ToString(), "--points", points.ToString(CultureInfo.InvariantCulture), "--collection", "write_cpu"];
            if (config is not null) loadArgs = [.. loadArgs, "--collection-config", config];
            if (count == 1) await WaitReadyAsync(url);
            var before = pids.Select(CpuSeconds).ToArray();
            var watch = Stopwatch.StartNew();
            int code = LoadCommand.Run(loadArgs);
            double wall = watch.Elapsed.TotalSeconds;
            var after = pids.Select(CpuSeconds).ToArray();
            if (code != 0) return code;

            double total = 0;
            Console.WriteLine();
            for (int i = 0; i < pids.Count; i++)
            {
                double used = after[i] - before[i];
                total += used;
                Console.WriteLine($"node {i} (pid {pids[i]}): {used:F2} s CPU, {used * 1e6 / points:F0} µs/point");
            }
            Console.WriteLine($"all nodes: {total:F2} s CPU over {wall:F1} s wall for {points} points = {total * 1e6 / points:F0} µs/point " +
                $"({count} node{(count == 1 ? "" : "s")}{(config is null ? "" : ", " + config)})");
            lock (held)
            {
                if (held.Count == 0) Console.WriteLine("flushes: none logged");
                else
                {
                    held.Sort();
                    written.Sort();
                    heldCpu.Sort();
                    string cpu = heldCpu.Count == 0 ? "" : $" (CPU of the holding thread p50 {heldCpu[heldCpu.Count / 2]:F1} ms, max {heldCpu[^1]:F1} ms)";
                    Console.WriteLine($"flushes: {held.Count}; writes held p50 {held[held.Count / 2]:F1} ms, max {held[^1]:F1} ms{cpu}; " +
                        $"segment written p50 {written[written.Count / 2]:F1} ms, max {written[^1]:F1} ms");
                }
            }
            return 0;
        }
        finally
        {
            single?.Dispose();
            cluster?.Dispose();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task WaitReadyAsync(Uri url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            try
            {
                using var r = await http.GetAsync(new Uri(url, "readyz"));
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(20);
        }
        throw new TimeoutException("node not ready");
    }

    /// <summary>utime + stime of <paramref name="pid"/> in seconds (fields 14 and 15 of /proc/pid/stat, in clock ticks of 10 ms).</summary>
    private static double CpuSeconds(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may hold spaces; the fields after it are space-separated numbers.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }
}
