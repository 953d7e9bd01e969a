using AspireVector.Node.P2P.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AspireVector.Node.P2P;

/// <summary>
/// The P2P gRPC listener: its own Kestrel server on its own port (HTTP/2 only, h2c or TLS), serving a
/// <see cref="GrpcServiceRegistry"/>. Kept apart from the REST host so client-facing middleware
/// (CORS, api keys, request limits) never applies to cluster traffic. The public Qdrant gRPC API
/// (<c>Api/Grpc</c>) runs on a second instance, with its own registry.
/// </summary>
public sealed class P2PServer : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _scheme;

    private P2PServer(IHost host, string scheme)
    {
        _host = host;
        _scheme = scheme;
    }

    /// <summary>The bound port (the real one when <see cref="P2PServerOptions.Port"/> was 0); valid after start.</summary>
    public int Port { get; private set; }

    /// <summary>Loopback address of the listener, e.g. <c>http://127.0.0.1:6335</c>; valid after start.</summary>
    public Uri LoopbackAddress { get; private set; } = new("http://127.0.0.1");

    /// <summary>Creates (without starting) a server for <paramref name="registry"/>.</summary>
    public static P2PServer Create(P2PServerOptions options, GrpcServiceRegistry registry, ILoggerFactory loggerFactory)
    {
        IHost host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton(loggerFactory);
                services.AddSingleton<IHostLifetime, P2PHostLifetime>();
                services.AddSingleton(registry);
                services.AddSingleton(options.Grpc);
                services.AddSingleton<GrpcRequestDispatcher>();
            })
            .ConfigureWebHost(web => web
                .UseKestrelCore()
                .UseSetting(WebHostDefaults.SuppressStatusMessagesKey, "true")
                .ConfigureKestrel(kestrel =>
                {
                    kestrel.AddServerHeader = false;
                    // Message size is enforced per message by the gRPC layer; a stream body can be longer.
                    kestrel.Limits.MaxRequestBodySize = null;
                    kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
                    kestrel.Listen(options.BindAddress, options.Port, listen =>
                    {
                        listen.Protocols = HttpProtocols.Http2;
                        if (options.Certificate is { } certificate)
                        {
                            listen.UseHttps(certificate);
                        }
                    });
                })
                .Configure(app =>
                {
                    GrpcRequestDispatcher dispatcher = app.ApplicationServices.GetRequiredService<GrpcRequestDispatcher>();
                    app.Run(dispatcher.HandleAsync);
                }))
            .Build();
        return new P2PServer(host, options.Certificate is null ? "http" : "https");
    }

    /// <summary>Binds the port and starts serving.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _host.StartAsync(cancellationToken).ConfigureAwait(false);
        IServer server = _host.Services.GetRequiredService<IServer>();
        string bound = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("P2P server started without a bound address.");
        Port = new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;
        LoopbackAddress = new Uri($"{_scheme}://127.0.0.1:{Port}");
    }

    /// <summary>Stops accepting calls and waits (bounded by <paramref name="cancellationToken"/>) for running ones.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _host.StopAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _host.StopAsync(timeout.Token).ConfigureAwait(false);
        _host.Dispose();
    }
}
