using System.Net;
using System.Text.Json;
using AspireVector.Node.Configuration;
using AspireVector.Tests.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AspireVector.Tests.Api.Rest;

/// <summary>Aliases: atomic changes, resolution for reads and writes, deletion with the collection, persistence.</summary>
public sealed class AliasesApiTests(RestNode node) : IClassFixture<RestNode>
{
    private static string Actions(params string[] actions) => $$"""{"actions": [{{string.Join(", ", actions)}}]}""";

    private static string Create(string collection, string alias) => $$$"""{"create_alias": {"collection_name": "{{{collection}}}", "alias_name": "{{{alias}}}"}}""";

    private static string Delete(string alias) => $$$"""{"delete_alias": {"alias_name": "{{{alias}}}"}}""";

    private static string Rename(string from, string to) => $$$"""{"rename_alias": {"old_alias_name": "{{{from}}}", "new_alias_name": "{{{to}}}"}}""";

    private static Dictionary<string, string> AliasMap(JsonElement result) =>
        result.GetProperty("aliases").EnumerateArray().ToDictionary(a => a.GetProperty("alias_name").GetString()!, a => a.GetProperty("collection_name").GetString()!);

    private async Task<Dictionary<string, string>> AliasesAsync() => AliasMap((await node.GetAsync("/aliases")).Result);

    [Fact]
    public async Task An_alias_serves_reads_writes_and_collection_endpoints()
    {
        await node.CreateCollectionAsync("alias_target", distance: "Dot", extra: """, "shard_number": 2""");
        Assert.True((await node.PostAsync("/collections/aliases", Actions(Create("alias_target", "alias_front")))).Result.GetBoolean());

        // Writes through the alias land in the collection.
        await node.UpsertAsync("alias_front", """[{"id": 1, "vector": [1, 0, 0, 0], "payload": {"a": 1}}, {"id": 2, "vector": [0, 1, 0, 0]}]""");
        Assert.Equal(2, await node.CountAsync("alias_target"));
        Assert.Equal("completed", (await node.PostAsync("/collections/alias_front/points/payload?wait=true", """{"payload": {"b": 2}, "points": [2]}""")).Result.GetProperty("status").GetString());
        Assert.Equal(2, (await node.GetAsync("/collections/alias_target/points/2")).Result.GetProperty("payload").GetProperty("b").GetInt32());

        // Reads and collection endpoints resolve it.
        var hits = (await node.PostAsync("/collections/alias_front/points/search", """{"vector": [1, 0, 0, 0], "limit": 1}""")).Result;
        Assert.Equal(1, hits[0].GetProperty("id").GetInt32());
        Assert.Equal(2, (await node.GetAsync("/collections/alias_front")).Result.GetProperty("points_count").GetInt64());
        Assert.True((await node.GetAsync("/collections/alias_front/exists")).Result.GetProperty("exists").GetBoolean());
        Assert.Equal("completed", (await node.PutAsync("/collections/alias_front/index?wait=true", """{"field_name": "a", "field_schema": "integer"}""")).Result.GetProperty("status").GetString());
        Assert.True((await node.GetAsync("/collections/alias_target")).Result.GetProperty("payload_schema").TryGetProperty("a", out _));

        Assert.Equal("alias_target", (await AliasesAsync())["alias_front"]);
        Assert.Equal(new Dictionary<string, string> { ["alias_front"] = "alias_target" }, AliasMap((await node.GetAsync("/collections/alias_target/aliases")).Result));
        Assert.Equal(new Dictionary<string, string> { ["alias_front"] = "alias_target" }, AliasMap((await node.GetAsync("/collections/alias_front/aliases")).Result));
    }

    [Fact]
    public async Task Switching_an_alias_is_atomic_and_a_refused_list_changes_nothing()
    {
        await node.CreateCollectionAsync("switch_old");
        await node.CreateCollectionAsync("switch_new");
        await node.UpsertAsync("switch_new", """[{"id": 7, "vector": [1, 0, 0, 0]}]""");
        (await node.PostAsync("/collections/aliases", Actions(Create("switch_old", "switch_live")))).Result.GetBoolean();

        // The documented blue/green switch: delete and re-create in one request.
        Assert.True((await node.PostAsync("/collections/aliases", Actions(Delete("switch_live"), Create("switch_new", "switch_live")))).Result.GetBoolean());
        Assert.Equal("switch_new", (await AliasesAsync())["switch_live"]);
        Assert.Equal(1, await node.CountAsync("switch_live"));

        // A list whose last action is refused leaves every earlier one unapplied.
        var refused = await node.PostAsync("/collections/aliases", Actions(Rename("switch_live", "switch_renamed"), Create("switch_missing", "switch_other")));
        Assert.Contains("switch_missing", refused.Error(HttpStatusCode.NotFound));
        var after = await AliasesAsync();
        Assert.Equal("switch_new", after["switch_live"]);
        Assert.False(after.ContainsKey("switch_renamed"));
        Assert.False(after.ContainsKey("switch_other"));

        Assert.True((await node.PostAsync("/collections/aliases", Actions(Rename("switch_live", "switch_renamed")))).Result.GetBoolean());
        after = await AliasesAsync();
        Assert.Equal("switch_new", after["switch_renamed"]);
        Assert.False(after.ContainsKey("switch_live"));
        Assert.Equal(HttpStatusCode.NotFound, (await node.PostAsync("/collections/switch_live/points/count", "{}")).Status);

        // Deleting an alias that does not exist is not an error (Qdrant: "Delete alias if exists").
        Assert.True((await node.PostAsync("/collections/aliases", Actions(Delete("switch_never")))).Result.GetBoolean());
    }

