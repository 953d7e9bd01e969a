using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>The single-node parts of the seeds' curl walkthroughs, with their recorded outputs.</summary>
public sealed class SeedWalkthroughTests(RestNode node) : IClassFixture<RestNode>
{
    [Fact]
    public async Task Seed000_cosine_collection_upsert_and_search()
    {
        var created = await node.PutAsync("/collections/my_cluster_collection", """
            {"vectors": { "size": 4, "distance": "Cosine" }, "replication_factor": 2}
            """);
        Assert.True(created.Result.GetBoolean());

        var upserted = await node.PutAsync("/collections/my_cluster_collection/points?wait=true", """
            {"points": [{"id": 1, "vector": [0.9, 0.1, 0.1, 0.2], "payload": {"color": "red"}}]}
            """);
        Assert.Equal(JsonText.Canonical("""{"operation_id": 0, "status": "completed"}"""), JsonText.Canonical(upserted.Result));

        var hits = (await node.PostAsync("/collections/my_cluster_collection/points/search", """
            {"vector": [0.85, 0.15, 0.1, 0.1], "limit": 1, "with_payload": true}
            """)).Result;
        var hit = Assert.Single(hits.EnumerateArray());
        Assert.Equal(["id", "payload", "score", "version"], hit.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(1, hit.GetProperty("id").GetInt32());
        Assert.Equal(0, hit.GetProperty("version").GetInt32());
        Assert.Equal(0.99288, Math.Round(hit.GetProperty("score").GetDouble(), 5));
        Assert.Equal(JsonText.Canonical("""{"color": "red"}"""), JsonText.Canonical(hit.GetProperty("payload")));
    }

    [Fact]
    public async Task Seed000_cities_euclid_search_over_three_shards()
    {
        Assert.True((await node.PutAsync("/collections/cities", """
            {"vectors": { "size": 4, "distance": "Euclid" }, "replication_factor": 2, "shard_number": 3}
            """)).Result.GetBoolean());
        var upserted = await node.PutAsync("/collections/cities/points?wait=true", """
            {"points": [
                {"id": 1, "vector": [52.52, 13.40, 9.6, 4000], "payload": {"name": "Berlin", "country": "Germany"}},
                {"id": 2, "vector": [51.50, -0.12, 11.3, 5600], "payload": {"name": "London", "country": "UK"}},
                {"id": 3, "vector": [40.71, -74.00, 12.9, 11000], "payload": {"name": "New York", "country": "USA"}},
                {"id": 4, "vector": [35.68, 139.69, 15.4, 6100], "payload": {"name": "Tokyo", "country": "Japan"}},
                {"id": 5, "vector": [1.35, 103.81, 27.0, 8000], "payload": {"name": "Singapore", "country": "Singapore"}},
                {"id": 6, "vector": [-33.86, 151.20, 17.7, 400], "payload": {"name": "Sydney", "country": "Australia"}}
            ]}
            """);
        Assert.Equal(JsonText.Canonical("""{"operation_id": 0, "status": "completed"}"""), JsonText.Canonical(upserted.Result));

        var hits = (await node.PostAsync("/collections/cities/points/search", """
            {"vector": [34.05, -118.24, 18.6, 3000], "limit": 3, "with_payload": true}
            """)).Result.EnumerateArray().ToList();
        Assert.Equal([1, 2, 6], hits.Select(h => h.GetProperty("id").GetInt32()));
        Assert.Equal(["Berlin", "London", "Sydney"], hits.Select(h => h.GetProperty("payload").GetProperty("name").GetString()));
        Assert.Equal(["Germany", "UK", "Australia"], hits.Select(h => h.GetProperty("payload").GetProperty("country").GetString()));
        Assert.Equal([1008.8366, 2602.7505, 2614.806], hits.Select(h => Math.Round(h.GetProperty("score").GetDouble(), 4)));
        Assert.All(hits, h => Assert.Equal(0, h.GetProperty("version").GetInt32()));
        Assert.Equal(6, await node.CountAsync("cities"));
    }

    [Fact]
    public async Task Seed003_write_ordering_batch_upsert()
    {
        await node.CreateCollectionAsync("ordering", size: 3);
        var answer = await node.PutAsync("/collections/ordering/points?ordering=strong&wait=true", """
            {"batch": {"ids": [1, 2, 3], "payloads": [{"color": "red"}, {"color": "green"}, {"color": "blue"}],
                       "vectors": [[0.9, 0.1, 0.1], [0.1, 0.9, 0.1], [0.1, 0.1, 0.9]]}}
            """);
        Assert.Equal("completed", answer.Result.GetProperty("status").GetString());
        var hits = (await node.PostAsync("/collections/ordering/points/search?consistency=majority", """
            {"filter": {"must": [{"key": "color", "match": {"value": "green"}}]}, "params": {"hnsw_ef": 128, "exact": false},
             "vector": [0.2, 0.1, 0.9], "limit": 3}
            """)).Result;
        Assert.Equal([2], hits.EnumerateArray().Select(h => h.GetProperty("id").GetInt32()));
    }
}
