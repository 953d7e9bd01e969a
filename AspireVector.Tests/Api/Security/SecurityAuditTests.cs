using System.Net;
using System.Security.Cryptography;
using System.Text;
using AspireVector.Tests.Api.Rest;

namespace AspireVector.Tests.Api.Security;

/// <summary>
/// The whole node with keys configured: which paths are open (Qdrant's list: <c>/</c>, <c>/healthz</c>,
/// <c>/readyz</c>, <c>/livez</c>), <c>/metrics</c> behind the key as in Qdrant, and the JWT checks an attacker would
/// try (alg none, another algorithm, a token signed with the read-only key, expiry, unsupported claims).
/// </summary>
public sealed class SecurityAuditTests(KeyedRestNode node) : IClassFixture<KeyedRestNode>
{
    private const string Key = KeyedRestNode.Key;

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? apiKey = null, string? bearer = null, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (apiKey is not null) request.Headers.Add("api-key", apiKey);
        if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return await node.Client.SendAsync(request);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/healthz")]
    [InlineData("/livez")]
    [InlineData("/readyz")]
    public async Task Health_and_root_are_open(string path)
    {
        using var answer = await SendAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/telemetry")]
    [InlineData("/collections")]
    [InlineData("/cluster")]
    public async Task Everything_else_needs_a_key_and_the_refusal_echoes_nothing(string path)
    {
        using var none = await SendAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        using var wrong = await SendAsync(HttpMethod.Get, path, apiKey: "guess-" + Key);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var answer = new RestAnswer(wrong.StatusCode, await wrong.Content.ReadAsStringAsync());
        Assert.DoesNotContain(Key, answer.Error(HttpStatusCode.Unauthorized), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_are_scraped_with_the_read_only_key_as_in_qdrant()
    {
        using var read = await SendAsync(HttpMethod.Get, "/metrics", apiKey: KeyedRestNode.ReadKey);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Contains("# TYPE", await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var bearer = await SendAsync(HttpMethod.Get, "/metrics", bearer: Key);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
    }

    public static TheoryData<string, string> ForgedTokens => new()
    {
        { "alg none, no signature", Unsigned("""{"alg":"none","typ":"JWT"}""", """{"access":"m"}""") },
        { "alg none, with an HS256 signature", Signed("""{"alg":"none","typ":"JWT"}""", """{"access":"m"}""", Key) },
        { "HS512", Signed("""{"alg":"HS512","typ":"JWT"}""", """{"access":"m"}""", Key, sha512: true) },
        { "signed with the read-only key", Signed(Header, """{"access":"m"}""", KeyedRestNode.ReadKey) },
        { "signature of another payload", Splice(Signed(Header, """{"access":"r"}""", Key), """{"access":"m"}""") },
        { "expired", Signed(Header, """{"exp":1700000000,"access":"m"}""", Key) },
        { "exp not a number", Signed(Header, """{"exp":"never","access":"m"}""", Key) },
        { "value_exists (not supported)", Signed(Header, """{"access":"m","value_exists":{"collection":"users","matches":[]}}""", Key) },
        { "no access claim", Signed(Header, """{"exp":4102444800}""", Key) },
        { "unknown global access", Signed(Header, """{"access":"rw"}""", Key) },
        { "payload not JSON", Signed(Header, "not json", Key) },
    };

    [Theory]
    [MemberData(nameof(ForgedTokens))]
    public async Task Forged_or_unusable_tokens_are_refused(string what, string token)
    {
        using var answer = await SendAsync(HttpMethod.Get, "/collections", bearer: token);
        Assert.True(answer.StatusCode == HttpStatusCode.Unauthorized, what);
        using var header = await SendAsync(HttpMethod.Get, "/collections", apiKey: token);
        Assert.True(header.StatusCode == HttpStatusCode.Unauthorized, what + " (api-key header)");
    }

    [Fact]
    public async Task Token_access_levels_hold_on_the_real_routes()
    {
        string future = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string manage = Signed(Header, $$"""{"exp":{{future}},"access":"m"}""", Key);
        string read = Signed(Header, """{"access":"r"}""", Key);
        string audit = Signed(Header, """{"access":[{"collection":"audit","access":"rw"}]}""", Key);
        const string Create = """{"vectors": {"size": 2, "distance": "Dot"}}""";

        using (var r = await SendAsync(HttpMethod.Put, "/collections/audit", bearer: read, json: Create)) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        using (var r = await SendAsync(HttpMethod.Put, "/collections/audit", bearer: audit, json: Create)) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        using (var r = await SendAsync(HttpMethod.Put, "/collections/audit", bearer: manage, json: Create)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        const string Point = """{"points": [{"id": 1, "vector": [1, 0]}]}""";
        using (var r = await SendAsync(HttpMethod.Put, "/collections/audit/points?wait=true", bearer: audit, json: Point)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using (var r = await SendAsync(HttpMethod.Put, "/collections/audit/points?wait=true", bearer: read, json: Point)) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        using (var r = await SendAsync(HttpMethod.Put, "/collections/audit/points?wait=true", apiKey: KeyedRestNode.ReadKey, json: Point)) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        using (var r = await SendAsync(HttpMethod.Post, "/collections/audit/points/scroll", bearer: read, json: "{}")) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using (var r = await SendAsync(HttpMethod.Delete, "/collections/audit", bearer: audit)) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        using (var r = await SendAsync(HttpMethod.Get, "/collections/other", bearer: audit)) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        // Cluster-wide operations need global manage access.
        using (var r = await SendAsync(HttpMethod.Post, "/cluster/recover", bearer: audit)) Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
    }

    private const string Header = """{"alg":"HS256","typ":"JWT"}""";

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Unsigned(string header, string payload) => $"{B64(Encoding.UTF8.GetBytes(header))}.{B64(Encoding.UTF8.GetBytes(payload))}.";

    private static string Signed(string header, string payload, string key, bool sha512 = false)
    {
        string signed = Unsigned(header, payload).TrimEnd('.');
        byte[] input = Encoding.ASCII.GetBytes(signed);
        byte[] mac = sha512 ? HMACSHA512.HashData(Encoding.UTF8.GetBytes(key), input) : HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), input);
        return signed + "." + B64(mac);
    }

    /// <summary>A valid token's signature on another payload.</summary>
    private static string Splice(string token, string payload)
    {
        var parts = token.Split('.');
        return $"{parts[0]}.{B64(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
    }
}
