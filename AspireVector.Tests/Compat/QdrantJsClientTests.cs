using System.Net;
using System.Text.Json;
using AspireVector.Node.Configuration;
using AspireVector.Tests.P2P;
using AspireVector.Tests.Storage;
using AspireVector.Tests.Telemetry;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AspireVector.Tests.Compat;

/// <summary>
/// The official Qdrant REST client (<c>@qdrant/js-client-rest</c>, npm) against a single node on a free port:
/// <c>js/qdrant-client-compat.js</c> runs the everyday calls and reports one JSON line per step.
/// </summary>
[Trait("Category", "Process")]
public sealed class QdrantJsClientTests(ITestOutputHelper output)
{
    /// <summary>Per line of output; the first includes node's start-up and the client's first request.</summary>

    /// <summary>The steps the script must report, so a step that silently disappears fails the test too.</summary>
    private static readonly string[] ExpectedSteps =
    [
        "version_info", "collection_exists_before", "create_collection", "collection_exists_after",
        "create_collection_again_fails", "upsert_points", "upsert_batch", "upsert_wrong_dimension_fails", "retrieve",
        "query_nearest", "query_with_filter", "query_by_point_id", "query_batch", "scroll_with_filter", "scroll_pages",
        "count", "set_payload", "overwrite_and_delete_payload", "create_payload_index", "delete_payload_index",
        "delete_points", "get_collection", "sparse_create_and_upsert", "sparse_query", "hybrid_rrf_query", "get_collections", "missing_collection_is_404", "delete_collection",
    ];

    [Fact]
    public async Task Official_js_client_runs_every_step_against_a_node()
    {
        using var storage = new TempDirectory();
        var options = new NodeOptions();
        options.Storage.StoragePath = Path.Combine(storage.Path, "storage");
        options.Storage.SnapshotsPath = Path.Combine(storage.Path, "snapshots");
        await using var node = NodeHost.Create(configure: services => services.AddSingleton(options));
        node.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        node.StartServer();
        var address = new Uri(node.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

        await using NodeScript script = await NodeScript.StartAsync("qdrant-client-compat.js", $"http://127.0.0.1:{address.Port}");
        await CompatSteps.AssertAllPassAsync(script, ExpectedSteps, output);
    }
}
