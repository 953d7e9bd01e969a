using AspireVector.Node.Configuration;
using AspireVector.Tests.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// Sparse vectors and their config survive a restart: some operations are in a flushed segment (a snapshot flushes
/// it), the later ones only in the WAL, replayed at start-up; searches answer as before.
/// </summary>
public sealed class SparseVectorsRestartTests
{
    [Fact]
    public async Task Flushed_and_logged_sparse_vectors_survive_a_restart()
    {
        using var storage = new TempDirectory();
        var options = new NodeOptions();
        options.Storage.StoragePath = storage.Path;
        options.Service.GrpcPort = null;
        var set = new SparseVectorSet(50, seed: 21);
        var query = SparseVectorSet.RandomSparse(new Random(4));
        string search = $$$"""{"query": {{{SparseVectorSet.Json(query)}}}, "using": "text", "limit": 100}""";
        List<string> before;
        string config, hits;
        await using (var first = Start(options))
        {
            var client = new RestClient(first.CreateClient());
            Assert.True((await client.PutAsync("/collections/kept", SparseVectorSet.CreateBody(idf: true))).Result.GetBoolean());
            await client.UpsertAsync("kept", set.PointsJson());
            (await client.PostAsync("/collections/kept/snapshots?wait=true", "{}")).Result.GetProperty("name").GetString();
            await client.PutAsync("/collections/kept/points/vectors?wait=true", """{"points": [{"id": 1, "vector": {"text": {"indices": [7, 3], "values": [1, 2]}}}]}""");
            await client.PostAsync("/collections/kept/points/vectors/delete?wait=true", """{"points": [2], "vector": ["text"]}""");
            await client.UpsertAsync("kept", """[{"id": 200, "vector": {"dense": [1, 2, 3, 4], "text": {"indices": [1, 2, 3], "values": [1, 1, 1]}}}]""");
            before = (await client.ScrollAllAsync("kept")).Select(JsonText.Canonical).ToList();
            config = JsonText.Canonical((await client.GetAsync("/collections/kept")).Result.GetProperty("config"));
            hits = JsonText.Canonical((await client.PostAsync("/collections/kept/points/query", search)).Result);
        }

        await using var second = Start(options);
        var again = new RestClient(second.CreateClient());
        Assert.Equal(config, JsonText.Canonical((await again.GetAsync("/collections/kept")).Result.GetProperty("config")));
        Assert.Contains("\"modifier\":\"idf\"", config);
        Assert.Equal(before, (await again.ScrollAllAsync("kept")).Select(JsonText.Canonical).ToList());
        Assert.Equal("""{"indices":[3,7],"values":[2,1]}""", JsonText.Canonical((await again.GetAsync("/collections/kept/points/1")).Result.GetProperty("vector").GetProperty("text")));
        Assert.Equal(hits, JsonText.Canonical((await again.PostAsync("/collections/kept/points/query", search)).Result));
    }

    private static WebApplicationFactory<AspireVector.Node.Program> Start(NodeOptions options) =>
        new WebApplicationFactory<AspireVector.Node.Program>().WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton(options)));
}
