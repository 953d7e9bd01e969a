using System.Globalization;
using System.Text.Json;
using AspireVector.Benchmarks.Load;

namespace AspireVector.Benchmarks.Cluster;

/// <summary>Node processes of one loopback cluster for the <c>cluster</c> bench: node 0 founds it, the others bootstrap through it.</summary>
internal sealed class BenchCluster(string dll, string root, int tickMs, IReadOnlyDictionary<string, string>? extraEnvironment = null) : IDisposable
{
    private readonly List<(int Http, int P2P, NodeProcess? Process)> _nodes = [];

    public int Count => _nodes.Count;

    public Uri Url(int i) => new($"http://127.0.0.1:{_nodes[i].Http}/");

    /// <summary>Process id of node <paramref name="i"/> while it runs.</summary>
    public int? ProcessId(int i) => _nodes[i].Process is { HasExited: false } p ? p.ProcessId : null;

    public IEnumerable<int> Running() => Enumerable.Range(0, _nodes.Count).Where(i => _nodes[i].Process is { HasExited: false });

    /// <summary>Starts one more node; returns its index.</summary>
    public int Add()
    {
        _nodes.Add((NodeProcess.FreePort(), NodeProcess.FreePort(), null));
        Restart(_nodes.Count - 1);
        return _nodes.Count - 1;
    }

    public void Restart(int i)
    {
        var (http, p2p, _) = _nodes[i];
        var env = new Dictionary<string, string>
        {
            ["AV__CLUSTER__ENABLED"] = "true",
            ["AV__CLUSTER__P2P__PORT"] = p2p.ToString(CultureInfo.InvariantCulture),
            ["AV__CLUSTER__CONSENSUS__TICK_PERIOD_MS"] = tickMs.ToString(CultureInfo.InvariantCulture),
            ["AV__SERVICE__GRPC_PORT"] = NodeProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            ["AV__LOG_LEVEL"] = "WARN",
        };
        foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string>()) env[key] = value;
        string dir = Path.Combine(root, $"node-{i}");
        Directory.CreateDirectory(dir);
        string self = $"http://127.0.0.1:{p2p}";
        string[] args = i == 0 ? ["--uri", self] : ["--uri", self, "--bootstrap", $"http://127.0.0.1:{_nodes[0].P2P}"];
        _nodes[i] = (http, p2p, NodeProcess.Start(dll, dir, http, env, args));
    }

    /// <summary>Node <paramref name="i"/>'s process while it runs (null before its first start).</summary>
    public NodeProcess? Process(int i) => _nodes[i].Process;

    /// <summary>The last lines node <paramref name="i"/> wrote.</summary>
    public string RecentOutput(int i) => _nodes[i].Process?.RecentOutput ?? "";

    public void Kill(int i) => _nodes[i].Process?.Kill();

    public async Task<JsonElement> ClusterAsync(int i) => await ClusterBench.GetResultAsync(new Uri(Url(i), "cluster"));

    public async Task<ulong> AgreedLeaderAsync()
    {
        ulong leader = 0;
        foreach (int i in Running())
        {
            var raft = (await ClusterAsync(i)).GetProperty("raft_info");
            if (raft.GetProperty("leader").ValueKind != JsonValueKind.Number) return 0;
            ulong l = raft.GetProperty("leader").GetUInt64();
            if (leader != 0 && l != leader) return 0;
            leader = l;
        }

        return leader;
    }

    public async Task<int> IndexOfAsync(ulong peer)
    {
        foreach (int i in Running())
        {
            if ((await ClusterAsync(i)).GetProperty("peer_id").GetUInt64() == peer) return i;
        }

        throw new InvalidOperationException($"no running node is peer {peer}");
    }

    public async Task WaitReadyAsync(int i)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var r = await http.GetAsync(new Uri(Url(i), "readyz"));
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(10);
        }

        throw new TimeoutException($"node {i} not ready:\n{_nodes[i].Process?.RecentOutput}");
    }

    public async Task WaitFormedAsync(int expectedPeers)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                foreach (int i in Running()) await WaitReadyAsync(i);
                if (await AgreedLeaderAsync() != 0 && (await ClusterAsync(Running().First())).GetProperty("peers").EnumerateObject().Count() == expectedPeers) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(20);
        }

        throw new TimeoutException("cluster did not form");
    }

    public void Dispose()
    {
        foreach (var (_, _, p) in _nodes) p?.Dispose();
    }
}
