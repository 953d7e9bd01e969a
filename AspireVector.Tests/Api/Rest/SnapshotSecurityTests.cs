using System.Net;

namespace AspireVector.Tests.Api.Rest;

/// <summary>Snapshot endpoints under api keys: reads with the read-only key, creating and recovering with the full one.</summary>
public sealed class SnapshotSecurityTests(SnapshotSecurityTests.KeyedNode node) : IClassFixture<SnapshotSecurityTests.KeyedNode>
{
    private const string Key = "manage-key", ReadKey = "read-key";

    /// <summary>A node with <c>service.api_key</c> and <c>service.read_only_api_key</c>.</summary>
    public sealed class KeyedNode() : SnapshotRestNode(o =>
    {
        o.Service.ApiKey = Key;
        o.Service.ReadOnlyApiKey = ReadKey;
    });

    private async Task<HttpStatusCode> StatusAsync(HttpMethod method, string path, string key, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("api-key", key);
        if (json is not null) request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await node.Client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Read_only_key_lists_and_downloads_but_cannot_create_delete_or_recover()
    {
        const string c = "snap-keys";
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Put, $"/collections/{c}", Key, """{"vectors": {"size": 2, "distance": "Dot"}}"""));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Post, $"/collections/{c}/snapshots", ReadKey));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Post, $"/collections/{c}/shards/0/snapshots", ReadKey));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Post, "/snapshots", ReadKey));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Get, "/snapshots", ReadKey));

        using var create = new HttpRequestMessage(HttpMethod.Post, $"/collections/{c}/snapshots");
        create.Headers.Add("api-key", Key);
        var created = await node.SendAsync(create);
        string name = created.Result.GetProperty("name").GetString()!;
        string location = new Uri(Path.Combine(node.SnapshotsPath, c, name)).AbsoluteUri;

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Get, $"/collections/{c}/snapshots", ReadKey));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Get, $"/collections/{c}/snapshots/{name}", ReadKey));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Put, $"/collections/{c}/snapshots/recover", ReadKey, $$"""{"location": "{{location}}"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Post, $"/collections/{c}/snapshots/upload", ReadKey));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Put, $"/collections/{c}/shards/0/snapshots/recover", ReadKey, $$"""{"location": "{{location}}"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Delete, $"/collections/{c}/snapshots/{name}", ReadKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(HttpMethod.Get, $"/collections/{c}/snapshots", "wrong"));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Put, $"/collections/{c}/snapshots/recover", Key, $$"""{"location": "{{location}}"}"""));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Delete, $"/collections/{c}/snapshots/{name}", Key));
    }
}
