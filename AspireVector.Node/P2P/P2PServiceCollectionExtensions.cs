using AspireVector.Node.Configuration;
using AspireVector.Node.P2P.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace AspireVector.Node.P2P;

/// <summary>Registers the P2P transport of a cluster-mode node.</summary>
public static class P2PServiceCollectionExtensions
{
    /// <summary>
    /// Adds the P2P gRPC server (as a hosted service on <c>cluster.p2p.port</c>), the per-peer channel pool,
    /// <see cref="P2PClient"/> and <see cref="MessageSendFailures"/>. Register <see cref="IRaftP2PHandler"/> and
    /// <see cref="IConsensusP2PHandler"/> in DI to serve the Raft and Consensus services.
    /// </summary>
    public static IServiceCollection AddP2P(this IServiceCollection services, NodeOptions node)
    {
        services.TryAddSingleton(node);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new GrpcServiceRegistry().MapHealthService());
        services.AddSingleton(sp => new MessageSendFailures(sp.GetRequiredService<TimeProvider>(), sp.GetService<Telemetry.NodeMetrics>()));
        services.AddSingleton(sp => new PeerChannels(ChannelOptions(node), node.Cluster.P2pConnectionPoolSize, sp.GetRequiredService<MessageSendFailures>(),
            node.Cluster.P2pFaultInjectionFile is { Length: > 0 } faults ? new P2PFaults(faults) : null));
        services.AddSingleton<P2PClient>();
        services.AddSingleton(sp => new P2PHostedService(node, sp));
        services.AddHostedService(sp => sp.GetRequiredService<P2PHostedService>());
        return services;
    }

    /// <summary>
    /// Adds the background <see cref="PeerHealthChecker"/>, pinging the peers of the <see cref="IPeerDirectory"/>
    /// registered in DI every <paramref name="interval"/> (default 5 s).
    /// </summary>
    public static IServiceCollection AddPeerHealthChecker(this IServiceCollection services, TimeSpan? interval = null)
    {
        services.AddHostedService(sp => new PeerHealthChecker(
            sp.GetRequiredService<P2PClient>(),
            sp.GetRequiredService<IPeerDirectory>(),
            interval ?? TimeSpan.FromSeconds(5),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PeerHealthChecker>>()));
        return services;
    }

    /// <summary>Client settings of <paramref name="node"/>: timeouts, internal api key, and the CA when P2P TLS is on.</summary>
    public static P2PChannelOptions ChannelOptions(NodeOptions node) => new()
    {
        DefaultTimeout = TimeSpan.FromMilliseconds(node.Cluster.GrpcTimeoutMs),
        ConnectTimeout = TimeSpan.FromMilliseconds(node.Cluster.ConnectionTimeoutMs),
        ApiKey = node.Cluster.P2pApiKey,
        CaCertificate = node.Cluster.P2pEnableTls ? P2PTls.LoadCaCertificate(node.Tls) : null,
    };
}
