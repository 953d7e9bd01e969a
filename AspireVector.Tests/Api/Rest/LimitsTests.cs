using System.Net;
using AspireVector.Node.Configuration;
using AspireVector.Tests.Cluster;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// Every configured limit (<c>service.max_request_size_mb</c>, <c>max_search_limit</c>, <c>max_batch_size</c>,
/// <c>storage.max_collections</c>, <c>max_vector_dimension</c>) is enforced on each REST path that reaches it, with a
/// 4xx in Qdrant's envelope naming the limit, and nothing is applied by a refused request.
/// </summary>
public sealed class LimitsTests(LimitsRestNode node) : IClassFixture<LimitsRestNode>, IAsyncLifetime
{
    private const string C = "/collections/limits";

    public async Task InitializeAsync()
    {
        if ((await node.GetAsync("/collections/limits/exists")).Result.GetProperty("exists").GetBoolean()) return;
        await node.CreateCollectionAsync("limits", size: 4, distance: "Dot");
        await node.UpsertAsync("limits", Points(0, 20));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Points(int from, int count) => "[" + string.Join(',', Enumerable.Range(from, count)
        .Select(i => $"{{\"id\": {i}, \"vector\": [{i}, 1, 0, 0]}}")) + "]";

    private static string Vectors(int count) => string.Join(',', Enumerable.Repeat("[1, 0, 0, 0]", count));

    private static string Ids(int from, int count) => string.Join(',', Enumerable.Range(from, count));

    /// <summary>Method, path, body, expected status, a fragment of the expected message.</summary>
    public static TheoryData<string, string, string, int, string> OverTheLimit => new()
    {
        // max_batch_size (20): both upsert forms.
        { "PUT", C + "/points?wait=true", $"{{\"points\": {Points(100, 21)}}}", 400, "too many points in one request: 21 (max 20)" },
        { "PUT", C + "/points?wait=true", $"{{\"batch\": {{\"ids\": [{Ids(100, 21)}], \"vectors\": [{Vectors(21)}]}}}}", 400, "too many points in one request: 21 (max 20)" },
        // max_search_limit (50): limit and offset on every read that pages.
        { "POST", C + "/points/search", """{"vector": [1, 0, 0, 0], "limit": 51}""", 400, "limit" },
        { "POST", C + "/points/search", """{"vector": [1, 0, 0, 0], "limit": 5, "offset": 51}""", 400, "offset" },
        { "POST", C + "/points/search/batch", """{"searches": [{"vector": [1, 0, 0, 0], "limit": 5}, {"vector": [1, 0, 0, 0], "limit": 51}]}""", 400, "limit" },
        { "POST", C + "/points/query", """{"query": [1, 0, 0, 0], "limit": 51}""", 400, "limit" },
        { "POST", C + "/points/query", """{"query": 3, "limit": 51}""", 400, "limit" },
        { "POST", C + "/points/query", """{"limit": 51}""", 400, "limit" },
        { "POST", C + "/points/query", """{"limit": 5, "offset": 51}""", 400, "offset" },
        { "POST", C + "/points/query/batch", """{"searches": [{"query": [1, 0, 0, 0], "limit": 51}]}""", 400, "limit" },
        { "POST", C + "/points/scroll", """{"limit": 51}""", 400, "limit" },
        // max_vector_dimension (64).
        { "PUT", "/collections/too_wide", """{"vectors": {"size": 65, "distance": "Dot"}}""", 400, "vectors.size: value 65 invalid, must be from 1 to 64" },
        // max_request_size_mb (1 MB): 413 on every endpoint that takes a body.
        { "PUT", C + "/points?wait=true", Padded("""{"points": [], "pad": "#"}"""), 413, "Payload error" },
        { "POST", C + "/points/search", Padded("""{"vector": [1, 0, 0, 0], "limit": 1, "pad": "#"}"""), 413, "Payload error" },
        { "POST", C + "/points/scroll", Padded("""{"pad": "#"}"""), 413, "Payload error" },
        { "POST", C + "/points/delete?wait=true", Padded("""{"points": [1], "pad": "#"}"""), 413, "Payload error" },
        { "POST", C + "/points/payload?wait=true", Padded("""{"payload": {"a": "#"}, "points": [1]}"""), 413, "Payload error" },
        { "POST", C + "/points/query/batch", Padded("""{"searches": [], "pad": "#"}"""), 413, "Payload error" },
        { "PUT", "/collections/padded", Padded("""{"vectors": {"size": 4, "distance": "Dot"}, "pad": "#"}"""), 413, "Payload error" },
        { "PATCH", C, Padded("""{"optimizers_config": {}, "pad": "#"}"""), 413, "Payload error" },
    };

    /// <summary>The same requests one step inside the limits succeed.</summary>
    public static TheoryData<string, string, string> AtTheLimit => new()
    {
        { "PUT", C + "/points?wait=true", $"{{\"points\": {Points(0, 20)}}}" },
        { "PUT", C + "/points?wait=true", $"{{\"batch\": {{\"ids\": [{Ids(0, 20)}], \"vectors\": [{Vectors(20)}]}}}}" },
        { "POST", C + "/points/search", """{"vector": [1, 0, 0, 0], "limit": 50, "offset": 50}""" },
        { "POST", C + "/points/search/batch", """{"searches": [{"vector": [1, 0, 0, 0], "limit": 50}]}""" },
        { "POST", C + "/points/query", """{"query": [1, 0, 0, 0], "limit": 50}""" },
        { "POST", C + "/points/query", """{"limit": 50, "offset": 50}""" },
        { "POST", C + "/points/query/batch", """{"searches": [{"query": [1, 0, 0, 0], "limit": 50}]}""" },
        { "POST", C + "/points/scroll", """{"limit": 50}""" },
    };

    /// <summary><paramref name="json"/> with its <c>#</c> replaced by just over 1 MB of text.</summary>
    private static string Padded(string json) => json.Replace("#", new string('x', (1 << 20) + 16), StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(OverTheLimit))]
    public async Task Request_over_a_limit_is_refused_with_a_clear_4xx_and_changes_nothing(string method, string path, string body, int status, string message)
    {
        var answer = await node.SendAsync(new HttpMethod(method), path, body);
        string error = answer.Error((HttpStatusCode)status);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal(20, await node.CountAsync("limits"));
        Assert.False((await node.GetAsync("/collections/too_wide/exists")).Result.GetProperty("exists").GetBoolean());
        Assert.False((await node.GetAsync("/collections/padded/exists")).Result.GetProperty("exists").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(AtTheLimit))]
    public async Task Request_at_a_limit_is_served(string method, string path, string body)
    {
        _ = (await node.SendAsync(new HttpMethod(method), path, body)).Result;
    }

