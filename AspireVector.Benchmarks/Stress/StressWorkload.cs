using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace AspireVector.Benchmarks.Stress;

/// <summary>
/// A mixed, bounded stress run against a running cluster: clients upsert, delete (by ids and by filter), search,
/// scroll, count and retrieve through random nodes while a mover keeps moving and replicating shards; RSS and
/// <c>/metrics</c> are sampled. At the end the cluster settles and every replica is checked (<c>consistency=all</c>)
/// against the clients' model of what must exist.
/// </summary>
/// <remarks>
/// Clients own disjoint id ranges and run one operation at a time, so each one's model is exact: acknowledged upserts
/// minus acknowledged deletes. An operation answered with a 5xx or not at all leaves its points uncertain; they are
/// left out of the check (and the run fails anyway). Shared by the <c>stress</c> benchmark command and its short test.
/// </remarks>
public sealed partial class StressWorkload : IDisposable
{
    private readonly StressOptions _options;
    private readonly IReadOnlyList<StressNode> _nodes;
    private readonly TextWriter _log;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly Stopwatch _clock = new();

    public StressWorkload(StressOptions options, IReadOnlyList<StressNode> nodes, TextWriter? log = null)
    {
        _options = options;
        _nodes = nodes;
        _log = log ?? TextWriter.Null;
        for (int i = 0; i < nodes.Count; i++)
        {
            Report.Rss.Add([]);
            Report.Heap.Add([]);
        }
    }

    public StressReport Report { get; } = new();

    internal StressOptions Options => _options;

    internal int NodeCount => _nodes.Count;

    internal string Points => $"/collections/{_options.Collection}/points";

    /// <summary>Creates the collection, runs the load for <see cref="StressOptions.Duration"/>, settles and checks.</summary>
    public async Task<StressReport> RunAsync()
    {
        _clock.Start();
        await CreateCollectionAsync().ConfigureAwait(false);
        for (int i = 0; i < _nodes.Count; i++)
        {
            int node = i;
            if (!await WaitAsync(async () => await PlacementAsync(node) is { Settled: true }, $"node {node} to apply the new collection", TimeSpan.FromSeconds(60), _log))
                throw new InvalidOperationException($"node {node} did not apply the new collection within 60 s");
        }

        using var stop = new CancellationTokenSource(_options.Duration);
        var clients = new List<StressClient>();
        for (int c = 0; c < _options.Clients; c++) clients.Add(new StressClient(this, c, new Random(_options.Seed + c)));
        var tasks = new List<Task> { MoveShardsAsync(new Random(_options.Seed - 1), stop.Token), SampleAsync(stop.Token) };
        foreach (var client in clients) tasks.Add(client.RunAsync(stop.Token));
        await Task.WhenAll(tasks).ConfigureAwait(false);
        await SampleOnceAsync().ConfigureAwait(false);
        _log.WriteLine($"load done after {_clock.Elapsed.TotalSeconds:F0} s; settling");

        await SettleAsync().ConfigureAwait(false);
        await CheckAsync(clients).ConfigureAwait(false);
        Report.Elapsed = _clock.Elapsed;
        return Report;
    }

