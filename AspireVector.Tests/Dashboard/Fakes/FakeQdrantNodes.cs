using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspireVector.Tests.Dashboard.Fakes;

/// <summary>
/// One tiny Kestrel app per peer of a <see cref="FakeClusterState"/>, answering Qdrant-shaped JSON on
/// 127.0.0.1 with a free port. A node can be stopped to simulate it being down.
/// </summary>
public sealed class FakeQdrantNodes : IAsyncDisposable
{
    private readonly List<WebApplication?> _apps = [];

    private FakeQdrantNodes(FakeClusterState state) => State = state;

    /// <summary>The shared cluster state.</summary>
    public FakeClusterState State { get; }

    /// <summary>REST base address of every node, by index.</summary>
    public List<string> Addresses { get; } = [];

    /// <summary>Requests seen (method, path, api-key header), for assertions.</summary>
    public List<(string Method, string Path, string? ApiKey)> Requests { get; } = [];

    /// <summary>Starts one node per peer of <paramref name="state"/>.</summary>
    public static async Task<FakeQdrantNodes> StartAsync(FakeClusterState state)
    {
        var nodes = new FakeQdrantNodes(state);
        foreach (var peer in state.PeerIds)
        {
            var app = Build(nodes, peer);
            await app.StartAsync();
            nodes._apps.Add(app);
            nodes.Addresses.Add(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        }

        return nodes;
    }

    /// <summary>Stops node <paramref name="index"/>; its address refuses connections afterwards.</summary>
    public async Task StopAsync(int index)
    {
        if (_apps[index] is { } app)
        {
            _apps[index] = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _apps.Count; i++)
        {
            await StopAsync(i);
        }
    }

    private static WebApplication Build(FakeQdrantNodes nodes, ulong self)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            lock (nodes.Requests)
            {
                nodes.Requests.Add((context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.Headers["api-key"].FirstOrDefault()));
            }

            if (!nodes.State.IsMember(self) && context.Request.Path.StartsWithSegments("/collections"))
            {
                await Error(context, 503, $"Service unavailable: peer {self} was removed from the cluster");
                return;
            }

            try
            {
                await next(context);
            }
            catch (FakeApiError ex)
            {
                await Error(context, ex.Status, ex.Message);
            }
        });
        var state = nodes.State;
        app.MapGet("/cluster", () => Ok(state.ClusterStatus(self)));
        app.MapDelete("/cluster/peer/{peer}", (ulong peer, bool? force) => { state.RemovePeer(peer, force == true); return Ok(true); });
        app.MapGet("/collections", () => Ok(state.ListCollections()));
        app.MapGet("/collections/{name}", (string name) => Ok(state.CollectionInfo(name)));
        app.MapPut("/collections/{name}", async (string name, HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body) as JsonObject;
            state.CreateCollection(name, body);
            return Ok(true);
        });
        app.MapDelete("/collections/{name}", (string name) => Ok(state.DeleteCollection(name)));
        app.MapGet("/collections/{name}/cluster", (string name) => Ok(state.CollectionCluster(name, self)));
        app.MapPost("/collections/{name}/cluster", async (string name, HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body) as JsonObject ?? throw new FakeApiError(400, "Bad request: empty body");
            state.ApplyOperation(name, body);
            return Ok(true);
        });
        app.MapPost("/collections/{name}/points/search", (string name) =>
        {
            state.CollectionInfo(name);
            return Ok(new JsonArray(new JsonObject { ["id"] = 18446744073709551615UL, ["version"] = 0, ["score"] = 0.5, ["payload"] = new JsonObject { ["city"] = "Berlin" } }));
        });
        return app;
    }

    private static IResult Ok(JsonNode? result) =>
        Results.Text(new JsonObject { ["result"] = result, ["status"] = "ok", ["time"] = 0.0001 }.ToJsonString(), "application/json");

    private static Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = new JsonObject { ["status"] = new JsonObject { ["error"] = message }, ["time"] = 0.0001 };
        return context.Response.WriteAsync(body.ToJsonString());
    }

    /// <summary>Formats a peer id exactly.</summary>
    public static string IdText(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
