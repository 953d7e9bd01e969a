using AspireVector.AppHost.Hosting;

namespace AspireVector.AppHost;

/// <summary>Declares the AspireVector application: N peer nodes and the dashboard that watches them.</summary>
public static class Program
{
    /// <summary>Runs the application locally, or publishes it with <c>--publisher manifest|kubernetes</c>.</summary>
    public static int Main(string[] args) => AppHostErrors.Report(() => BuildApplication(args).Run());

    /// <summary>The application model for <paramref name="args"/> (<c>--nodes</c>, <c>--port-base</c>, ...).</summary>
    public static DistributedApplication BuildApplication(string[] args)
    {
        var builder = DistributedApplication.CreateBuilder(args);

        var dashboard = builder.AddProject("dashboard", "../AspireVector.Dashboard/AspireVector.Dashboard.csproj")
            .WithHttpEndpoint(port: builder.Settings.DashboardPort, targetPort: 8080, isExternal: true)
            .WithHealthChecks("/readyz", "/livez")
            .WithContainerImage(builder.Settings.DashboardImage);

        EndpointReference? first = null;
        for (var i = 0; i < builder.Settings.Nodes; i++)
        {
            // Node 0 founds the cluster; every other node joins through node 0's P2P endpoint.
            var node = builder.AddNode($"node-{i}", builder.Settings.PortBase + (i * 10));
            node.WithArgs("--uri", node.GetEndpoint("p2p").Url);
            if (first is not null)
            {
                node.WithArgs("--bootstrap", first.Url);
            }

            first ??= node.GetEndpoint("p2p");
            dashboard.WithReference(node.GetEndpoint("http"));
        }

        return builder.Build();
    }
}
