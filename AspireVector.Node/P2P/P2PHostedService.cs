using AspireVector.Node.Configuration;
using AspireVector.Node.P2P.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireVector.Node.P2P;

/// <summary>
/// Runs the node's <see cref="P2PServer"/> with the node's lifetime. At start it maps <c>RaftService</c> and
/// <c>Consensus</c> onto the <see cref="IRaftP2PHandler"/> / <see cref="IConsensusP2PHandler"/> registered in DI (if any).
/// </summary>
public sealed class P2PHostedService : IHostedService, IAsyncDisposable
{
    private readonly NodeOptions _node;
    private readonly IServiceProvider _services;
    private P2PServer? _server;

    /// <summary>Creates the service; nothing binds before <see cref="StartAsync"/>.</summary>
    public P2PHostedService(NodeOptions node, IServiceProvider services)
    {
        _node = node;
        _services = services;
    }

    /// <summary>The running server; null before start.</summary>
    public P2PServer? Server => _server;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        GrpcServiceRegistry registry = _services.GetRequiredService<GrpcServiceRegistry>();
        if (_services.GetService<IRaftP2PHandler>() is { } raft)
        {
            registry.MapRaftService(raft);
        }

        if (_services.GetService<IConsensusP2PHandler>() is { } consensus)
        {
            registry.MapConsensusService(consensus);
        }

        foreach (var mapper in _services.GetServices<IP2PServiceMapper>())
        {
            mapper.Map(registry);
        }

        _server = P2PServer.Create(P2PServerOptions.FromNode(_node), registry, _services.GetRequiredService<ILoggerFactory>());
        await _server.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => _server?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