    /// <summary>
    /// Setup, not part of the measured load: a cluster that just formed may still be settling its leadership (a learner
    /// promoted to voter can trigger an election), so a 503 "no leader" is retried for up to a minute.
    /// </summary>
    private async Task CreateCollectionAsync()
    {
        var body = new { vectors = new { size = _options.Dim, distance = "Dot" }, shard_number = _options.Shards, replication_factor = _options.ReplicationFactor };
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var (status, text) = await CallAsync(null, 0, HttpMethod.Put, $"/collections/{_options.Collection}", body).ConfigureAwait(false);
            if (status == 200 || (status == 409 && Report.Notes.Count > 0)) return; // 409 after a retry: the refused attempt landed after all
            if (status != 503 || sw.Elapsed > TimeSpan.FromMinutes(1)) throw new InvalidOperationException($"creating the collection answered {status}: {text}");
            Report.Notes.Add($"setup: creating the collection was refused ({text}); retried");
            await Task.Delay(500).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One REST call, recorded under <paramref name="op"/> (null: setup, not recorded). Never cancelled by the end of the run: an operation that
    /// started is seen through, so its outcome is known.
    /// </summary>
    internal async Task<(int Status, string Body)> CallAsync(string? op, int node, HttpMethod method, string path, object? body = null)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(_nodes[node].Url, path));
            if (body is not null) request.Content = JsonContent.Create(body);
            using var response = await _http.SendAsync(request).ConfigureAwait(false);
            string text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (op is not null) Report.Op(op).Record(status, sw.Elapsed.TotalMilliseconds, status >= 400 ? $"node {node} {method} {path}: {Trim(text)}" : null);
            return (status, text);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            if (op is not null) Report.Op(op).Record(0, sw.Elapsed.TotalMilliseconds, $"node {node} {method} {path}: {e.Message}");
            return (0, "");
        }
    }

    /// <summary>The <c>result</c> of a 200 answer, or null.</summary>
    internal static JsonElement? Result(int status, string body)
    {
        if (status != 200) return null;
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("result").Clone();
    }

    /// <summary>The vector of point <paramref name="id"/> in its <paramref name="version"/>: deterministic, so the check needs no copy.</summary>
    internal float[] VectorOf(long id, int version)
    {
        var v = new float[_options.Dim];
        ulong state = (ulong)id * 0x9E3779B97F4A7C15UL ^ (ulong)version * 0xBF58476D1CE4E5B9UL ^ 0x94D049BB133111EBUL;
        for (int i = 0; i < v.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            v[i] = (float)((state >> 40) / (double)(1UL << 24) * 2 - 1);
        }

        return v;
    }

    internal static bool SameVector(JsonElement vector, float[] expected)
    {
        if (vector.ValueKind != JsonValueKind.Array || vector.GetArrayLength() != expected.Length) return false;
        int i = 0;
        foreach (var x in vector.EnumerateArray())
        {
            if (Math.Abs(x.GetSingle() - expected[i++]) > 1e-6f) return false;
        }

        return true;
    }

    internal int RandomNode(Random random) => random.Next(_nodes.Count);

    private async Task SampleAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.SampleEvery);
        try
        {
            do await SampleOnceAsync().ConfigureAwait(false);
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task SampleOnceAsync()
    {
        double at = _clock.Elapsed.TotalSeconds;
        for (int i = 0; i < _nodes.Count; i++)
        {
            if (_nodes[i].ProcessId() is int pid && RssKb(pid) is long kb) Report.Rss[i].Add((at, kb));
            var (status, text) = await CallAsync("metrics", i, HttpMethod.Get, "/metrics").ConfigureAwait(false);
            if (status == 200 && GcHeapBytes(text) is long heap) Report.Heap[i].Add((at, heap / 1024));
        }
    }

    /// <summary>Resident set size of a process from <c>/proc/PID/status</c> (Linux), in KiB.</summary>
    public static long? RssKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[1], CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>The managed heap size from a Prometheus <c>/metrics</c> page (<c>dotnet_gc_heap_bytes</c>), in bytes.</summary>
    public static long? GcHeapBytes(string metrics)
    {
        foreach (var line in metrics.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("dotnet_gc_heap_bytes")) continue;
            int space = line.LastIndexOf(' ');
            if (space > 0 && double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return (long)v;
        }

        return null;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; false when <paramref name="timeout"/> passed first.</summary>
    internal static async Task<bool> WaitAsync(Func<Task<bool>> condition, string what, TimeSpan timeout, TextWriter? log = null)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (await condition().ConfigureAwait(false)) return true;
            await Task.Delay(200).ConfigureAwait(false);
        }

        log?.WriteLine($"timed out after {timeout.TotalSeconds:F0} s waiting for {what}");
        return false;
    }

    private static string Trim(string s) => s.Length <= 300 ? s : s[..300];

    public void Dispose() => _http.Dispose();
}
