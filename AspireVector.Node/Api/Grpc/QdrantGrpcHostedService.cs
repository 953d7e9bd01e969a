using System.Net;
using AspireVector.Node.Api.Security;
using AspireVector.Node.Configuration;
using AspireVector.Node.P2P;
using AspireVector.Node.P2P.Grpc;
using AspireVector.Node.Telemetry;

namespace AspireVector.Node.Api.Grpc;

/// <summary>
/// Serves Qdrant's public gRPC API on <c>service.grpc_port</c> (h2c, or TLS with <c>tls.cert</c>/<c>tls.key</c> when
/// <c>service.enable_tls</c>), with the node's lifetime. Its own Kestrel listener (the one the P2P port uses), so
/// REST middleware never sees gRPC calls.
/// </summary>
public sealed class QdrantGrpcHostedService : IHostedService, IAsyncDisposable
{
    private readonly NodeOptions _node;
    private readonly IServiceProvider _services;
    private P2PServer? _server;

    public QdrantGrpcHostedService(NodeOptions node, IServiceProvider services)
    {
        _node = node;
        _services = services;
    }

    /// <summary>The bound port; 0 before start or when the API is disabled.</summary>
    public int Port => _server?.Port ?? 0;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_node.Service.GrpcPort is not (> 0 and var port)) return;
        var loggerFactory = _services.GetRequiredService<ILoggerFactory>();
        var registry = new GrpcServiceRegistry();
        new QdrantGrpcMethods(registry, new ApiKeyAuthenticator(_node, _services.GetService<TimeProvider>() ?? TimeProvider.System),
                _services.GetService<NodeMetrics>(), loggerFactory.CreateLogger<QdrantGrpcMethods>())
            .MapQdrantService()
            .MapCollectionsService(_services)
            .MapPointsService(_services)
            .MapSnapshotsService(_services);
        int maxMessage = (int)Math.Min((long)_node.Service.MaxRequestSizeMb << 20, int.MaxValue);
        var options = new P2PServerOptions
        {
            BindAddress = IPAddress.TryParse(_node.Service.Host, out var bind) ? bind : IPAddress.Any,
            Port = port,
            Certificate = _node.Service.EnableTls ? P2PTls.LoadServerCertificate(_node.Tls) : null,
            Grpc = new GrpcServerOptions { MaxReceiveMessageSize = maxMessage, MaxSendMessageSize = Math.Max(maxMessage, GrpcProtocol.DefaultMaxMessageSize) },
        };
        _server = P2PServer.Create(options, registry, loggerFactory);
        await _server.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => _server?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }
}
