using System.Globalization;

namespace AspireVector.Dashboard.Configuration;

/// <summary>
/// Collects node REST endpoints from <c>Dashboard:Nodes</c> and from Aspire service-discovery
/// variables (<c>services__node-0__http__0</c>, seen by configuration as <c>services:node-0:http:0</c>).
/// </summary>
public static class NodeEndpointResolver
{
    private const string NodePrefix = "node-";

    /// <summary>Resolves the endpoints in failover order: explicit list first, then Aspire nodes by index.</summary>
    /// <exception cref="InvalidOperationException">An entry is not an absolute http(s) address.</exception>
    public static IReadOnlyList<NodeEndpoint> Resolve(IConfiguration configuration)
    {
        var endpoints = new List<NodeEndpoint>();
        var seen = new HashSet<Uri>();

        var explicitNodes = configuration.GetSection(DashboardOptions.SectionName).GetSection("Nodes");
        foreach (var child in explicitNodes.GetChildren().OrderBy(c => OrdinalOf(c.Key)))
        {
            if (!string.IsNullOrWhiteSpace(child.Value))
            {
                Add(child.Value, child.Value.Trim());
            }
        }

        // Aspire names resources node-0, node-1, ...; order by the numeric suffix so node-10 follows node-9.
        var aspireNodes = configuration.GetSection("services").GetChildren()
            .Where(s => s.Key.StartsWith(NodePrefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(s => OrdinalOf(s.Key[NodePrefix.Length..]))
            .ThenBy(s => s.Key, StringComparer.Ordinal);
        foreach (var service in aspireNodes)
        {
            var address = FirstAddress(service.GetSection("http")) ?? FirstAddress(service.GetSection("https"));
            if (address is not null)
            {
                Add(service.Key, address);
            }
        }

        return endpoints;

        void Add(string name, string address)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidOperationException($"Node endpoint '{address}' of '{name}' is not an absolute http(s) address.");
            }

            var normalized = new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
            if (seen.Add(normalized))
            {
                endpoints.Add(new NodeEndpoint(name, normalized));
            }
        }
    }

    private static string? FirstAddress(IConfigurationSection endpoint) =>
        endpoint.GetChildren().OrderBy(c => OrdinalOf(c.Key)).Select(c => c.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static long OrdinalOf(string key) =>
        long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : long.MaxValue;
}
