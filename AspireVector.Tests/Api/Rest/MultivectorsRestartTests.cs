using AspireVector.Node.Configuration;
using AspireVector.Tests.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// Multivectors and their config survive a restart, unnamed and named: some operations are in a flushed segment (a
/// snapshot flushes it), the later ones only in the WAL, replayed at start-up; max_sim queries answer as before.
/// </summary>
public sealed class MultivectorsRestartTests
{
    [Fact]
    public async Task Flushed_and_logged_multivectors_survive_a_restart()
    {
        using var storage = new TempDirectory();
        var options = new NodeOptions();
        options.Storage.StoragePath = storage.Path;
        options.Service.GrpcPort = null;
        var set = new MultivectorSet(40, seed: 17);
        var query = MultivectorSet.Random(new Random(5), 3);
        string named = $$$"""{"query": {{{MultivectorSet.Json(query)}}}, "using": "colbert", "limit": 100}""";
        string unnamed = $$$"""{"query": {{{MultivectorSet.Json(query)}}}, "limit": 100}""";
        List<string> before, beforeUnnamed;
        string config, hits, hitsUnnamed;
        await using (var first = Start(options))
        {
            var client = new RestClient(first.CreateClient());
            Assert.True((await client.PutAsync("/collections/kept",
                """{"vectors": {"colbert": {"size": 4, "distance": "Cosine", "multivector_config": {"comparator": "max_sim"}}, "dense": {"size": 2, "distance": "Dot"}}}""")).Result.GetBoolean());
            Assert.True((await client.PutAsync("/collections/kept_unnamed",
                """{"vectors": {"size": 4, "distance": "Euclid", "multivector_config": {"comparator": "max_sim"}}}""")).Result.GetBoolean());
            await client.UpsertAsync("kept", set.PointsJson("colbert"));
            await client.UpsertAsync("kept_unnamed", set.PointsJson(null));
            (await client.PostAsync("/collections/kept/snapshots?wait=true", "{}")).Result.GetProperty("name").GetString();
            (await client.PostAsync("/collections/kept_unnamed/snapshots?wait=true", "{}")).Result.GetProperty("name").GetString();
            await client.PutAsync("/collections/kept/points/vectors?wait=true", """{"points": [{"id": 1, "vector": {"colbert": [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]}}]}""");
            await client.PostAsync("/collections/kept/points/vectors/delete?wait=true", """{"points": [2], "vector": ["colbert"]}""");
            await client.UpsertAsync("kept", """[{"id": 200, "vector": {"dense": [1, 2], "colbert": [[1, 2, 3, 4], [4, 3, 2, 1]]}}]""");
            await client.UpsertAsync("kept_unnamed", """[{"id": 200, "vector": [[1, 2, 3, 4], [4, 3, 2, 1]]}]""");
            before = (await client.ScrollAllAsync("kept")).Select(JsonText.Canonical).ToList();
            beforeUnnamed = (await client.ScrollAllAsync("kept_unnamed")).Select(JsonText.Canonical).ToList();
            config = JsonText.Canonical((await client.GetAsync("/collections/kept")).Result.GetProperty("config"));
            hits = JsonText.Canonical((await client.PostAsync("/collections/kept/points/query", named)).Result);
            hitsUnnamed = JsonText.Canonical((await client.PostAsync("/collections/kept_unnamed/points/query", unnamed)).Result);
        }

        await using var second = Start(options);
        var again = new RestClient(second.CreateClient());
        Assert.Equal(config, JsonText.Canonical((await again.GetAsync("/collections/kept")).Result.GetProperty("config")));
        Assert.Contains("\"multivector_config\":{\"comparator\":\"max_sim\"}", config);
        Assert.Equal(before, (await again.ScrollAllAsync("kept")).Select(JsonText.Canonical).ToList());
        Assert.Equal(beforeUnnamed, (await again.ScrollAllAsync("kept_unnamed")).Select(JsonText.Canonical).ToList());
        Assert.Equal("[[1,0,0,0],[0,1,0,0],[0,0,1,0]]", JsonText.Canonical((await again.GetAsync("/collections/kept/points/1")).Result.GetProperty("vector").GetProperty("colbert")));
        Assert.Equal("[[1,2,3,4],[4,3,2,1]]", JsonText.Canonical((await again.GetAsync("/collections/kept_unnamed/points/200")).Result.GetProperty("vector")));
        Assert.Equal(hits, JsonText.Canonical((await again.PostAsync("/collections/kept/points/query", named)).Result));
        Assert.Equal(hitsUnnamed, JsonText.Canonical((await again.PostAsync("/collections/kept_unnamed/points/query", unnamed)).Result));
        // The unnamed Euclid collection still ranks as brute force does (point 200 included).
        var expected = new MultivectorSet(40, seed: 17);
        expected.Vectors[200] = [[1, 2, 3, 4], [4, 3, 2, 1]];
        MultivectorSet.AssertRanked(expected.Ranked("Euclid", query),
            MultivectorSet.Hits((await again.PostAsync("/collections/kept_unnamed/points/query", unnamed)).Result.GetProperty("points")));
    }

    private static WebApplicationFactory<AspireVector.Node.Program> Start(NodeOptions options) =>
        new WebApplicationFactory<AspireVector.Node.Program>().WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton(options)));
}
