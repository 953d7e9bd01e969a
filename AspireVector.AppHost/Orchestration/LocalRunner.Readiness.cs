using System.Net;
using System.Text;
using System.Text.Json;
using AspireVector.AppHost.Hosting;

namespace AspireVector.AppHost.Orchestration;

public sealed partial class LocalRunner
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Last readiness answer per resource ("ready", "HTTP 503", "no answer").</summary>
    private readonly Dictionary<string, string> _state = new(StringComparer.Ordinal);

    /// <summary>Last <c>/cluster</c> answer per peer, when the node serves it.</summary>
    private readonly Dictionary<string, ClusterView> _cluster = new(StringComparer.Ordinal);

    /// <summary>
    /// Polls every <c>/readyz</c> and, once all answer 200, every peer's <c>GET /cluster</c> until they agree on
    /// a leader and know each other (skipped when the nodes do not serve <c>/cluster</c>). Returns false on timeout.
    /// </summary>
    private async Task<bool> WaitUntilReadyAsync(CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + _app.Settings.ReadyTimeout;
        var announcedReady = false;
        while (DateTime.UtcNow < deadline)
        {
            var allReady = true;
            foreach (var (resource, _) in _children)
            {
                allReady &= await ProbeReadinessAsync(http, resource, cancellation);
            }

            if (allReady)
            {
                if (!announcedReady)
                {
                    _log.Info("Every resource answers ready; waiting for the cluster to elect a leader.");
                    announcedReady = true;
                }

                if (await ClusterFormedAsync(http, cancellation))
                {
                    return true;
                }
            }

            await Task.Delay(PollInterval, cancellation);
        }

        var missing = _state.Where(s => s.Value != "ready").Select(s => $"{s.Key} ({s.Value})").ToList();
        _log.Info(missing.Count > 0
            ? $"Not ready after {_app.Settings.ReadyTimeout.TotalSeconds:0}s: {string.Join(", ", missing)}. Still running; watch the logs."
            : $"No leader agreed on after {_app.Settings.ReadyTimeout.TotalSeconds:0}s. Still running; watch the logs.");
        return false;
    }

    private async Task<bool> ProbeReadinessAsync(HttpClient http, ProjectResource resource, CancellationToken cancellation)
    {
        if (resource.ReadinessPath is null || !resource.Endpoints.Any(e => e.Name == "http"))
        {
            _state[resource.Name] = "running";
            return true;
        }

        var url = new EndpointReference(resource, "http").Url.GetLocalValue() + resource.ReadinessPath;
        try
        {
            using var response = await http.GetAsync(url, cancellation);
            _state[resource.Name] = response.StatusCode == HttpStatusCode.OK ? "ready" : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            _state[resource.Name] = "no answer";
        }

        return _state[resource.Name] == "ready";
    }

    private async Task<bool> ClusterFormedAsync(HttpClient http, CancellationToken cancellation)
    {
        var peers = _children.Where(c => c.Resource.PeerGroup is not null).Select(c => c.Resource).ToList();
        foreach (var peer in peers)
        {
            var url = new EndpointReference(peer, "http").Url.GetLocalValue() + "/cluster";
            using var response = await http.GetAsync(url, cancellation);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                // This node build has no cluster API yet: readiness is all we can wait for.
                _cluster.Clear();
                return true;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            _cluster[peer.Name] = ParseClusterView(await response.Content.ReadAsStringAsync(cancellation));
        }

        var leaders = _cluster.Values.Select(v => v.Leader).Distinct().ToList();
        return leaders is [{ } leader]
            && _cluster.Values.All(v => v.PeerCount == peers.Count)
            && _cluster.Values.Any(v => v.PeerId == leader);
    }

    /// <summary>Reads the parts of Qdrant's <c>GET /cluster</c> answer the launcher needs.</summary>
    internal static ClusterView ParseClusterView(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = document.RootElement.GetProperty("result");
        if (!result.TryGetProperty("peer_id", out var peerId) || !result.TryGetProperty("raft_info", out var raft))
        {
            return new ClusterView(0, 0, null, 0);
        }

        var leader = raft.TryGetProperty("leader", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetUInt64() : (ulong?)null;
        var term = raft.TryGetProperty("term", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetUInt64() : 0;
        var count = result.TryGetProperty("peers", out var p) && p.ValueKind == JsonValueKind.Object ? p.EnumerateObject().Count() : 0;
        return new ClusterView(peerId.GetUInt64(), count, leader, term);
    }

    /// <summary>The table printed once the application is up: dashboard first, then the peers.</summary>
    private string ResourceTable(bool ready, SupervisedProcess? prometheus)
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine(ready ? "AspireVector is ready." : "AspireVector is running (not everything is ready yet).");
        text.AppendLine($"  {"RESOURCE",-12} {"PID",-8} {"STATE",-10} {"URL",-26} OTHER ENDPOINTS");
        var leaderName = _cluster.FirstOrDefault(c => c.Value.PeerId == c.Value.Leader).Key;
        foreach (var (resource, process) in _children.OrderBy(c => c.Resource.PeerGroup is null ? 0 : 1))
        {
            var url = resource.Endpoints.Any(e => e.Name == "http") ? new EndpointReference(resource, "http").Url.GetLocalValue() : "";
            var others = string.Join(", ", resource.Endpoints.Where(e => e.Name != "http")
                .Select(e => $"{e.Name} {new EndpointReference(resource, e.Name).Url.GetLocalValue()}"));
            if (resource.Name == leaderName)
            {
                others += "  (leader)";
            }

            text.AppendLine($"  {resource.Name,-12} {process.ProcessId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",-8} {_state.GetValueOrDefault(resource.Name, "?"),-10} {url,-26} {others}");
        }

        if (prometheus is not null)
        {
            text.AppendLine($"  {"prometheus",-12} {prometheus.ProcessId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",-8} {"running",-10} http://{EndpointReferenceExpression.LocalHost}:{_app.Settings.PrometheusPort}");
        }

        var first = _children.FirstOrDefault(c => c.Resource.PeerGroup is not null).Resource;
        if (_cluster.Count > 0 && leaderName is not null)
        {
            text.AppendLine($"Cluster: {_cluster.Count} peers, leader {leaderName} (term {_cluster[leaderName].Term}).");
        }

        if (first is not null)
        {
            text.AppendLine($"Try:  curl {new EndpointReference(first, "http").Url.GetLocalValue()}/cluster");
        }

        text.AppendLine("Press Ctrl+C to stop every resource.");
        return text.ToString();
    }
}