    [Fact]
    public async Task Collection_count_and_dimension_limits_hold_at_their_boundary()
    {
        await node.CreateCollectionAsync("widest", size: 64);
        int existing = (await node.GetAsync("/collections")).Result.GetProperty("collections").GetArrayLength();
        for (int i = existing; i < 3; i++) await node.CreateCollectionAsync($"filler_{i}");
        var refused = await node.PutAsync("/collections/one_too_many", """{"vectors": {"size": 4, "distance": "Dot"}}""");
        Assert.Equal("Wrong input: Maximum number of collections (3) reached", refused.Error(HttpStatusCode.BadRequest));
        Assert.Equal(3, (await node.GetAsync("/collections")).Result.GetProperty("collections").GetArrayLength());
    }

    [Fact]
    public void Every_limit_is_set_from_yaml_and_overridden_by_the_environment()
    {
        using var dir = new Storage.TempDirectory();
        string yaml = Path.Combine(dir.Path, "config.yaml");
        File.WriteAllText(yaml, """
            service:
              max_request_size_mb: 7
              max_search_limit: 70
              max_batch_size: 700
            storage:
              max_collections: 7
              max_vector_dimension: 7000
            """);
        var env = new Dictionary<string, string?>
        {
            ["AV__SERVICE__MAX_SEARCH_LIMIT"] = "71",
            ["QDRANT__STORAGE__MAX_COLLECTIONS"] = "8",
        };
        var options = NodeConfigLoader.Load(["--config-path", yaml], env);
        Assert.Equal(7, options.Service.MaxRequestSizeMb);
        Assert.Equal(71, options.Service.MaxSearchLimit);
        Assert.Equal(700, options.Service.MaxBatchSize);
        Assert.Equal(8, options.Storage.MaxCollections);
        Assert.Equal(7000, options.Storage.MaxVectorDimension);
        var bad = Assert.Throws<NodeConfigException>(() => NodeConfigLoader.Load(["--config-path", yaml], new Dictionary<string, string?> { ["AV__SERVICE__MAX_BATCH_SIZE"] = "0" }));
        Assert.Contains("service.max_batch_size", bad.Message, StringComparison.Ordinal);
    }
}
