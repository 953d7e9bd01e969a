using System.Globalization;
using System.Text;
using AspireVector.AppHost.Hosting;

namespace AspireVector.AppHost.Orchestration;

/// <summary>Optional local Prometheus (Debian's <c>prometheus</c>) scraping every node's <c>/metrics</c>.</summary>
public static class LocalPrometheus
{
    /// <summary>The child spec, or null (with a message) when <c>prometheus</c> is not installed.</summary>
    public static ChildProcessSpec? Prepare(DistributedApplication app, ConsoleLog log)
    {
        var executable = FindOnPath("prometheus");
        if (executable is null)
        {
            log.Info("--with-prometheus: no 'prometheus' on PATH (apt-get install prometheus); continuing without it.");
            return null;
        }

        PortAvailability.EnsureFree([("prometheus", app.Settings.PrometheusPort)]);
        var directory = Path.GetFullPath(Path.Combine(app.Settings.DataDirectory, "prometheus"));
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(config, ScrapeConfig(app), new UTF8Encoding(false));
        return new ChildProcessSpec(
            "prometheus",
            executable,
            [
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                $"--web.listen-address={EndpointReferenceExpression.LocalHost}:{app.Settings.PrometheusPort.ToString(CultureInfo.InvariantCulture)}",
            ],
            new Dictionary<string, string>(),
            directory);
    }

    /// <summary>A scrape config with one static target per peer's REST endpoint.</summary>
    public static string ScrapeConfig(DistributedApplication app)
    {
        var targets = app.Resources.Where(r => r.PeerGroup is not null)
            .Select(r => $"'{EndpointReferenceExpression.LocalHost}:{r.GetEndpointAnnotation("http").Port}'");
        return $"""
            global:
              scrape_interval: 5s
            scrape_configs:
              - job_name: aspirevector
                metrics_path: /metrics
                static_configs:
                  - targets: [{string.Join(", ", targets)}]

            """;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
