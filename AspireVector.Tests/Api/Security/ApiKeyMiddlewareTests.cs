using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AspireVector.Node.Api.Security;
using AspireVector.Node.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AspireVector.Tests.Api.Security;

public sealed class ApiKeyMiddlewareTests
{
    private const string Key = "secret-key";
    private const string ReadKey = "read-key";

    private static async Task<HttpClient> StartAsync(bool jwt = false)
    {
        var options = new NodeOptions();
        options.Service.ApiKey = Key;
        options.Service.ReadOnlyApiKey = ReadKey;
        options.Service.JwtRbac = jwt;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(options);
        var app = builder.Build();
        app.UseApiKeyAuthentication();
        app.MapGet("/healthz", () => "ok");
        app.MapGet("/collections", () => "list");
        app.MapGet("/collections/{name}", (string name) => name);
        app.MapPut("/collections/{name}", (string name) => name);
        app.MapPut("/collections/{name}/points", (string name) => "upserted");
        app.MapPost("/collections/{name}/points/search", (string name) => "found");
        await app.StartAsync();
        return app.GetTestClient();
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? apiKey = null, string? bearer = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (apiKey is not null) request.Headers.Add("api-key", apiKey);
        if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);
        return request;
    }

    [Fact]
    public async Task Health_stays_open_and_everything_else_needs_a_key()
    {
        using var client = await StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        var denied = await client.GetAsync("/collections");
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        using var body = JsonDocument.Parse(await denied.Content.ReadAsStringAsync());
        Assert.Contains("API key", body.RootElement.GetProperty("status").GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Request(HttpMethod.Get, "/collections", "wrong"))).StatusCode);
    }

    [Fact]
    public async Task Full_key_works_in_header_and_as_bearer()
    {
        using var client = await StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Request(HttpMethod.Put, "/collections/a", Key))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Request(HttpMethod.Put, "/collections/a/points", bearer: Key))).StatusCode);
    }

    [Fact]
    public async Task Read_only_key_reads_and_searches_but_cannot_write()
    {
        using var client = await StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Request(HttpMethod.Get, "/collections/a", ReadKey))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Request(HttpMethod.Post, "/collections/a/points/search", ReadKey))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Request(HttpMethod.Put, "/collections/a/points", ReadKey))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Request(HttpMethod.Put, "/collections/a", bearer: ReadKey))).StatusCode);
    }

    [Fact]
    public async Task Jwt_tokens_grant_what_their_access_claim_says()
    {
        using var client = await StartAsync(jwt: true);
        var future = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var manage = Token(Key, $$"""{"exp":{{future}},"access":"m"}""");
        var read = Token(Key, """{"access":"r"}""");
        var perCollection = Token(Key, """{"access":[{"collection":"a","access":"rw"},{"collection":"b","access":"r"}]}""");
        var expired = Token(Key, """{"exp":1000,"access":"m"}""");
        var forged = Token("another-key", """{"access":"m"}""");

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Request(HttpMethod.Put, "/collections/z", bearer: manage))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Request(HttpMethod.Get, "/collections/z", bearer: read))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Request(HttpMethod.Put, "/collections/z/points", bearer: read))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Request(HttpMethod.Put, "/collections/a/points", bearer: perCollection))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Request(HttpMethod.Put, "/collections/b/points", bearer: perCollection))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Request(HttpMethod.Post, "/collections/b/points/search", bearer: perCollection))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Request(HttpMethod.Get, "/collections/c", bearer: perCollection))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Request(HttpMethod.Put, "/collections/a", bearer: perCollection))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Request(HttpMethod.Get, "/collections/a", bearer: expired))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Request(HttpMethod.Get, "/collections/a", bearer: forged))).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/collections", OperationKind.Read, null)]
    [InlineData("PUT", "/collections/a", OperationKind.Manage, "a")]
    [InlineData("PATCH", "/collections/a", OperationKind.Manage, "a")]
    [InlineData("POST", "/collections/a/points", OperationKind.Read, "a")]
    [InlineData("PUT", "/collections/a/points", OperationKind.Write, "a")]
    [InlineData("POST", "/collections/a/points/delete", OperationKind.Write, "a")]
    [InlineData("POST", "/collections/a/points/query", OperationKind.Read, "a")]
    [InlineData("POST", "/collections/a/cluster", OperationKind.Manage, "a")]
    [InlineData("DELETE", "/cluster/peer/1", OperationKind.Manage, null)]
    [InlineData("GET", "/collections/a/snapshots", OperationKind.Read, "a")]
    [InlineData("POST", "/collections/a/snapshots", OperationKind.Manage, "a")]
    [InlineData("PUT", "/collections/a/snapshots/recover", OperationKind.Manage, "a")]
    [InlineData("POST", "/collections/a/shards/0/snapshots", OperationKind.Manage, "a")]
    [InlineData("PUT", "/collections/a/shards/0/snapshots/recover", OperationKind.Manage, "a")]
    [InlineData("GET", "/snapshots", OperationKind.Manage, null)]
    [InlineData("POST", "/snapshots", OperationKind.Manage, null)]
    public void Requests_are_classified_as_qdrant_does(string method, string path, OperationKind kind, string? collection)
    {
        var operation = RestOperation.Classify(method, path);
        Assert.Equal(kind, operation.Kind);
        Assert.Equal(collection, operation.Collection);
    }

    internal static string Token(string key, string payload)
    {
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var head = B64(Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}"""));
        var body = B64(Encoding.UTF8.GetBytes(payload));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes(head + "." + body));
        return head + "." + body + "." + B64(signature);
    }
}
