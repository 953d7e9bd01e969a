using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AspireVector.Tests.Telemetry;

/// <summary>
/// A real Debian <c>prometheus</c> server on a free loopback port, with a temporary storage directory and a
/// generated scrape configuration (1 s interval). Disposing kills it and deletes its files.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log = new();

    private readonly HttpClient _http;

    private PrometheusServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
    }

    public Uri Address { get; }

    /// <summary>What the server printed so far, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static PrometheusServer Start(IEnumerable<string> targets)
    {
        var binary = ExternalTool.Require("prometheus");
        var directory = Directory.CreateTempSubdirectory("av-prometheus-").FullName;
        var config = new StringBuilder()
            .Append("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n")
            .Append("scrape_configs:\n  - job_name: aspirevector\n    metrics_path: /metrics\n    static_configs:\n      - targets:\n");
        foreach (var target in targets)
        {
            config.Append("          - '").Append(target).Append("'\n");
        }

        var configPath = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(configPath, config.ToString());

        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--config.file=" + configPath);
        start.ArgumentList.Add("--storage.tsdb.path=" + Path.Combine(directory, "data"));
        start.ArgumentList.Add("--web.listen-address=127.0.0.1:" + port);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start prometheus");
        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Runs an instant PromQL query; the raw JSON answer, or null while the server is not answering yet.</summary>
    public async Task<string?> QueryAsync(string query)
    {
        try
        {
            using var response = await _http.GetAsync("api/v1/query?query=" + Uri.EscapeDataString(query));
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
        }
        catch (HttpRequestException)
        {
            return null; // Prometheus is still starting.
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still being closed by the dying server; the temp folder is cleaned by the OS eventually.
        }
    }

    private static int FreeLoopbackPort()
    {
        return TestPorts.Free();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
