using System.Net;
using AspireVector.Node.Configuration;
using AspireVector.Tests.Api.Rest;
using AspireVector.Tests.Storage;
using AspireVector.Tests.Telemetry;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Qdrant.Client;

namespace AspireVector.Tests.Api.Grpc;

/// <summary>
/// An in-process node with real Kestrel listeners: REST on a free loopback port and the public gRPC API on
/// another, so the official <see cref="QdrantClient"/> talks to it over HTTP/2 as it would to Qdrant.
/// </summary>
public sealed class GrpcNode : IAsyncDisposable
{
    private readonly TempDirectory _storage = new();
    private readonly WebApplicationFactory<AspireVector.Node.Program> _factory;

    public GrpcNode() : this(null) { }

    private GrpcNode(Action<NodeOptions>? configure)
    {
        Options = new NodeOptions { LogLevel = "WARN" };
        Options.Service.Host = "127.0.0.1";
        Options.Service.GrpcPort = AspireVector.Tests.Cluster.NodeProcess.FreePort();
        Options.Storage.StoragePath = Path.Combine(_storage.Path, "storage");
        Options.Storage.SnapshotsPath = Path.Combine(_storage.Path, "snapshots");
        configure?.Invoke(Options);
        _factory = NodeHost.Create(configure: services => services.AddSingleton(Options), grpc: true);
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var address = new Uri(_factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        Rest = new RestClient(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{address.Port}") });
        if (Options.Service.ApiKey is { } key) Rest.Client.DefaultRequestHeaders.Add("api-key", key);
    }

    /// <summary>Starts a node with changed settings (e.g. api keys).</summary>
    public static GrpcNode Start(Action<NodeOptions> configure) => new(configure);

    public NodeOptions Options { get; }

    /// <summary>The node's REST API (with the full api key when one is set).</summary>
    public RestClient Rest { get; }

    public int GrpcPort => Options.Service.GrpcPort!.Value;

    /// <summary>An official client of the node's gRPC port.</summary>
    public QdrantClient Client(string? apiKey = null) => new("127.0.0.1", GrpcPort, https: false, apiKey: apiKey);

    public async ValueTask DisposeAsync()
    {
        Rest.Client.Dispose();
        await _factory.DisposeAsync();
        _storage.Dispose();
    }
}
