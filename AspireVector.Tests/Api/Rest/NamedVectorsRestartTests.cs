using AspireVector.Node.Configuration;
using AspireVector.Tests.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// Named vectors survive a restart: some operations are in a flushed segment (a snapshot flushes it), the later ones
/// only in the WAL, replayed at start-up.
/// </summary>
public sealed class NamedVectorsRestartTests
{
    [Fact]
    public async Task Flushed_and_logged_named_vectors_survive_a_restart()
    {
        using var storage = new TempDirectory();
        var options = new NodeOptions();
        options.Storage.StoragePath = storage.Path;
        options.Service.GrpcPort = null;
        var set = new NamedVectorSet(40, seed: 3);
        List<string> before;
        string config;
        await using (var first = Start(options))
        {
            var client = new RestClient(first.CreateClient());
            Assert.True((await client.PutAsync("/collections/kept", NamedVectorSet.CreateBody)).Result.GetBoolean());
            await client.UpsertAsync("kept", set.PointsJson());
            // Creating a snapshot flushes the segment: what follows is only in the WAL.
            (await client.PostAsync("/collections/kept/snapshots?wait=true", "{}")).Result.GetProperty("name").GetString();
            await client.PutAsync("/collections/kept/points/vectors?wait=true", """{"points": [{"id": 1, "vector": {"image": [4, 3, 2, 1]}}]}""");
            await client.PostAsync("/collections/kept/points/vectors/delete?wait=true", """{"points": [2], "vector": ["text"]}""");
            await client.PostAsync("/collections/kept/points/payload?wait=true", """{"points": [1], "payload": {"after": true}}""");
            before = (await client.ScrollAllAsync("kept")).Select(JsonText.Canonical).ToList();
            config = JsonText.Canonical((await client.GetAsync("/collections/kept")).Result.GetProperty("config"));
        }

        await using var second = Start(options);
        var again = new RestClient(second.CreateClient());
        Assert.Equal(config, JsonText.Canonical((await again.GetAsync("/collections/kept")).Result.GetProperty("config")));
        Assert.Equal(before, (await again.ScrollAllAsync("kept")).Select(JsonText.Canonical).ToList());
        var one = (await again.GetAsync("/collections/kept/points/1")).Result;
        Assert.Equal([4f, 3f, 2f, 1f], one.GetProperty("vector").GetProperty("image").EnumerateArray().Select(x => x.GetSingle()));
        Assert.False((await again.GetAsync("/collections/kept/points/2")).Result.GetProperty("vector").TryGetProperty("text", out _));
        Assert.Equal(set.Text.Count - 1, await again.CountAsync("kept", """{"exact": true, "filter": {"must": [{"has_vector": "text"}]}}"""));

        var query = NamedVectorSet.Random(new Random(5), 8);
        var expected = NamedVectorSet.Nearest(set.Text.Where(p => p.Key != 2).ToDictionary(), query, cosine: true, 5);
        var hits = (await again.PostAsync("/collections/kept/points/search",
            $$"""{"vector": {"name": "text", "vector": {{NamedVectorSet.Json(query)}}}, "limit": 5}""")).Result;
        Assert.Equal(expected, NamedVectorSet.IdsOf(hits));
    }

    private static WebApplicationFactory<AspireVector.Node.Program> Start(NodeOptions options) =>
        new WebApplicationFactory<AspireVector.Node.Program>().WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton(options)));
}
