using System.Net;
using AspireVector.Tests.Storage;

namespace AspireVector.Tests.Api.Rest;

/// <summary>Collection <c>metadata</c>: given at create, shown in collection info, merged by PATCH, durable.</summary>
public sealed class CollectionMetadataTests(RestNode node) : IClassFixture<RestNode>
{
    [Fact]
    public async Task Metadata_is_shown_and_merged_key_by_key()
    {
        await node.CreateCollectionAsync("meta_merge", extra: """, "metadata": {"model": "m1", "owner": {"team": "a"}}""");
        var metadata = (await node.GetAsync("/collections/meta_merge")).Result.GetProperty("config").GetProperty("metadata");
        Assert.Equal("""{"model":"m1","owner":{"team":"a"}}""", JsonText.Canonical(metadata));

        Assert.True((await node.PatchAsync("/collections/meta_merge", """{"metadata": {"model": "m2", "version": 3}}""")).Result.GetBoolean());
        metadata = (await node.GetAsync("/collections/meta_merge")).Result.GetProperty("config").GetProperty("metadata");
        Assert.Equal("""{"model":"m2","owner":{"team":"a"},"version":3}""", JsonText.Canonical(metadata));

        // null leaves it; an empty object removes it.
        Assert.True((await node.PatchAsync("/collections/meta_merge", """{"metadata": null}""")).Result.GetBoolean());
        Assert.True((await node.GetAsync("/collections/meta_merge")).Result.GetProperty("config").TryGetProperty("metadata", out _));
        Assert.True((await node.PatchAsync("/collections/meta_merge", """{"metadata": {}}""")).Result.GetBoolean());
        Assert.False((await node.GetAsync("/collections/meta_merge")).Result.GetProperty("config").TryGetProperty("metadata", out _));
    }

    [Fact]
    public async Task Bad_metadata_is_refused_and_changes_nothing()
    {
        await node.CreateCollectionAsync("meta_bad", extra: """, "metadata": {"a": 1}""");
        Assert.Contains("metadata", (await node.PatchAsync("/collections/meta_bad", """{"metadata": [1, 2]}""")).Error(HttpStatusCode.BadRequest));
        Assert.Contains("metadata", (await node.PutAsync("/collections/meta_bad2", """{"vectors": {"size": 2, "distance": "Dot"}, "metadata": "x"}""")).Error(HttpStatusCode.BadRequest));
        Assert.False((await node.GetAsync("/collections/meta_bad2/exists")).Result.GetProperty("exists").GetBoolean());
        Assert.Equal("""{"a":1}""", JsonText.Canonical((await node.GetAsync("/collections/meta_bad")).Result.GetProperty("config").GetProperty("metadata")));
    }

    [Fact]
    public async Task Metadata_and_strict_mode_survive_a_restart()
    {
        using var storage = new TempDirectory();
        var options = RestNode.OptionsOn(storage.Path);
        string config;
        await using (var first = RestNode.Start(options))
        {
            var client = new RestClient(first.CreateClient());
            await client.CreateCollectionAsync("meta_restart", extra: """, "metadata": {"model": "m1"}""");
            Assert.True((await client.PatchAsync("/collections/meta_restart", """{"metadata": {"v": 2}, "strict_mode_config": {"enabled": true, "max_query_limit": 5}}""")).Result.GetBoolean());
            config = JsonText.Canonical((await client.GetAsync("/collections/meta_restart")).Result.GetProperty("config"));
        }

        await using var second = RestNode.Start(options);
        var again = new RestClient(second.CreateClient());
        var after = (await again.GetAsync("/collections/meta_restart")).Result.GetProperty("config");
        Assert.Equal(config, JsonText.Canonical(after));
        Assert.Equal("""{"model":"m1","v":2}""", JsonText.Canonical(after.GetProperty("metadata")));
        Assert.Contains("\"limit\"", (await again.PostAsync("/collections/meta_restart/points/scroll", """{"limit": 6}""")).Error(HttpStatusCode.BadRequest));
    }
}
