using System.Text;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>JSON requests against a node's REST API, answers checked with <see cref="RestAnswer"/>.</summary>
public class RestClient(HttpClient client)
{
    public HttpClient Client { get; } = client;

    public Task<RestAnswer> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<RestAnswer> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public Task<RestAnswer> PutAsync(string path, string json) => SendAsync(HttpMethod.Put, path, json);

    public Task<RestAnswer> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public Task<RestAnswer> PatchAsync(string path, string json) => SendAsync(HttpMethod.Patch, path, json);

    public async Task<RestAnswer> SendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return await SendAsync(request);
    }

    public async Task<RestAnswer> SendAsync(HttpRequestMessage request)
    {
        using var response = await Client.SendAsync(request);
        string raw = await response.Content.ReadAsStringAsync();
        return new RestAnswer(response.StatusCode, raw);
    }

    /// <summary>Creates a collection of <paramref name="size"/>-dimensional vectors and checks the answer.</summary>
    public async Task CreateCollectionAsync(string name, int size = 4, string distance = "Cosine", string extra = "")
    {
        var answer = await PutAsync($"/collections/{name}", $$"""{"vectors": {"size": {{size}}, "distance": "{{distance}}"}{{extra}}}""");
        Assert.True(answer.Result.GetBoolean(), answer.Raw);
    }

    /// <summary>Upserts a <c>points</c> list with <c>wait=true</c> and checks it completed.</summary>
    public async Task UpsertAsync(string name, string pointsJson)
    {
        var answer = await PutAsync($"/collections/{name}/points?wait=true", $$"""{"points": {{pointsJson}}}""");
        Assert.Equal("completed", answer.Result.GetProperty("status").GetString());
    }

    /// <summary>Exact count of the collection's points.</summary>
    public async Task<long> CountAsync(string name, string body = """{"exact": true}""") =>
        (await PostAsync($"/collections/{name}/points/count", body)).Result.GetProperty("count").GetInt64();

    /// <summary>Every point in scroll order, with payload and vector.</summary>
    public async Task<List<JsonElement>> ScrollAllAsync(string name)
    {
        var answer = await PostAsync($"/collections/{name}/points/scroll", """{"limit": 10000, "with_payload": true, "with_vector": true}""");
        return [.. answer.Result.GetProperty("points").EnumerateArray()];
    }
}
