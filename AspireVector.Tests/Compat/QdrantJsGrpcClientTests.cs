using System.Text.Json;
using AspireVector.Tests.Api.Grpc;
using AspireVector.Tests.P2P;
using Xunit.Abstractions;

namespace AspireVector.Tests.Compat;

/// <summary>
/// The official Qdrant gRPC client for JavaScript (<c>@qdrant/js-client-grpc</c>, npm; connect-es over HTTP/2) against
/// a node's gRPC port: <c>js/qdrant-grpc-client-compat.js</c> runs the everyday calls and reports one JSON line per step.
/// </summary>
[Trait("Category", "Process")]
public sealed class QdrantJsGrpcClientTests(ITestOutputHelper output)
{

    private static readonly string[] ExpectedSteps =
    [
        "health_check", "create_collection", "collection_exists", "upsert_points", "query_nearest_with_filter", "search",
        "scroll_pages", "count", "get_points", "set_payload", "create_field_index", "wrong_dimension_is_invalid_argument",
        "delete_points", "missing_collection_is_not_found", "delete_collection",
    ];

    [Fact]
    public async Task Official_js_grpc_client_runs_every_step_against_a_node()
    {
        await using var node = new GrpcNode();
        await using NodeScript script = await NodeScript.StartAsync("qdrant-grpc-client-compat.js", $"http://127.0.0.1:{node.GrpcPort}");
        await CompatSteps.AssertAllPassAsync(script, ExpectedSteps, output);
    }
}
