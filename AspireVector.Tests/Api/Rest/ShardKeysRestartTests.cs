using AspireVector.Node.Configuration;
using AspireVector.Tests.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// Shard keys, their shards and their points survive a restart (one key flushed by a snapshot, the rest only in the
/// WAL), and a collection snapshot recovered under a new name keeps them; a dropped key stays dropped.
/// </summary>
public sealed class ShardKeysRestartTests
{
    [Fact]
    public async Task Keys_and_their_points_survive_a_restart_and_a_snapshot_recovery()
    {
        using var storage = new TempDirectory();
        var options = new NodeOptions();
        options.Storage.StoragePath = storage.Path;
        options.Storage.SnapshotsPath = Path.Combine(storage.Path, "snapshots");
        options.Service.GrpcPort = null;
        string snapshot;
        await using (var first = Start(options))
        {
            var client = new RestClient(first.CreateClient());
            Assert.True((await client.PutAsync("/collections/tenants", """{"vectors": {"size": 2, "distance": "Dot"}, "shard_number": 2, "sharding_method": "custom"}""")).Result.GetBoolean());
            foreach (var key in new[] { "\"a\"", "\"gone\"", "5" })
                Assert.True((await client.PutAsync("/collections/tenants/shards", $$"""{"shard_key": {{key}}}""")).Result.GetBoolean());
            await Upsert(client, "\"a\"", 1, 20);
            await Upsert(client, "\"gone\"", 100, 3);
            snapshot = (await client.PostAsync("/collections/tenants/snapshots?wait=true", "{}")).Result.GetProperty("name").GetString()!;
            await Upsert(client, "5", 200, 4);
            Assert.True((await client.PostAsync("/collections/tenants/shards/delete", """{"shard_key": "gone"}""")).Result.GetBoolean());
        }

        await using var second = Start(options);
        var again = new RestClient(second.CreateClient());
        Assert.Equal("""{"shard_keys":[{"key":"a"},{"key":5}]}""", JsonText.Canonical((await again.GetAsync("/collections/tenants/shards")).Result));
        Assert.Equal(20, await again.CountAsync("tenants", """{"exact": true, "shard_key": "a"}"""));
        Assert.Equal(4, await again.CountAsync("tenants", """{"exact": true, "shard_key": 5}"""));
        Assert.Equal(24, await again.CountAsync("tenants"));
        Assert.Equal(4, (await again.GetAsync("/collections/tenants/cluster")).Result.GetProperty("local_shards").GetArrayLength());
        Assert.Equal("custom", (await again.GetAsync("/collections/tenants")).Result.GetProperty("config").GetProperty("params").GetProperty("sharding_method").GetString());
        Assert.Equal("Wrong input: Shard key not specified",
            (await again.PutAsync("/collections/tenants/points?wait=true", """{"points": [{"id": 9, "vector": [1, 1]}]}""")).Error(System.Net.HttpStatusCode.BadRequest));

        // The snapshot was taken with three keys: recovered under a new name, it has them and their points.
        string location = new Uri(Path.Combine(options.Storage.SnapshotsPath, "tenants", snapshot)).AbsoluteUri;
        Assert.True((await again.PutAsync("/collections/tenants-copy/snapshots/recover", $$"""{"location": "{{location}}"}""")).Result.GetBoolean());
        Assert.Equal("""{"shard_keys":[{"key":"a"},{"key":"gone"},{"key":5}]}""", JsonText.Canonical((await again.GetAsync("/collections/tenants-copy/shards")).Result));
        Assert.Equal(3, await again.CountAsync("tenants-copy", """{"exact": true, "shard_key": "gone"}"""));
        Assert.Equal(23, await again.CountAsync("tenants-copy"));
        await Upsert(again, "5", 300, 2, "tenants-copy");
        Assert.Equal(2, await again.CountAsync("tenants-copy", """{"exact": true, "shard_key": 5}"""));
    }

    private static async Task Upsert(RestClient client, string key, int from, int count, string collection = "tenants")
    {
        var points = string.Join(",", Enumerable.Range(from, count).Select(i => $$"""{"id": {{i}}, "vector": [1, {{i}}]}"""));
        var answer = await client.PutAsync($"/collections/{collection}/points?wait=true", $$"""{"points": [{{points}}], "shard_key": {{key}}}""");
        Assert.Equal("completed", answer.Result.GetProperty("status").GetString());
    }

    private static WebApplicationFactory<AspireVector.Node.Program> Start(NodeOptions options) =>
        new WebApplicationFactory<AspireVector.Node.Program>().WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton(options)));
}
