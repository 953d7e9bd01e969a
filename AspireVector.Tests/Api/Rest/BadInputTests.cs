using System.Net;
using System.Text;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// Every bad request answers a 4xx in Qdrant's error envelope with a message naming the problem, and changes
/// nothing: points, payloads, vectors and the collection list are checked after each case.
/// </summary>
public sealed class BadInputTests : IClassFixture<SmallBodyRestNode>, IAsyncLifetime
{
    private const string P = "/collections/guarded/points";
    private static readonly string LongName = new('n', 256);
    private readonly RestNode _node;

    public BadInputTests(SmallBodyRestNode node) => _node = node;

    public static TheoryData<string, string, string, int, string> Cases => new()
    {
        // method, path, body, status, message fragment
        { "PUT", $"{P}?wait=true", """{"points": [{"id": 3, "vector": [1, 2]}]}""", 400, "Vector dimension error: expected dim: 3, got 2" },
        { "POST", $"{P}/search", """{"vector": [1, 2, 3, 4], "limit": 1}""", 400, "expected dim: 3, got 4" },
        { "POST", $"{P}/query", """{"query": [1, 2]}""", 400, "expected dim: 3, got 2" },
        { "PUT", $"{P}?wait=true", """{"points": [{"id": 3, "vector": [1, 1e400, 1]}]}""", 400, "1e400" },
        { "PUT", $"{P}?wait=true", """{"points": [{"id": 3, "vector": [1, -1e39, 1]}]}""", 400, "finite" },
        { "POST", $"{P}/search", """{"vector": [1e400, 0, 0], "limit": 1}""", 400, "finite" },
        // What Python's json.dumps writes for float('nan') / float('inf'): not JSON, so a format error.
        { "PUT", $"{P}?wait=true", """{"points": [{"id": 3, "vector": [1, NaN, 1]}]}""", 400, "Format error in JSON body" },
        { "POST", $"{P}/search", """{"vector": [Infinity, 0, 0], "limit": 1}""", 400, "Format error in JSON body" },
        { "PUT", "/collections/fresh", """{"vectors": {"size": 3, "distance": "Cosinus"}}""", 400, "unknown variant `Cosinus`" },
        { "PUT", "/collections/fresh", """{"vectors": {"size": 0, "distance": "Dot"}}""", 400, "vectors.size" },
        { "PUT", "/collections/fresh", """{"vectors": {"size": "3", "distance": "Dot"}}""", 400, "vectors.size" },
        { "PUT", "/collections/fresh", """{"vectors": {"size": 3, "distance": "Dot"}""", 400, "JSON" },
        { "PUT", $"{P}?wait=true", """{"points": [{"id": 3, "vector": [1, 2, 3]""", 400, "JSON" },
        { "PUT", $"{P}?wait=true", "", 400, "JSON" },
        { "PUT", $"{P}?wait=true", """[{"id": 3, "vector": [1, 2, 3]}]""", 400, "object" },
        { "PUT", $"{P}?wait=true", """{"points": [{"id": 3, "vector": "1,2,3"}]}""", 400, "points[0].vector" },
        { "PUT", $"{P}?wait=true", """{"points": [{"id": 3, "vector": [1, "2", 3]}]}""", 400, "\"2\"" },
        { "PUT", $"{P}?wait=true", """{"points": [{"id": 3, "vector": [1, 2, 3], "payload": [1]}]}""", 400, "payload" },
        { "PUT", $"{P}?wait=true", """{"points": [{"id": true, "vector": [1, 2, 3]}]}""", 400, "point id" },
        { "PUT", $"{P}?wait=true", """{"points": [{"id": -1, "vector": [1, 2, 3]}]}""", 400, "-1" },
        { "PUT", $"{P}?wait=true", """{"points": [{"id": 1.5, "vector": [1, 2, 3]}]}""", 400, "1.5" },
        { "PUT", $"{P}?wait=true", """{"points": [{"id": "not-a-uuid", "vector": [1, 2, 3]}]}""", 400, "not-a-uuid" },
        { "PUT", $"{P}?wait=true", """{"points": [{"id": "3", "vector": [1, 2, 3]}]}""", 400, "\"3\"" },
        { "PUT", $"{P}?wait=true", """{"points": [{"id": 18446744073709551616, "vector": [1, 2, 3]}]}""", 400, "18446744073709551616" },
        { "GET", $"{P}/-1", "", 400, "-1" },
        { "GET", $"{P}/abc", "", 400, "abc" },
        { "POST", P, """{"ids": [1, "x"]}""", 400, "ids[1]" },
        { "POST", $"{P}/delete?wait=true", """{"points": [1, -2]}""", 400, "-2" },
        { "POST", $"{P}/delete?wait=true", """{}""", 400, "filter" },
        { "POST", $"{P}/delete?wait=true", """{"filter": {"must": [{"key": "color", "matches": {"value": "red"}}]}}""", 400, "filter.must[0]" },
        { "POST", $"{P}/payload?wait=true", """{"payload": [1], "points": [1]}""", 400, "payload" },
        { "POST", $"{P}/payload/delete?wait=true", """{"keys": "color", "points": [1]}""", 400, "keys" },
        { "POST", $"{P}/search", """{"vector": [1, 0, 0], "limit": "3"}""", 400, "limit" },
        { "POST", $"{P}/search", """{"vector": [1, 0, 0]}""", 400, "limit" },
        { "POST", $"{P}/search", """{"vector": {"name": 5, "vector": [1, 0, 0]}, "limit": 1}""", 400, "name" },
        { "POST", $"{P}/search", """{"vector": [1, 0, 0], "limit": 1, "with_payload": 5}""", 400, "with_payload" },
        { "POST", $"{P}/search", """{"vector": [1, 0, 0], "limit": 1, "score_threshold": "high"}""", 400, "score_threshold" },
        { "POST", $"{P}/query", """{"query": [1, 0, 0], "using": 5}""", 400, "using" },
        { "POST", $"{P}/query", """{"query": [1, 0, 0], "params": {"hnsw_ef": "many"}}""", 400, "hnsw_ef" },
        { "POST", $"{P}/scroll", """{"limit": -1}""", 400, "limit" },
        { "POST", $"{P}/scroll", """{"limit": 0}""", 400, "limit: value 0 invalid, must be 1 or greater" },
        { "POST", $"{P}/search", """{"vector": [1, 0, 0], "limit": 0}""", 400, "limit: value 0 invalid" },
        { "POST", $"{P}/query", """{"query": [1, 0, 0], "limit": 0}""", 400, "limit: value 0 invalid" },
        { "POST", $"{P}/scroll", """{"offset": -5}""", 400, "offset" },
        { "POST", $"{P}/count", """{"filter": 7}""", 400, "filter" },
        { "PUT", $"{P}?wait=maybe", """{"points": [{"id": 3, "vector": [1, 2, 3]}]}""", 400, "Deserialize error in query parameters: provided string was not `true` or `false`" },
        { "PUT", $"{P}?wait=", """{"points": [{"id": 3, "vector": [1, 2, 3]}]}""", 400, "Deserialize error in query parameters: provided string was not `true` or `false`" },
        { "PUT", $"{P}?wait=true&wait=false", """{"points": [{"id": 3, "vector": [1, 2, 3]}]}""", 400, "Deserialize error in query parameters: duplicate field `wait`" },
        { "PUT", $"{P}?ordering=chaos", """{"points": [{"id": 3, "vector": [1, 2, 3]}]}""", 400, "Deserialize error in query parameters: unknown variant `chaos`, expected one of `weak`, `medium`, `strong`" },
        { "POST", $"{P}/search?consistency=most", """{"vector": [1, 0, 0], "limit": 1}""", 400, "Deserialize error in query parameters: data did not match any variant of untagged enum ReadConsistency" },
        { "POST", $"{P}/scroll?consistency=0", """{"limit": 1}""", 400, "Deserialize error in query parameters: data did not match any variant of untagged enum ReadConsistency" },
        { "GET", "/collections/guarded/optimizations?with=everything", "", 400, "Deserialize error in query parameters: unknown value `everything` in `with`" },
        { "GET", "/collections/guarded/optimizations?completed_limit=-1", "", 400, "Deserialize error in query parameters: invalid digit found in string" },
        { "PUT", $"{P}?wait=true", """{"batch": {"ids": [3, 4], "vectors": [[1, 2, 3], [1, 2]]}}""", 400, "expected dim: 3, got 2" },
        { "PUT", $"{P}?wait=true", """{"batch": {"ids": [3, 4], "vectors": [[1, 2, 3]]}}""", 400, "number of ids and vectors" },
        { "PUT", $"{P}?wait=true", """{"points": [{"id": 3, "vector": [1, 2, 3]}, {"id": 4, "vector": [1, 2, null]}]}""", 400, "points[1].vector" },
        { "PUT", $"{P}?wait=true", """{"points": [{"id": 1, "vector": [9, 9, 9]}, {"id": "bad", "vector": [1, 2, 3]}]}""", 400, "points[1].id" },
        { "PUT", "/collections/guarded", """{"vectors": {"size": 3, "distance": "Dot"}}""", 409, "Collection `guarded` already exists!" },
        { "PUT", "/collections/nope/points?wait=true", """{"points": [{"id": 3, "vector": [1, 2, 3]}]}""", 404, "Collection `nope` doesn't exist!" },
        { "POST", "/collections/nope/points/search", """{"vector": [1, 2, 3], "limit": 1}""", 404, "Collection `nope` doesn't exist!" },
        { "DELETE", "/collections/nope/index/color", "", 404, "Collection `nope` doesn't exist!" },
        { "PUT", "/collections/guarded/index", """{"field_name": "colo{", "field_schema": "keyword"}""", 400, "field_name: Invalid json path: 'colo{'" },
        { "PUT", "/collections/..%2Fescaped", """{"vectors": {"size": 3, "distance": "Dot"}}""", 400, "collection name" },
        { "PUT", "/collections/%2Ftmp%2Fabsolute", """{"vectors": {"size": 3, "distance": "Dot"}}""", 400, "collection name" },
        { "PUT", "/collections/a%5Cb", """{"vectors": {"size": 3, "distance": "Dot"}}""", 400, "collection name" },
        { "PUT", "/collections/%20", """{"vectors": {"size": 3, "distance": "Dot"}}""", 400, "collection name" },
        { "PUT", "/collections/" + LongName, """{"vectors": {"size": 3, "distance": "Dot"}}""", 400, "255" },
        { "PUT", "/collections/", """{"vectors": {"size": 3, "distance": "Dot"}}""", 400, "collection name" },
        { "PUT", $"{P}?wait=true", "{\"points\": [{\"id\": 3, \"vector\": [1, 2, 3], \"payload\": {\"blob\": \"" + new string('x', (1 << 20) + 10) + "\"}}]}", 413, "larger than allowed" },
    };

