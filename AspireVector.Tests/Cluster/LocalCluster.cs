using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// N real node processes on loopback forming one cluster (node 0 with <c>--uri</c>, the others bootstrapping
/// through it), each with a temp storage folder; helpers to call their REST APIs and wait on conditions.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "av-cluster-" + Guid.NewGuid().ToString("N"));

    private readonly Dictionary<string, string> _environment;

    private LocalCluster(int count, IReadOnlyDictionary<string, string> environment, Func<int, IReadOnlyDictionary<string, string>>? perNode)
    {
        // Caller's variables win over these defaults (e.g. a slower tick where the browser competes for the CPU).
        var env = new Dictionary<string, string>
        {
            ["AV__CLUSTER__ENABLED"] = "true",
            ["AV__CLUSTER__CONSENSUS__TICK_PERIOD_MS"] = "50",
            ["AV__LOG_LEVEL"] = Environment.GetEnvironmentVariable("AV_TEST_LOG_LEVEL") ?? "WARN",
        };
        foreach (var (key, value) in environment) env[key] = value;
        _environment = env;
        for (int i = 0; i < count; i++)
        {
            var nodeEnv = new Dictionary<string, string>(env);
            if (perNode is not null)
            {
                foreach (var (k, v) in perNode(i)) nodeEnv[k] = v;
            }

            Nodes.Add(new NodeProcess($"node-{i}", Path.Combine(_root, $"node-{i}"), nodeEnv));
        }
    }

    public List<NodeProcess> Nodes { get; } = [];

    public NodeProcess this[int i] => Nodes[i];

    /// <summary>Starts <paramref name="count"/> nodes and waits until every one is ready and they agree on a leader.</summary>
    /// <param name="count">Number of nodes.</param>
    /// <param name="environment">Extra environment variables for every node.</param>
    /// <param name="peerIds">Peer ids to give the nodes (written where a node keeps its id) instead of random ones below 2^53.</param>
    /// <param name="perNode">Extra environment variables of node i.</param>
    public static async Task<LocalCluster> StartAsync(int count, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<ulong>? peerIds = null,
        Func<int, IReadOnlyDictionary<string, string>>? perNode = null)
    {
        var cluster = new LocalCluster(count, environment ?? new Dictionary<string, string>(), perNode);
        try
        {
            for (int i = 0; i < (peerIds?.Count ?? 0); i++) cluster.Nodes[i].SeedPeerId(peerIds![i]);
            for (int i = 0; i < count; i++) cluster.StartNode(i);
            await cluster.WaitUntilAsync(async () =>
            {
                foreach (var n in cluster.Nodes)
                {
                    if ((await n.Http.GetAsync("/readyz")).StatusCode != System.Net.HttpStatusCode.OK) return false;
                }

                return await cluster.AgreedLeaderAsync() != 0 && (await cluster.PeerCountsAsync()).All(c => c == count);
            }, $"{count} ready nodes agreeing on a leader", TimeSpan.FromSeconds(60));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more node bootstrapping through node 0; returns its index once it is ready.</summary>
    public async Task<int> AddNodeAsync()
    {
        int i = Nodes.Count;
        Nodes.Add(new NodeProcess($"node-{i}", Path.Combine(_root, $"node-{i}"), _environment));
        StartNode(i);
        await WaitUntilAsync(async () => (await Nodes[i].Http.GetAsync("/readyz")).StatusCode == System.Net.HttpStatusCode.OK, $"node {i} ready", TimeSpan.FromSeconds(60));
        return i;
    }

    /// <summary>(Re)starts node <paramref name="i"/> with the flags it was first started with.</summary>
    public void StartNode(int i)
    {
        var n = Nodes[i];
        if (i == 0) n.Start("--uri", n.P2PUri);
        else n.Start("--uri", n.P2PUri, "--bootstrap", Nodes[0].P2PUri);
    }

    /// <summary>The leader all running nodes report, or 0 while they disagree.</summary>
    public async Task<ulong> AgreedLeaderAsync()
    {
        ulong leader = 0;
        foreach (var n in Nodes.Where(n => n.IsRunning))
        {
            var cluster = await GetAsync(n, "/cluster");
            var raft = cluster.GetProperty("raft_info");
            if (raft.GetProperty("leader").ValueKind != JsonValueKind.Number) return 0;
            ulong l = raft.GetProperty("leader").GetUInt64();
            if (leader != 0 && l != leader) return 0;
            leader = l;
        }

        return leader;
    }

    public async Task<List<int>> PeerCountsAsync()
    {
        var counts = new List<int>();
        foreach (var n in Nodes.Where(n => n.IsRunning)) counts.Add((await GetAsync(n, "/cluster")).GetProperty("peers").EnumerateObject().Count());
        return counts;
    }

    public async Task<ulong> PeerIdAsync(int i) => (await GetAsync(Nodes[i], "/cluster")).GetProperty("peer_id").GetUInt64();

    /// <summary>Index of the node whose peer id is <paramref name="peerId"/>.</summary>
    public async Task<int> IndexOfPeerAsync(ulong peerId)
    {
        for (int i = 0; i < Nodes.Count; i++)
        {
            if (Nodes[i].IsRunning && await PeerIdAsync(i) == peerId) return i;
        }

        throw new InvalidOperationException($"no running node has peer id {peerId}");
    }

    /// <summary>GET and return <c>result</c>; throws on a non-2xx answer.</summary>
    public static async Task<JsonElement> GetAsync(NodeProcess n, string path)
    {
        using var response = await n.Http.GetAsync(path);
        return await ResultAsync(response, path);
    }

    /// <summary>Sends a JSON body and returns the status code and the parsed envelope.</summary>
    public static async Task<(int Status, JsonElement Body)> SendAsync(NodeProcess n, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = body is string s ? new StringContent(s, System.Text.Encoding.UTF8, "application/json") : JsonContent.Create(body);
        using var response = await n.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone());
    }

    /// <summary>Sends and requires 200; returns <c>result</c>.</summary>
    public static async Task<JsonElement> OkAsync(NodeProcess n, HttpMethod method, string path, object? body = null)
    {
        var (status, json) = await SendAsync(n, method, path, body);
        Assert.True(status == 200, $"{method} {path} on {n.Name} answered {status}: {json}");
        return json.GetProperty("result");
    }

    /// <summary>Polls <paramref name="condition"/> (exceptions count as false) until it holds or the deadline passes.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        Exception? last = null;
        while (sw.Elapsed < timeout)
        {
            try
            {
                if (await condition()) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or KeyNotFoundException or JsonException or Xunit.Sdk.XunitException)
            {
                last = e;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"timed out after {timeout.TotalSeconds} s waiting for {what}; last error: {last?.Message}\n{Logs()}");
    }

    public string Logs() => string.Join("\n", Nodes.Select(n => $"--- {n.Name} ---\n{Tail(n.Log, 4000)}"));

    private static string Tail(string s, int max) => s.Length <= max ? s : s[^max..];

    private static async Task<JsonElement> ResultAsync(HttpResponseMessage response, string path)
    {
        string text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("result").Clone();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var n in Nodes) await n.DisposeAsync();
        try
        {
            if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
