using System.Net;
using System.Text.Json;
using AspireVector.Tests.Api.Security;

namespace AspireVector.Tests.Api.Rest;

/// <summary><c>GET /cluster/telemetry</c> on a single node: its own view in the cluster shape, and Qdrant's parameter checks.</summary>
public sealed class ClusterTelemetryApiTests(RestNode node) : IClassFixture<RestNode>
{
    [Fact]
    public async Task Single_node_reports_every_shard_as_one_active_replica_with_its_figures()
    {
        await node.PutAsync("/collections/ctel-named", """
            {"vectors": {"image": {"size": 4, "distance": "Dot"}, "text": {"size": 2, "distance": "Cosine"}}, "shard_number": 2}
            """);
        await node.UpsertAsync("ctel-named", """
            [{"id": 1, "vector": {"image": [1, 0, 0, 0], "text": [1, 0]}, "payload": {"city": "Berlin"}},
             {"id": 2, "vector": {"image": [0, 1, 0, 0]}, "payload": {"city": "London"}},
             {"id": 3, "vector": {"text": [0, 1]}},
             {"id": 4, "vector": {"image": [0, 0, 1, 0], "text": [1, 1]}, "payload": {"n": 4}},
             {"id": 5, "vector": {"image": [0, 0, 0, 1]}}]
            """);

        var result = (await node.GetAsync("/cluster/telemetry")).Result;
        Assert.Equal(["cluster", "collections"], result.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var cluster = result.GetProperty("cluster");
        Assert.False(cluster.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, cluster.GetProperty("number_of_peers").ValueKind);
        Assert.Empty(cluster.GetProperty("peers").EnumerateObject());

        var collection = result.GetProperty("collections").GetProperty("ctel-named");
        Assert.Equal("ctel-named", collection.GetProperty("id").GetString());
        Assert.False(collection.TryGetProperty("shard_transfers", out _));
        var shards = collection.GetProperty("shards").EnumerateArray().ToList();
        Assert.Equal([0u, 1u], shards.Select(s => s.GetProperty("id").GetUInt32()));
        var replicas = shards.Select(s => s.GetProperty("replicas").EnumerateArray().Single()).ToList();
        Assert.All(replicas, r =>
        {
            Assert.Equal("Active", r.GetProperty("state").GetString());
            Assert.Equal(0UL, r.GetProperty("peer_id").GetUInt64());
            Assert.Contains(r.GetProperty("status").GetString(), new[] { "green", "yellow" });
        });
        Assert.Equal(5, replicas.Sum(r => r.GetProperty("num_points").GetInt64()));
        Assert.Equal(4, replicas.Sum(r => r.GetProperty("num_vectors_by_name").GetProperty("image").GetInt64()));
        Assert.Equal(3, replicas.Sum(r => r.GetProperty("num_vectors_by_name").GetProperty("text").GetInt64()));
        Assert.Equal(7, replicas.Sum(r => r.GetProperty("num_vectors").GetInt64()));
        Assert.Equal(4 * 4 * 4 + 3 * 2 * 4, replicas.Sum(r => r.GetProperty("vectors_size_bytes").GetInt64()));
        // {"city":"Berlin"} + {"city":"London"} + {"n":4}: 17 + 17 + 7 bytes of JSON.
        Assert.Equal(41, replicas.Sum(r => r.GetProperty("payloads_size_bytes").GetInt64()));
    }

    [Theory]
    [InlineData("details_level=abc", "Deserialize error in query parameters: invalid digit found in string")]
    [InlineData("details_level=-1", "Deserialize error in query parameters: invalid digit found in string")]
    [InlineData("details_level=4294967296", "Deserialize error in query parameters: number too large to fit in target type")]
    [InlineData("timeout=", "Deserialize error in query parameters: cannot parse integer from empty string")]
    [InlineData("timeout=1.5", "Deserialize error in query parameters: invalid digit found in string")]
    [InlineData("timeout=1&timeout=2", "Deserialize error in query parameters: duplicate field `timeout`")]
    [InlineData("timeout=0", "Validation error in query parameters: [timeout: value 0 invalid, must be 1 or larger]")]
    public async Task Bad_parameters_are_refused_with_400(string query, string error)
    {
        var answer = await node.GetAsync("/cluster/telemetry?" + query);
        Assert.Equal(error, answer.Error(HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("details_level=0")]
    [InlineData("details_level=10&timeout=1")]
    [InlineData("details_level=%2B3&timeout=60")]
    public async Task Valid_parameters_are_accepted(string query)
    {
        var result = (await node.GetAsync("/cluster/telemetry?" + query)).Result;
        Assert.Equal(JsonValueKind.Object, result.GetProperty("collections").ValueKind);
    }

    [Fact]
    public async Task Needs_a_global_key_like_get_cluster()
    {
        using var keyed = new KeyedRestNode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await keyed.GetAsync("/cluster/telemetry")).Status);
        foreach (var key in new[] { KeyedRestNode.ReadKey, KeyedRestNode.Key })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/cluster/telemetry");
            request.Headers.Add("api-key", key);
            var answer = await keyed.SendAsync(request);
            Assert.False(answer.Result.GetProperty("cluster").GetProperty("enabled").GetBoolean());
        }
    }
}
