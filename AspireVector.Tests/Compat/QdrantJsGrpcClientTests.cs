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
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

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
        var steps = new List<(string Name, bool Ok, string Line)>();
        JsonElement done;
        while (true)
        {
            string line = await script.WaitForLineAsync(l => l.StartsWith('{'), Patience);
            output.WriteLine(line);
            using JsonDocument json = JsonDocument.Parse(line);
            JsonElement root = json.RootElement;
            if (root.TryGetProperty("done", out _))
            {
                done = root.Clone();
                break;
            }

            if (root.TryGetProperty("step", out JsonElement step))
            {
                steps.Add((step.GetString()!, root.GetProperty("ok").GetBoolean(), line));
            }
        }

        string failures = string.Join('\n', steps.Where(s => !s.Ok).Select(s => s.Line));
        Assert.True(failures.Length == 0, "steps failed against the node:\n" + failures);
        Assert.Equal(ExpectedSteps, steps.Select(s => s.Name));
        Assert.Equal(ExpectedSteps.Length, done.GetProperty("passed").GetInt32());
        Assert.Equal(0, done.GetProperty("failed").GetInt32());
    }
}
