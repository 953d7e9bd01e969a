using AspireVector.Node.Collections;
using AspireVector.Node.Configuration;
using AspireVector.Node.P2P;
using AspireVector.Node.Telemetry;
using AspireVector.ServiceDefaults.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AspireVector.Node.Cluster;

/// <summary>Composition of cluster mode: P2P, consensus, distributed collections, readiness.</summary>
public static class ClusterModeExtensions
{
    /// <summary>
    /// With <c>cluster.enabled</c>, registers the P2P server, the <see cref="ClusterNode"/> (Raft over P2P), the
    /// <see cref="ClusterCollections"/> bridge and a readiness check that passes once this peer caught up with the
    /// leader. Without it, collection changes apply locally.
    /// </summary>
    public static WebApplicationBuilder AddClusterMode(this WebApplicationBuilder builder)
    {
        var options = builder.Services.BuildServiceProviderFreeOptions();
        var services = builder.Services;
        if (!options.Cluster.Enabled)
        {
            services.AddSingleton<ICollectionMetaOperations>(sp => new LocalCollectionMetaOperations(sp.GetRequiredService<TableOfContents>()));
            return builder;
        }

        services.AddP2P(options);
        services.AddSingleton(sp => new ClusterNode(options, sp.GetRequiredService<P2PClient>(), sp.GetRequiredService<MessageSendFailures>(),
            sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<NodeMetrics>()));
        services.AddHostedService(sp => sp.GetRequiredService<ClusterNode>());
        services.AddSingleton<IRaftP2PHandler>(sp => sp.GetRequiredService<ClusterNode>());
        services.AddSingleton<IConsensusP2PHandler>(sp => sp.GetRequiredService<ClusterNode>());
        services.AddSingleton<IPeerDirectory>(sp => sp.GetRequiredService<ClusterNode>());
        services.AddSingleton<IClusterTelemetrySource>(sp => sp.GetRequiredService<ClusterNode>());
        services.AddSingleton<ICollectionsTelemetrySource>(sp => sp.GetRequiredService<ClusterCollections>());
        services.AddSingleton(sp => new ClusterCollections(sp.GetRequiredService<ClusterNode>(), sp.GetRequiredService<P2PClient>(), options, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IP2PServiceMapper>(sp => sp.GetRequiredService<ClusterCollections>());
        services.AddSingleton(sp => new DistributedTelemetry(sp.GetRequiredService<ClusterNode>(), sp.GetRequiredService<ClusterCollections>(),
            sp.GetRequiredService<P2PClient>(), Api.Rest.ServiceApi.Version, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IP2PServiceMapper>(sp => sp.GetRequiredService<DistributedTelemetry>());
        services.AddHostedService(sp => sp.GetRequiredService<ClusterCollections>());
        services.AddSingleton<ICollectionMetaOperations>(sp => sp.GetRequiredService<ClusterCollections>());
        services.AddSingleton(sp =>
        {
            var cluster = sp.GetRequiredService<ClusterCollections>();
            var toc = new TableOfContents(options, sp.GetRequiredService<ILoggerFactory>(), cluster);
            cluster.Attach(toc);
            sp.GetService<Telemetry.NodeMetrics>()?.Observe(toc.Telemetry);
            return toc;
        });
        services.AddPeerHealthChecker();
        services.AddHealthChecks().Add(new HealthCheckRegistration("consensus", sp => new ConsensusReadiness(sp.GetRequiredService<ClusterNode>()), null, [HealthTags.Ready]));
        return builder;
    }

    private static NodeOptions BuildServiceProviderFreeOptions(this IServiceCollection services) =>
        services.LastOrDefault(d => d.ServiceType == typeof(NodeOptions))?.ImplementationInstance as NodeOptions
        ?? throw new InvalidOperationException("AddNodeOptions must run before AddClusterMode");

    private sealed class ConsensusReadiness(ClusterNode node) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(node.IsCaughtUp
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy(node.IsRemoved ? "removed from the cluster" : node.IsMember ? "catching up with the leader" : "not joined yet"));
    }
}
