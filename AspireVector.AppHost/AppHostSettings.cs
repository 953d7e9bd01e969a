using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace AspireVector.AppHost;

/// <summary>
/// The app host's knobs, from <c>apphost.json</c> then the command line (<c>--nodes 5</c>,
/// <c>--port-base 7000</c>, <c>--publisher kubernetes</c>, ...).
/// </summary>
public sealed class AppHostSettings
{
    /// <summary>Number of database nodes.</summary>
    public int Nodes { get; init; } = 3;

    /// <summary>Node i listens on REST <c>PortBase + 10i</c>, gRPC <c>+1</c>, P2P <c>+2</c>.</summary>
    public int PortBase { get; init; } = 6333;

    /// <summary>Dashboard port for the local run.</summary>
    public int DashboardPort { get; init; } = 7333;

    /// <summary>Folder holding <c>node-&lt;i&gt;</c> storage, kept between runs.</summary>
    public string DataDirectory { get; init; } = ".aspirevector";

    /// <summary>Restart children that die (<c>always</c>) or just report them (<c>never</c>).</summary>
    public RestartPolicy Restart { get; init; } = RestartPolicy.Always;

    /// <summary>How long the local run waits for readiness and a leader before reporting what is missing.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary><c>manifest</c> or <c>kubernetes</c>; null runs the application locally.</summary>
    public string? Publisher { get; init; }

    /// <summary>Where a publisher writes (file for the manifest, folder for Kubernetes).</summary>
    public string? OutputPath { get; init; }

    /// <summary>Container image of the node, for the Kubernetes publisher.</summary>
    public string NodeImage { get; init; } = "aspirevector/node:latest";

    /// <summary>Container image of the dashboard, for the Kubernetes publisher.</summary>
    public string DashboardImage { get; init; } = "aspirevector/dashboard:latest";

    /// <summary>Also emit a Prometheus-operator ServiceMonitor.</summary>
    public bool ServiceMonitor { get; init; }

    /// <summary>Start Debian's <c>prometheus</c> scraping every node (local run, if installed).</summary>
    public bool WithPrometheus { get; init; }

    /// <summary>Port of the local Prometheus started by <see cref="WithPrometheus"/>.</summary>
    public int PrometheusPort { get; init; } = 9090;

    /// <summary>Flags that take no value on the command line.</summary>
    internal static readonly string[] SwitchFlags = ["--service-monitor", "--with-prometheus"];

    /// <summary>Reads the settings from <paramref name="configuration"/>; throws naming the bad key.</summary>
    public static AppHostSettings From(IConfiguration configuration)
    {
        var portBase = Int(configuration, "port-base", 6333);
        var nodes = Int(configuration, "nodes", 3);
        if (nodes < 1)
        {
            throw new ArgumentException($"--nodes must be at least 1 (got {nodes}).");
        }

        return new AppHostSettings
        {
            Nodes = nodes,
            PortBase = portBase,
            DashboardPort = Int(configuration, "dashboard-port", portBase + 1000),
            DataDirectory = configuration["data-dir"] ?? ".aspirevector",
            Restart = (configuration["restart"] ?? "always").ToLowerInvariant() switch
            {
                "always" => RestartPolicy.Always,
                "never" => RestartPolicy.Never,
                var other => throw new ArgumentException($"--restart must be 'always' or 'never' (got '{other}')."),
            },
            ReadyTimeout = TimeSpan.FromSeconds(Int(configuration, "ready-timeout", 120)),
            Publisher = configuration["publisher"],
            OutputPath = configuration["output-path"],
            NodeImage = configuration["node-image"] ?? "aspirevector/node:latest",
            DashboardImage = configuration["dashboard-image"] ?? "aspirevector/dashboard:latest",
            ServiceMonitor = Bool(configuration, "service-monitor"),
            WithPrometheus = Bool(configuration, "with-prometheus"),
            PrometheusPort = Int(configuration, "prometheus-port", 9090),
        };
    }

    /// <summary>Makes value-less switches (<c>--service-monitor</c>) explicit for the command-line provider.</summary>
    internal static string[] NormalizeArgs(string[] args)
    {
        var result = new List<string>(args.Length + 2);
        for (var i = 0; i < args.Length; i++)
        {
            result.Add(args[i]);
            var isSwitch = SwitchFlags.Contains(args[i], StringComparer.OrdinalIgnoreCase);
            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            if (isSwitch && !hasValue)
            {
                result.Add("true");
            }
        }

        return [.. result];
    }

    private static int Int(IConfiguration configuration, string key, int fallback)
    {
        var text = configuration[key];
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"--{key} expects an integer (got '{text}').");
    }

    private static bool Bool(IConfiguration configuration, string key)
    {
        var text = configuration[key];
        return text is not null && (bool.TryParse(text, out var value)
            ? value
            : throw new ArgumentException($"--{key} expects true or false (got '{text}')."));
    }
}
