using AspireVector.Dashboard.Api;
using AspireVector.Dashboard.Configuration;
using AspireVector.Tests.Dashboard.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AspireVector.Tests.Dashboard;

/// <summary>Builds a real <see cref="QdrantClusterClient"/> for given node addresses.</summary>
public static class DashboardTestHost
{
    /// <summary>A client over real HTTP to <paramref name="addresses"/>.</summary>
    public static QdrantClusterClient RealClient(IEnumerable<string> addresses, string? apiKey = null, TimeProvider? time = null)
    {
        var factory = new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        return Client(factory, addresses, apiKey, time);
    }

    /// <summary>A client over the given factory; its timeout is long because a loaded CI machine can be slow to answer.</summary>
    public static QdrantClusterClient Client(IHttpClientFactory factory, IEnumerable<string> addresses, string? apiKey = null, TimeProvider? time = null)
    {
        var options = Options.Create(new DashboardOptions { ApiKey = apiKey, RequestTimeout = TimeSpan.FromSeconds(30) });
        var nodes = addresses.Select((a, i) => new NodeEndpoint($"node-{i}", new Uri(a.TrimEnd('/') + "/"))).ToList();
        return new QdrantClusterClient(factory, options, nodes, time ?? TimeProvider.System);
    }

    /// <summary>An address on which nothing listens (a port that was just free).</summary>
    public static string ClosedAddress()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    /// <summary>Three peers, one of them above 2^63 so every id exceeds JavaScript's safe integers.</summary>
    public static readonly ulong[] PeerIds = [1903200026991620, 7301051252924645, 11532566549086892528];
}
