namespace AspireVector.Dashboard.Configuration;

/// <summary>Settings of the <c>Dashboard</c> configuration section.</summary>
public sealed class DashboardOptions
{
    /// <summary>Name of the configuration section.</summary>
    public const string SectionName = "Dashboard";

    /// <summary>REST base addresses of the nodes, tried in this order (e.g. <c>http://127.0.0.1:6333</c>).</summary>
    public List<string> Nodes { get; set; } = [];

    /// <summary>Value of the <c>api-key</c> header sent to every node; never rendered.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one request to one node may take before that node counts as unreachable.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a change (create, delete, shard move, peer removal) may take: these wait for the cluster to agree, so
    /// they get longer than reads, and a change that timed out is not sent to another node (it may still be applied).
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Period of the live refresh of every page.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A message send failure younger than this is highlighted.</summary>
    public TimeSpan FreshFailureWindow { get; set; } = TimeSpan.FromSeconds(15);
}