    [Fact]
    public async Task Deleting_a_collection_removes_its_aliases_and_names_do_not_collide()
    {
        await node.CreateCollectionAsync("doomed");
        await node.CreateCollectionAsync("survivor");
        (await node.PostAsync("/collections/aliases", Actions(Create("doomed", "doomed_a"), Create("doomed", "doomed_b"), Create("survivor", "survivor_a")))).Result.GetBoolean();

        // Deleting through an alias deletes nothing, as in Qdrant (delete takes a collection name).
        Assert.False((await node.DeleteAsync("/collections/doomed_a")).Result.GetBoolean());
        Assert.True((await node.DeleteAsync("/collections/doomed")).Result.GetBoolean());
        var aliases = await AliasesAsync();
        Assert.False(aliases.ContainsKey("doomed_a"));
        Assert.False(aliases.ContainsKey("doomed_b"));
        Assert.Equal("survivor", aliases["survivor_a"]);

        var asCollection = await node.PutAsync("/collections/survivor_a", """{"vectors": {"size": 4, "distance": "Dot"}}""");
        Assert.Contains("Alias with the same name already exists", asCollection.Error(HttpStatusCode.BadRequest));
        var onCollection = await node.PostAsync("/collections/aliases", Actions(Create("survivor", "doomed_b"), Create("survivor", "survivor")));
        Assert.Contains("Collection `survivor` already exists", onCollection.Error(HttpStatusCode.BadRequest));
        Assert.False((await AliasesAsync()).ContainsKey("doomed_b"));
        Assert.Contains("does not exists", (await node.PostAsync("/collections/aliases", Actions(Rename("nothing_here", "x")))).Error(HttpStatusCode.NotFound));
        Assert.Equal(HttpStatusCode.NotFound, (await node.GetAsync("/collections/doomed/aliases")).Status);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"actions": {}}""")]
    [InlineData("""{"actions": [{"make_alias": {"alias_name": "x"}}]}""")]
    [InlineData("""{"actions": [{"create_alias": {"alias_name": "x"}}]}""")]
    [InlineData("""{"actions": [{"create_alias": {"collection_name": "survivor", "alias_name": ""}}]}""")]
    [InlineData("""{"actions": [{"delete_alias": {"alias_name": 5}}]}""")]
    [InlineData("""{"actions": [{"rename_alias": {"old_alias_name": "a"}}]}""")]
    public async Task Malformed_alias_changes_are_refused_with_400(string body)
    {
        var before = await AliasesAsync();
        Assert.NotEmpty((await node.PostAsync("/collections/aliases", body)).Error(HttpStatusCode.BadRequest));
        Assert.Equal(before, await AliasesAsync());
    }

    [Fact]
    public async Task Aliases_survive_a_restart()
    {
        using var storage = new TempDirectory();
        var options = new NodeOptions();
        options.Storage.StoragePath = storage.Path;
        options.Service.GrpcPort = null; // the gRPC listener would bind the real port 6334, shared with any other node
        await using (var first = Start(options))
        {
            var client = new RestClient(first.CreateClient());
            await client.CreateCollectionAsync("kept");
            (await client.PostAsync("/collections/aliases", Actions(Create("kept", "kept_alias")))).Result.GetBoolean();
        }

        await using var second = Start(options);
        var again = new RestClient(second.CreateClient());
        Assert.Equal("kept", AliasMap((await again.GetAsync("/aliases")).Result)["kept_alias"]);
        Assert.Equal(0, await again.CountAsync("kept_alias"));
    }

    private static WebApplicationFactory<AspireVector.Node.Program> Start(NodeOptions options) =>
        new WebApplicationFactory<AspireVector.Node.Program>().WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton(options)));
}
