using System.Net;
using System.Text;
using System.Text.Json;
using AspireVector.Node.Configuration;
using AspireVector.Tests.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// An in-process node (the real <c>Program</c>, test server) on its own temp storage folder, shared by the tests
/// of one class; each test uses its own collection names.
/// </summary>
public class RestNode : IDisposable
{
    private readonly TempDirectory _storage = new();
    private readonly WebApplicationFactory<AspireVector.Node.Program> _factory;

    public RestNode() : this(_ => { }) { }

    protected RestNode(Action<NodeOptions> configure)
    {
        Options = new NodeOptions();
        Options.Storage.StoragePath = _storage.Path;
        configure(Options);
        _factory = new WebApplicationFactory<AspireVector.Node.Program>().WithWebHostBuilder(web =>
            web.ConfigureTestServices(services => services.AddSingleton(Options)));
        Client = _factory.CreateClient();
    }

    /// <summary>The node's settings (storage on a temp folder).</summary>
    public NodeOptions Options { get; }

    public HttpClient Client { get; }

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

    /// <summary>
    /// Sends a request with <paramref name="path"/> as the server sees it after decoding, bypassing the client's
    /// URI normalisation (which would fold <c>/collections/..</c> into <c>/</c> before it is sent).
    /// </summary>
    public async Task<RestAnswer> SendRawAsync(string method, string path, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var context = await _factory.Server.SendAsync(c =>
        {
            c.Request.Method = method;
            c.Request.Path = path;
            c.Request.ContentType = "application/json";
            c.Request.ContentLength = body.Length;
            c.Request.Body = new MemoryStream(body);
        });
        using var reader = new StreamReader(context.Response.Body);
        return new RestAnswer((HttpStatusCode)context.Response.StatusCode, await reader.ReadToEndAsync());
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

    /// <summary>Ids of all points, in scroll order, with their payloads.</summary>
    public async Task<List<JsonElement>> ScrollAllAsync(string name)
    {
        var answer = await PostAsync($"/collections/{name}/points/scroll", """{"limit": 10000, "with_payload": true, "with_vector": true}""");
        return [.. answer.Result.GetProperty("points").EnumerateArray()];
    }

    public void Dispose()
    {
        Client.Dispose();
        _factory.Dispose();
        _storage.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A node with a 1 MB request size limit (<c>service.max_request_size_mb</c>).</summary>
public sealed class SmallBodyRestNode() : RestNode(o => o.Service.MaxRequestSizeMb = 1);

/// <summary>One HTTP answer, with Qdrant's envelope checked on access.</summary>
public sealed class RestAnswer
{
    public RestAnswer(HttpStatusCode status, string raw)
    {
        Status = status;
        Raw = raw;
        if (raw.Length > 0 && raw[0] == '{')
        {
            using var doc = JsonDocument.Parse(raw);
            Body = doc.RootElement.Clone();
        }
    }

    public HttpStatusCode Status { get; }

    public string Raw { get; }

    /// <summary>The parsed body (undefined when it is not a JSON object).</summary>
    public JsonElement Body { get; }

    /// <summary>Asserts 200 and <c>{"result":..,"status":"ok","time":..}</c>; returns <c>result</c>.</summary>
    public JsonElement Result
    {
        get
        {
            Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Raw}");
            Assert.Equal(["result", "status", "time"], Body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal("ok", Body.GetProperty("status").GetString());
            Assert.True(Body.GetProperty("time").GetDouble() >= 0);
            return Body.GetProperty("result");
        }
    }

    /// <summary>Asserts <paramref name="expected"/> and <c>{"status":{"error":".."},"time":..}</c>; returns the message.</summary>
    public string Error(HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"expected {(int)expected}, got {(int)Status}: {Raw}");
        Assert.Equal(["status", "time"], Body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Number, Body.GetProperty("time").ValueKind);
        return Body.GetProperty("status").GetProperty("error").GetString()!;
    }
}

/// <summary>JSON compared by meaning: object keys sorted (Qdrant's payload key order is not stable).</summary>
public static class JsonText
{
    public static string Canonical(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(',', e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => JsonSerializer.Serialize(p.Name) + ":" + Canonical(p.Value))) + "}",
        JsonValueKind.Array => "[" + string.Join(',', e.EnumerateArray().Select(Canonical)) + "]",
        _ => e.GetRawText(),
    };

    public static string Canonical(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Canonical(doc.RootElement);
    }
}