    public async Task InitializeAsync()
    {
        if ((await _node.GetAsync("/collections/guarded/exists")).Result.GetProperty("exists").GetBoolean()) return;
        await _node.CreateCollectionAsync("guarded", size: 3, distance: "Dot");
        await _node.UpsertAsync("guarded", """
            [{"id": 1, "vector": [1, 0, 0], "payload": {"color": "red"}}, {"id": 2, "vector": [0, 1, 0], "payload": {"color": "blue"}}]
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_request_is_a_4xx_naming_the_problem_and_changes_nothing(string method, string path, string body, int status, string fragment)
    {
        var before = await SnapshotAsync();

        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method != "GET" && method != "DELETE") request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        var answer = await _node.SendAsync(request);

        string message = answer.Error((HttpStatusCode)status);
        Assert.Contains(fragment, message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("/collections/..")]
    [InlineData("/collections/.")]
    public async Task Dot_names_are_rejected_even_when_no_client_normalised_them(string path)
    {
        var before = await SnapshotAsync();
        var answer = await _node.SendRawAsync("PUT", path, """{"vectors": {"size": 3, "distance": "Dot"}}""");
        Assert.Contains("collection name cannot be", answer.Error(HttpStatusCode.BadRequest));
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(["collections"], Directory.EnumerateFileSystemEntries(_node.Options.Storage.StoragePath).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Invalid_utf8_inside_a_string_is_a_format_error()
    {
        var before = await SnapshotAsync();
        var bytes = Encoding.UTF8.GetBytes("""{"points": [{"id": 3, "vector": [1, 2, 3], "payload": {"k": "X"}}]}""");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xFF;
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{P}?wait=true") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var answer = await _node.SendAsync(request);
        Assert.Contains("not valid UTF-8", answer.Error(HttpStatusCode.BadRequest));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Oversized_body_without_content_length_is_413()
    {
        var before = await SnapshotAsync();
        var bytes = Encoding.UTF8.GetBytes("{\"points\": [{\"id\": 3, \"vector\": [1, 2, 3], \"payload\": {\"blob\": \"" + new string('x', 3 << 20) + "\"}}]}");
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{P}?wait=true") { Content = new StreamContent(new MemoryStream(bytes)) };
        request.Headers.TransferEncodingChunked = true;
        var answer = await _node.SendAsync(request);
        Assert.Contains("larger than allowed", answer.Error(HttpStatusCode.RequestEntityTooLarge));
        Assert.Equal(before, await SnapshotAsync());
    }

    /// <summary>Collection names, and every point of <c>guarded</c> with payload and vector.</summary>
    private async Task<string> SnapshotAsync()
    {
        var names = (await _node.GetAsync("/collections")).Result.GetProperty("collections").EnumerateArray()
            .Select(c => c.GetProperty("name").GetString()).Order(StringComparer.Ordinal);
        var points = await _node.ScrollAllAsync("guarded");
        Assert.Equal(2, await _node.CountAsync("guarded"));
        return string.Join(',', names) + "|" + string.Join(',', points.Select(JsonText.Canonical));
    }
}
