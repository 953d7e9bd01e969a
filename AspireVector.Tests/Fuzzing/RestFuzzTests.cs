using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using AspireVector.Tests.Api.Rest;

namespace AspireVector.Tests.Fuzzing;

/// <summary>
/// Seeded fuzzing of the REST API: valid requests mutated (bodies and query strings) must answer a 4xx or a 2xx,
/// never a 5xx, never leak exception names or stack traces, keep the node up, and — when rejected — change nothing.
/// Set <c>AV_FUZZ_SEED</c> to replay a failure.
/// </summary>
public sealed partial class RestFuzzTests : IClassFixture<SmallBodyRestNode>
{
    private const string C = "/collections/fuzz";
    private const string P = C + "/points";
    /// <summary>
    /// A fixed number of cases (<c>AV_FUZZ_CASES</c> runs more), not a time budget: on a starved CI machine a budget
    /// ran too few cases to mean anything, and the same seed must run the same cases everywhere.
    /// </summary>
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("AV_FUZZ_CASES"), out var n) && n > 0 ? n : 1_500;

    private static readonly (string Method, string Path, string Body)[] Templates =
    [
        ("PUT", $"{P}?wait=true", """{"points": [{"id": 101, "vector": [0.5, 0.25, 1], "payload": {"color": "red", "n": 5, "tags": ["a", "b"], "nested": {"x": 1.5}}}, {"id": "5c56c793-69f3-4fbf-87e6-c4bf54c28c26", "vector": [1, 0, 0]}]}"""),
        ("PUT", $"{P}?wait=true&ordering=weak", """{"batch": {"ids": [102, 103], "vectors": [[1, 2, 3], [3, 2, 1]], "payloads": [{"color": "blue"}, {"n": 7}]}}"""),
        ("POST", P, """{"ids": [1, 2, 999], "with_payload": true, "with_vector": true}"""),
        ("GET", $"{P}/1", ""),
        ("POST", $"{P}/delete?wait=true", """{"points": [150, 151]}"""),
        ("POST", $"{P}/delete?wait=true", """{"filter": {"must": [{"key": "color", "match": {"value": "never"}}]}}"""),
        ("POST", $"{P}/payload?wait=true", """{"payload": {"k": 1, "list": [1, 2]}, "points": [1]}"""),
        ("PUT", $"{P}/payload?wait=true", """{"payload": {"color": "green", "n": 2}, "points": [2]}"""),
        ("POST", $"{P}/payload/delete?wait=true", """{"keys": ["k"], "points": [1]}"""),
        ("POST", $"{P}/payload/clear?wait=true", """{"points": [4]}"""),
        ("POST", $"{P}/scroll", """{"limit": 5, "offset": 1, "filter": {"must": [{"key": "color", "match": {"any": ["red", "blue"]}}]}, "with_payload": true, "with_vector": false}"""),
        ("POST", $"{P}/count", """{"exact": true, "filter": {"should": [{"key": "n", "range": {"gte": 1, "lt": 10}}, {"has_id": [1, 2]}], "must_not": [{"is_empty": {"key": "color"}}]}}"""),
        ("POST", $"{P}/search", """{"vector": [1, 0, 0], "limit": 3, "offset": 0, "filter": {"must_not": [{"has_id": [1]}], "must": [{"key": "nested.x", "range": {"gt": 0}}]}, "with_payload": ["color"], "with_vector": true, "params": {"hnsw_ef": 16, "exact": false}, "score_threshold": -100}"""),
        ("POST", $"{P}/search/batch", """{"searches": [{"vector": [1, 0, 0], "limit": 2}, {"vector": [0, 1, 0], "limit": 1, "with_payload": true}]}"""),
        ("POST", $"{P}/query", """{"query": [1, 0, 0], "limit": 3, "with_payload": true, "filter": {"must": [{"key": "color", "match": {"value": "red"}}]}}"""),
        ("POST", $"{P}/query?consistency=majority", """{"query": 1, "limit": 2}"""),
        ("POST", $"{P}/query/batch", """{"searches": [{"query": [0, 1, 0], "limit": 2}]}"""),
        ("PUT", "/collections/fuzz_new", """{"vectors": {"size": 3, "distance": "Cosine", "on_disk": false}, "shard_number": 1, "replication_factor": 1, "hnsw_config": {"m": 8, "ef_construct": 50}, "optimizers_config": {"indexing_threshold": 100}, "on_disk_payload": true}"""),
        ("PATCH", C, """{"optimizers_config": {"indexing_threshold": 20000}, "params": {"write_consistency_factor": 1}}"""),
        ("PUT", $"{C}/index?wait=true", """{"field_name": "color", "field_schema": "keyword"}"""),
        ("GET", C, ""),
        ("GET", $"{C}/exists", ""),
        ("GET", $"{C}/cluster", ""),
        ("POST", "/collections/aliases", """{"actions": [{"create_alias": {"collection_name": "fuzz", "alias_name": "fuzz_alias"}}, {"rename_alias": {"old_alias_name": "fuzz_alias", "new_alias_name": "fuzz_alias2"}}, {"delete_alias": {"alias_name": "fuzz_alias2"}}]}"""),
        ("GET", $"{C}/aliases", ""),
        ("POST", $"{P}/batch?wait=true", """{"operations": [{"upsert": {"points": [{"id": 104, "vector": [1, 0, 1], "payload": {"color": "red"}}]}}, {"set_payload": {"payload": {"k": 2}, "points": [104]}}, {"delete": {"points": [104]}}]}"""),
        ("PUT", $"{P}/vectors?wait=true", """{"points": [{"id": 1, "vector": [1, 0, 0]}, {"id": 2, "vector": {"": [0, 1, 0]}}], "update_filter": {"must": [{"key": "n", "range": {"gte": 0}}]}}"""),
        ("POST", $"{P}/recommend", """{"positive": [1, [0.5, 0.5, 0]], "negative": [2], "strategy": "best_score", "limit": 3, "offset": 0, "filter": {"must_not": [{"has_id": [4]}]}, "with_payload": true, "with_vector": true, "score_threshold": -10, "params": {"exact": true}}"""),
        ("POST", $"{P}/recommend/batch", """{"searches": [{"positive": [1], "limit": 2}, {"positive": [2], "negative": [3], "strategy": "sum_scores", "limit": 1}]}"""),
        ("POST", $"{P}/query", """{"query": {"recommend": {"positive": [1], "negative": [[0, 0, 1]], "strategy": "average_vector"}}, "limit": 2}"""),
        ("POST", $"{P}/discover", """{"target": [0.5, 0.5, 0], "context": [{"positive": 1, "negative": [0, 0, 1]}], "limit": 3, "offset": 0, "filter": {"must_not": [{"has_id": [4]}]}, "with_payload": true, "with_vector": true, "params": {"exact": true}}"""),
        ("POST", $"{P}/discover/batch", """{"searches": [{"context": [{"positive": 1, "negative": 2}], "limit": 2}, {"target": 3, "limit": 1}]}"""),
        ("POST", $"{P}/query", """{"query": {"discover": {"target": 1, "context": {"positive": 2, "negative": 3}}}, "limit": 2, "score_threshold": 0.5}"""),
        ("POST", $"{P}/query", """{"query": {"context": [{"positive": 2, "negative": [1, 0, 0]}]}, "limit": 2}"""),
        ("POST", $"{P}/search/groups", """{"vector": [1, 0, 0], "group_by": "color", "group_size": 2, "limit": 2, "with_payload": true, "with_lookup": {"collection": "fuzz", "with_payload": ["n"]}}"""),
        ("POST", $"{P}/recommend/groups", """{"positive": [1], "group_by": "n", "group_size": 1, "limit": 3}"""),
        ("POST", $"{P}/query/groups", """{"query": [0, 1, 0], "group_by": "color", "group_size": 3, "limit": 2}"""),
        ("POST", $"{C}/facet", """{"key": "color", "limit": 5, "exact": true, "filter": {"must": [{"key": "n", "range": {"gte": 0}}]}}"""),
        ("GET", $"{C}/optimizations?with=queued,idle_segments&completed_limit=3", ""),
    ];

    private static readonly string[] QueryNames = ["wait", "ordering", "consistency", "timeout", "exact", "force", "shard_key", ""];
    private static readonly string[] QueryValues =
    [
        "true", "false", "maybe", "", "-1", "0", "1e400", "18446744073709551616", "strong", "medium", "weak", "all", "majority", "quorum",
        "%ZZ", "%", "%00", "%FF%FE", "a=b=c", "&&&", "🙂", new string('9', 400), "null", "[1]", "1.5",
    ];

    private readonly RestNode _node;

    public RestFuzzTests(SmallBodyRestNode node) => _node = node;

    [Fact]
    public async Task Mutated_requests_never_answer_5xx_leak_internals_or_change_data_when_rejected()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("AV_FUZZ_SEED"), out var s) ? s : 20_261_202;
        var random = new Random(seed);
        var mutator = new JsonMutator(random);
        await SeedAsync();
        foreach (var (method, path, body) in Templates)
        {
            var answer = await SendAsync(method, path, body.Length == 0 ? null : Encoding.UTF8.GetBytes(body), "application/json");
            Assert.True(answer.Status == HttpStatusCode.OK, $"template {method} {path} is not valid: {(int)answer.Status} {answer.Raw}");
            await CleanUpAsync();
        }

        var fingerprint = await FingerprintAsync();
        var failures = new List<string>();
        int cases = 0;
        for (; cases < Cases && failures.Count < 20; cases++)
        {
            var (method, path, body) = Templates[random.Next(Templates.Length)];
            byte[]? bytes = body.Length == 0 ? null : Encoding.UTF8.GetBytes(body);
            string what = "as is";
            string contentType = "application/json";
            switch (random.Next(8))
            {
                case 0:
                    (path, what) = MutateQuery(random, path);
                    break;
                case 1:
                    (path, what) = MutatePath(random, path);
                    break;
                case 2:
                    contentType = random.Next(2) == 0 ? "text/plain" : "application/json; charset=latin1";
                    what = "content-type " + contentType;
                    if (bytes is null) (bytes, what) = (Encoding.UTF8.GetBytes(Templates[0].Body), what + " +body");
                    break;
                default:
                    if (bytes is null)
                    {
                        (path, what) = MutatePath(random, path);
                        break;
                    }

                    (bytes, what) = mutator.Mutate(body);
                    break;
            }

            string label = $"case {cases} (seed {seed}): {method} {path} [{what}]";
            (HttpStatusCode Status, string Raw) answer;
            try
            {
                answer = await SendAsync(method, path, bytes, contentType);
            }
            catch (OperationCanceledException)
            {
                failures.Add($"{label}: no answer within 10 s");
                continue;
            }

            int status = (int)answer.Status;
            if (status >= 500) failures.Add($"{label}: {status} {Shorten(answer.Raw)}");
            if (Leak().Match(answer.Raw) is { Success: true } leak) failures.Add($"{label}: leaks `{leak.Value}` in {Shorten(answer.Raw)}");

            await CleanUpAsync();
            var after = await FingerprintAsync();
            if (status >= 400 && after != fingerprint) failures.Add($"{label}: rejected with {status} but the data changed: {Shorten(answer.Raw)}");
            fingerprint = after;
            if (cases % 100 == 0 && await _node.CountAsync("fuzz") < 3)
            {
                await SeedAsync();
                fingerprint = await FingerprintAsync();
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures in {cases} cases:\n" + string.Join("\n", failures));
        Assert.Equal(HttpStatusCode.OK, (await _node.GetAsync("/healthz")).Status);
    }

    private async Task<(HttpStatusCode Status, string Raw)> SendAsync(string method, string path, byte[]? body, string contentType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var response = await _node.Client.SendAsync(request, timeout.Token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(timeout.Token));
    }

    private static (string, string) MutateQuery(Random random, string path)
    {
        int q = path.IndexOf('?', StringComparison.Ordinal);
        string bare = q < 0 ? path : path[..q];
        var parts = q < 0 ? new List<string>() : [.. path[(q + 1)..].Split('&')];
        string name = QueryNames[random.Next(QueryNames.Length)];
        string value = QueryValues[random.Next(QueryValues.Length)];
        if (parts.Count > 0 && random.Next(2) == 0) parts[random.Next(parts.Count)] = parts[0].Split('=')[0] + "=" + value;
        else parts.Add(name + "=" + value);
        if (random.Next(5) == 0) parts.Add(name + "=" + QueryValues[random.Next(QueryValues.Length)]);
        string query = string.Join('&', parts);
        return (bare + "?" + query, "query " + query);
    }

    private static (string, string) MutatePath(Random random, string path)
    {
        // No %00: the test server's client refuses a decoded NUL in the path before sending (Kestrel answers 400 itself).
        string[] segments = ["-1", "18446744073709551616", "0", "%2e%2e", "a%2Fb", "🙂", new string('n', 300), "5c56c793-69f3-4fbf-87e6", "", "%ZZ"];
        int q = path.IndexOf('?', StringComparison.Ordinal);
        string bare = q < 0 ? path : path[..q];
        var parts = bare.Split('/');
        int at = 2 + random.Next(parts.Length - 2);
        parts[at] = segments[random.Next(segments.Length)];
        string mutated = string.Join('/', parts) + (q < 0 ? "" : path[q..]);
        return (mutated, "path segment " + at);
    }

    /// <summary>The points, config and names that a rejected request must leave alone.</summary>
    private async Task<string> FingerprintAsync()
    {
        var names = (await _node.GetAsync("/collections")).Result.GetProperty("collections").EnumerateArray()
            .Select(c => c.GetProperty("name").GetString()).Order(StringComparer.Ordinal);
        var config = (await _node.GetAsync(C)).Result.GetProperty("config");
        var points = await _node.ScrollAllAsync("fuzz");
        return string.Join(',', names) + "|" + JsonText.Canonical(config) + "|" + string.Join(',', points.Select(JsonText.Canonical));
    }

    private async Task SeedAsync()
    {
        if (!(await _node.GetAsync($"{C}/exists")).Result.GetProperty("exists").GetBoolean())
            await _node.CreateCollectionAsync("fuzz", size: 3, distance: "Dot", extra: """, "shard_number": 2""");
        await _node.UpsertAsync("fuzz", """
            [{"id": 1, "vector": [1, 0, 0], "payload": {"color": "red", "n": 1}}, {"id": 2, "vector": [0, 1, 0], "payload": {"color": "blue", "n": 3}},
             {"id": 3, "vector": [0, 0, 1], "payload": {"tags": ["a"], "nested": {"x": 2}}}, {"id": 4, "vector": [1, 1, 1]}]
            """);
    }

    /// <summary>Accepted requests may create the template's extra collection; drop it so the next case starts alike.</summary>
    private async Task CleanUpAsync()
    {
        foreach (var name in (await _node.GetAsync("/collections")).Result.GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("name").GetString()))
        {
            if (name != "fuzz") Assert.Equal(HttpStatusCode.OK, (await _node.DeleteAsync($"/collections/{Uri.EscapeDataString(name!)}")).Status);
        }
    }

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "…";

    /// <summary>A .NET exception type name or a stack trace frame.</summary>
    [GeneratedRegex(@"\w*Exception\b|\bat \w+(\.\w+)+\(|\.cs:line \d+|System\.\w+\.\w+")]
    private static partial Regex Leak();
}
