using System.Collections.Concurrent;
using AspireVector.Tests.Dashboard.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireVector.Tests.Dashboard;

/// <summary>
/// The real dashboard host with <c>Dashboard:ApiKey</c> set: every request it makes to the nodes carries the key,
/// and the key appears nowhere it serves (pages, scripts, metrics, health, unknown paths) nor in its log, even at
/// Trace level where the HTTP client logs request headers.
/// </summary>
[Trait("Category", "Process")]
[Collection(AspireVector.Tests.Cluster.ClusterProcesses.Name)]
public sealed class DashboardApiKeyTests
{
    private const string Key = "dashboard-secret-key-5be1";

    [Fact]
    public async Task Dashboard_sends_the_key_to_every_node_and_never_shows_it()
    {
        var state = new FakeClusterState(DashboardTestHost.PeerIds) { LeaderId = DashboardTestHost.PeerIds[0] };
        state.CreateCollection("books", null);
        await using var nodes = await FakeQdrantNodes.StartAsync(state);
        var log = new CapturedLog();
        string[] args =
        [
            "--applicationName=AspireVector.Dashboard",
            "--urls=http://127.0.0.1:0",
            "--environment=Production",
            "--Logging:LogLevel:Default=Trace",
            $"--Dashboard:ApiKey={Key}",
            .. nodes.Addresses.Select((a, i) => $"--Dashboard:Nodes:{i}={a}"),
        ];
        await using var app = AspireVector.Dashboard.Program.BuildApp(args, builder => builder.Logging.AddProvider(log));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        var served = new List<string>();
        foreach (var path in new[] { "/", "/collections", "/no-such-page", "/healthz", "/metrics", "/_framework/blazor.web.js" })
        {
            using var response = await http.GetAsync(path);
            served.Add($"{path} {(int)response.StatusCode} {response.Headers} {response.Content.Headers}\n{await response.Content.ReadAsStringAsync()}");
        }

        Assert.Contains(served, page => page.StartsWith("/collections 200", StringComparison.Ordinal) && page.Contains("books", StringComparison.Ordinal));
        Assert.All(served, page => Assert.DoesNotContain(Key, page, StringComparison.Ordinal));

        List<(string Method, string Path, string? ApiKey)> requests;
        lock (nodes.Requests) requests = [.. nodes.Requests];
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.Equal(Key, r.ApiKey));

        await app.StopAsync();
        Assert.Contains(log.Lines, line => line.Contains("api-key", StringComparison.OrdinalIgnoreCase)); // headers were logged...
        Assert.DoesNotContain(log.Lines, line => line.Contains(Key, StringComparison.Ordinal));              // ...without the value
    }

    private sealed class CapturedLog : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose() { }

        private sealed class Logger(CapturedLog owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Lines.Enqueue($"{category} {formatter(state, exception)} {exception}");
        }
    }
}
