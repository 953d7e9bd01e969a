using System.Text.Json;
using AspireVector.Tests.Api.Rest;

namespace AspireVector.Tests.Cluster;

/// <summary>The cluster endpoints' answers on a running 3-node cluster, checked against Qdrant's OpenAPI response schemas.</summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class ClusterOpenApiShapeTests
{
    [Fact]
    public async Task Cluster_answers_have_the_shape_qdrants_openapi_document_gives()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        await LocalCluster.OkAsync(cluster[0], HttpMethod.Put, "/collections/shapes",
            new { vectors = new { size = 2, distance = "Dot" }, shard_number = 3, replication_factor = 2 });
        await LocalCluster.OkAsync(cluster[1], HttpMethod.Put, "/collections/shapes/points?wait=true",
            new { points = Enumerable.Range(1, 20).Select(i => new { id = i, vector = new[] { i, 1f } }) });

        var failures = new List<string>();
        foreach (var (template, path) in new[]
        {
            ("/cluster", "/cluster"),
            ("/cluster/telemetry", "/cluster/telemetry"),
            ("/telemetry", "/telemetry?details_level=1"),
            ("/telemetry", "/telemetry?details_level=2"),
            ("/collections/{collection_name}/cluster", "/collections/shapes/cluster"),
            ("/collections/{collection_name}", "/collections/shapes"),
        })
        {
            for (int i = 0; i < 3; i++)
            {
                var (status, body) = await LocalCluster.SendAsync(cluster[i], HttpMethod.Get, path);
                if (status != 200) failures.Add($"node {i} GET {path}: HTTP {status} {body}");
                else failures.AddRange(OpenApiSchema.Qdrant.CheckResponse("GET", template, WithoutExtensions(template, body)).Select(e => $"node {i} GET {path}: {e}"));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The answer without the one documented field Qdrant does not have: <c>health</c> of <c>GET /cluster</c> (README).</summary>
    private static JsonElement WithoutExtensions(string template, JsonElement body)
    {
        if (template != "/cluster") return body;
        var node = System.Text.Json.Nodes.JsonNode.Parse(body.GetRawText())!;
        Assert.NotNull(node["result"]!.AsObject()["health"]);
        node["result"]!.AsObject().Remove("health");
        return JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();
    }
}
