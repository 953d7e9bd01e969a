using AspireVector.Node.Configuration;
using AspireVector.Tests.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// A cluster-mode node inside the test process: the real composition (<c>Program.BuildApp</c>) with its REST API on
/// a test server and its P2P listener on a free loopback port, so tests can observe its spans and metrics directly.
/// </summary>
internal sealed class InProcessClusterNode : IAsyncDisposable
{
    private readonly TempDirectory _storage = new();
    private readonly WebApplication _app;

    private InProcessClusterNode(string? bootstrap, Action<NodeOptions>? configure)
    {
        P2PPort = NodeProcess.FreePort();
        Options = new NodeOptions { LogLevel = "WARN", Uri = P2PUri, Bootstrap = bootstrap };
        Options.Service.Host = "127.0.0.1";
        Options.Storage.StoragePath = _storage.Path;
        Options.Cluster.Enabled = true;
        Options.Cluster.P2pPort = P2PPort;
        Options.Cluster.TickPeriodMs = 50;
        Options.Service.GrpcPort = null; // the gRPC listener binds a real port even on a test server
        configure?.Invoke(Options);
        _app = AspireVector.Node.Program.BuildApp([], Options, builder => builder.WebHost.UseTestServer());
    }

    public NodeOptions Options { get; }

    public int P2PPort { get; }

    /// <summary>This node's P2P uri as Qdrant prints it (trailing slash).</summary>
    public string P2PUri => $"http://127.0.0.1:{P2PPort}/";

    /// <summary>A client of the node's REST API (test server).</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The node's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a node: the first peer without <paramref name="bootstrap"/>, a joining one with it.</summary>
    public static async Task<InProcessClusterNode> StartAsync(string? bootstrap = null, Action<NodeOptions>? configure = null)
    {
        var node = new InProcessClusterNode(bootstrap, configure);
        try
        {
            await node._app.StartAsync();
            node.Http = node._app.GetTestClient();
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await _app.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await _app.DisposeAsync();
        _storage.Dispose();
    }
}
