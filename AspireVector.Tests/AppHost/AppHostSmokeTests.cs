using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AspireVector.AppHost.Orchestration;

namespace AspireVector.Tests.AppHost;

/// <summary>Runs the built AppHost for real: 3 nodes + dashboard on free loopback ports and a temp data folder.</summary>
[Trait("Category", "Process")]
[Collection(AspireVector.Tests.Cluster.ClusterProcesses.Name)]
public sealed partial class AppHostSmokeTests
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan StepDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Three_nodes_and_dashboard_start_restart_after_a_crash_and_all_stop_on_sigterm()
    {
        var dataDir = Directory.CreateTempSubdirectory("av-apphost-smoke-");
        var (portBase, dashboardPort) = FreePorts();
        using var output = new OutputLog();
        using var apphost = StartAppHost(output, "--nodes", "3", "--port-base", Num(portBase), "--dashboard-port", Num(dashboardPort),
            "--data-dir", dataDir.FullName, "--ready-timeout", "150");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var table = await output.WaitForAsync(l => l == "Press Ctrl+C to stop every resource.", StartDeadline);
            Assert.True(table.Contains("AspireVector is ready."), "Not ready:\n" + string.Join('\n', table.TakeLast(40)));

            // Dashboard first, then the nodes, each ready (or alive, for builds without /readyz).
            var rows = table.Select(l => TableRow().Match(l)).Where(m => m.Success).ToList();
            Assert.Equal(["dashboard", "node-0", "node-1", "node-2"], rows.Select(r => r.Groups["name"].Value));
            Assert.All(rows, r => Assert.Contains(r.Groups["state"].Value, new[] { "ready", "live" }));
            var pids = rows.ToDictionary(r => r.Groups["name"].Value, r => int.Parse(r.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture));
            var urls = rows.ToDictionary(r => r.Groups["name"].Value, r => r.Groups["url"].Value);
            Assert.Equal($"http://127.0.0.1:{portBase + 20}", urls["node-2"]);

            foreach (var node in new[] { "node-0", "node-1", "node-2" })
            {
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(urls[node] + "/livez")).StatusCode);
                var ready = await http.GetAsync(urls[node] + "/readyz");
                Assert.True(ready.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{node} /readyz: {ready.StatusCode}");
                Assert.True(Directory.Exists(Path.Combine(dataDir.FullName, node, "storage")));
            }

            string[] nodeUrls = [urls["node-0"], urls["node-1"], urls["node-2"]];
            await WaitForClusterOfThreeAsync(http, nodeUrls, "after start");
            var dashboard = await http.GetAsync(urls["dashboard"] + "/");
            Assert.True((int)dashboard.StatusCode < 500, $"dashboard /: {dashboard.StatusCode}");
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(urls["dashboard"] + "/livez")).StatusCode);

            // A node that dies is reported and restarted (default policy: always).
            Process.GetProcessById(pids["node-2"]).Kill();
            var restarted = await output.WaitForAsync(l => l.Contains("Restarted node-2 (pid", StringComparison.Ordinal), StepDeadline);
            Assert.Contains(restarted, l => l.Contains("node-2 (pid " + Num(pids["node-2"]) + ") exited", StringComparison.Ordinal));
            var newPid = int.Parse(RestartedPid().Match(restarted[^1]).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            await WaitUntilAsync(async () => await AnswersOkAsync(http, urls["node-2"] + "/livez"), StepDeadline, "restarted node-2 to answer /livez");
            await WaitForClusterOfThreeAsync(http, nodeUrls, "after node-2 restarted");

            Assert.True(NativeSignals.Terminate(apphost.Id));
            using (var exit = new CancellationTokenSource(StepDeadline))
            {
                await apphost.WaitForExitAsync(exit.Token);
            }

            Assert.Equal(0, apphost.ExitCode);
            Assert.Contains(output.Snapshot(), l => l.Contains("All resources stopped.", StringComparison.Ordinal));
            foreach (var pid in pids.Values.Append(newPid))
            {
                await WaitUntilAsync(() => Task.FromResult(IsGone(pid)), StepDeadline, $"child {pid} to be gone");
            }
        }
        finally
        {
            if (!apphost.HasExited)
            {
                apphost.Kill(entireProcessTree: true);
            }

            dataDir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Waits until every node's <c>GET /cluster</c> lists the same 3 peers (each node among them under its own
    /// peer id) and names the same leader, one of those peers; returns that leader.
    /// </summary>
    private static async Task<ulong> WaitForClusterOfThreeAsync(HttpClient http, IReadOnlyList<string> nodeUrls, string when)
    {
        ulong agreed = 0;
        string last = "";
        await WaitUntilAsync(async () =>
        {
            var peerSets = new List<string>();
            var selves = new HashSet<string>();
            var leaders = new HashSet<ulong>();
            foreach (var url in nodeUrls)
            {
                try
                {
                    using var response = await http.GetAsync(url + "/cluster");
                    last = $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        return false;
                    }

                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    var result = json.RootElement.GetProperty("result");
                    var peers = result.GetProperty("peers").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
                    var leader = result.GetProperty("raft_info").GetProperty("leader");
                    if (result.GetProperty("status").GetString() != "enabled" || leader.ValueKind != JsonValueKind.Number)
                    {
                        return false;
                    }

                    peerSets.Add(string.Join(',', peers));
                    selves.Add(result.GetProperty("peer_id").GetUInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
                    leaders.Add(leader.GetUInt64());
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    last = $"{url}: {e.Message}";
                    return false;
                }
            }

            var members = peerSets[0].Split(',');
            agreed = leaders.Count == 1 ? leaders.Single() : 0;
            return members.Length == 3
                && peerSets.All(set => set == peerSets[0])
                && selves.SetEquals(members)
                && agreed != 0 && members.Contains(agreed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }, StepDeadline, $"3 peers agreeing on one leader in GET /cluster of every node {when}", () => "Last answer: " + last);
        return agreed;
    }

    private static Process StartAppHost(OutputLog output, params string[] args)
    {
        var dll = Path.Combine(RepositoryPaths.Root, "AspireVector.AppHost", "bin", BuildOutput.Configuration, BuildOutput.TargetFramework, "AspireVector.AppHost.dll");
        Assert.True(File.Exists(dll), "AppHost not built: " + dll);
        var info = new ProcessStartInfo(Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// A port base with 3 nodes' ports (+0..+22) and a dashboard port free on loopback, between 10,000 and 19,999: below
    /// the kernel's ephemeral range (outgoing connections cannot take them) and below <see cref="TestPorts"/>'s range.
    /// </summary>
    private static (int PortBase, int DashboardPort) FreePorts()
    {
        var random = new Random();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var portBase = random.Next(100, 199) * 100;
            var ports = Enumerable.Range(0, 3).SelectMany(i => new[] { portBase + (i * 10), portBase + (i * 10) + 1, portBase + (i * 10) + 2 }).Append(portBase + 50);
            if (ports.All(PortAvailability.IsFree))
            {
                return (portBase, portBase + 50);
            }
        }

        throw new InvalidOperationException("No free port range found.");
    }

    private static async Task<bool> AnswersOkAsync(HttpClient http, string url)
    {
        try
        {
            return (await http.GetAsync(url)).StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan deadline, string what, Func<string>? lastSeen = null)
    {
        var until = DateTime.UtcNow + deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"Timed out waiting for {what}. {lastSeen?.Invoke()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Gone: no /proc entry, or a zombie awaiting its reaper.</summary>
    private static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Num(pid)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static string Num(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s+(?<name>dashboard|node-\d+)\s+(?<pid>\d+)\s+(?<state>\S+)\s+(?<url>http://\S+)")]
    private static partial Regex TableRow();

    [GeneratedRegex(@"Restarted node-2 \(pid (\d+)\)")]
    private static partial Regex RestartedPid();
}
