using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// Every JSON endpoint's answer, on a node holding realistic data (named, sparse and quantized vectors, payload
/// indexes, aliases, snapshots), checked against the 200 response schema of Qdrant's OpenAPI document: the same
/// fields, types and required members, and no field Qdrant does not send (see <see cref="OpenApiSchema"/>).
/// </summary>
public sealed class OpenApiShapeTests : IDisposable
{
    private const string S = "/collections/shapes";
    private const string N = "/collections/named";
    private readonly RestNode _node = new();
    private readonly List<string> _failures = [];

    [Fact]
    public async Task Every_json_answer_has_the_shape_qdrants_openapi_document_gives()
    {
        await Call("PUT", "/collections/{collection_name}", S, """
            {"vectors": {"size": 4, "distance": "Cosine"}, "shard_number": 2, "quantization_config": {"scalar": {"type": "int8", "always_ram": true}},
             "hnsw_config": {"m": 8}, "optimizers_config": {"indexing_threshold": 1000}}
            """);
        await Call("PUT", "/collections/{collection_name}", N, """
            {"vectors": {"image": {"size": 4, "distance": "Dot"}, "text": {"size": 3, "distance": "Euclid", "on_disk": true}},
             "sparse_vectors": {"words": {"modifier": "idf"}}}
            """);
        await Call("PUT", "/collections/{collection_name}/index", S + "/index?wait=true", """{"field_name": "city", "field_schema": "keyword"}""");
        await Call("PUT", "/collections/{collection_name}/index", S + "/index?wait=true", """{"field_name": "n", "field_schema": {"type": "integer", "range": true, "lookup": true}}""");
        await Call("PUT", "/collections/{collection_name}/index", S + "/index?wait=true", """{"field_name": "text", "field_schema": {"type": "text", "tokenizer": "word", "lowercase": true}}""");
        string[] cities = ["Berlin", "London", "Paris", "Rome"];
        var points = string.Join(", ", Enumerable.Range(1, 40).Select(i =>
            $$$"""{"id": {{{i}}}, "vector": [{{{i % 5 + 1}}}, {{{i % 3}}}, {{{i % 7}}}, 1], "payload": {"city": "{{{cities[i % 4]}}}", "n": {{{i}}}, "text": "word{{{i % 6}}} common", "tags": ["a", "b"]}}"""));
        await Call("PUT", "/collections/{collection_name}/points", S + "/points?wait=true", $$"""{"points": [{{points}}]}""");
        await Call("PUT", "/collections/{collection_name}/points", S + "/points", """{"batch": {"ids": [41, "9d8f2c6e-7c1a-4f1e-9a55-0b5b1f6f2a11"], "vectors": [[1, 1, 1, 1], [2, 1, 0, 1]]}}""");
        await Call("PUT", "/collections/{collection_name}/points", N + "/points?wait=true", """
            {"points": [
              {"id": 1, "vector": {"image": [1, 0, 0, 1], "text": [1, 2, 3], "words": {"indices": [1, 5], "values": [0.5, 1]}}, "payload": {"k": 1}},
              {"id": 2, "vector": {"image": [0, 1, 0, 1], "words": {"indices": [5, 9], "values": [1, 2]}}, "payload": {"k": 2}},
              {"id": 3, "vector": {"text": [3, 2, 1]}, "payload": {"k": 3}}]}
            """);

        // Service and cluster.
        await Call("GET", "/", "/");
        await Call("GET", "/telemetry", "/telemetry");
        await Call("GET", "/telemetry", "/telemetry?details_level=1");
        await Call("GET", "/telemetry", "/telemetry?details_level=3");
        await Call("GET", "/issues", "/issues");
        await Call("DELETE", "/issues", "/issues");
        await Call("GET", "/cluster", "/cluster");

        // Collections.
        await Call("GET", "/collections", "/collections");
        await Call("GET", "/collections/{collection_name}", S);
        await Call("GET", "/collections/{collection_name}", N);
        await Call("GET", "/collections/{collection_name}/exists", S + "/exists");
        await Call("PATCH", "/collections/{collection_name}", S, """{"optimizers_config": {"indexing_threshold": 2000}, "params": {"on_disk_payload": true}}""");
        await Call("GET", "/collections/{collection_name}/cluster", S + "/cluster");
        await Call("GET", "/collections/{collection_name}/optimizations", S + "/optimizations");
        await Call("GET", "/collections/{collection_name}/optimizations", S + "/optimizations?with=queued,completed,idle_segments");
        await Call("POST", "/collections/aliases", "/collections/aliases", """{"actions": [{"create_alias": {"collection_name": "shapes", "alias_name": "forms"}}]}""");
        await Call("GET", "/aliases", "/aliases");
        await Call("GET", "/collections/{collection_name}/aliases", S + "/aliases");

        // Points.
        await Call("GET", "/collections/{collection_name}/points/{id}", S + "/points/7");
        await Call("POST", "/collections/{collection_name}/points", S + "/points", """{"ids": [1, 2, "9d8f2c6e-7c1a-4f1e-9a55-0b5b1f6f2a11"], "with_payload": true, "with_vector": true}""");
        await Call("POST", "/collections/{collection_name}/points", N + "/points", """{"ids": [1, 2, 3], "with_vector": true}""");
        await Call("POST", "/collections/{collection_name}/points/scroll", S + "/points/scroll", """{"limit": 5, "filter": {"must": [{"key": "city", "match": {"value": "Paris"}}]}, "with_payload": ["city"]}""");
        await Call("POST", "/collections/{collection_name}/points/scroll", S + "/points/scroll", """{"limit": 5, "order_by": {"key": "n", "direction": "desc"}}""");
        await Call("POST", "/collections/{collection_name}/points/count", S + "/points/count", """{"exact": true, "filter": {"must": [{"key": "n", "range": {"gte": 10}}]}}""");
        await Call("POST", "/collections/{collection_name}/facet", S + "/facet", """{"key": "city", "exact": true}""");
        await Call("POST", "/collections/{collection_name}/points/payload", S + "/points/payload?wait=true", """{"payload": {"flag": true}, "points": [1, 2]}""");
        await Call("PUT", "/collections/{collection_name}/points/payload", S + "/points/payload?wait=true", """{"payload": {"city": "Oslo", "n": 3}, "points": [3]}""");
        await Call("POST", "/collections/{collection_name}/points/payload/delete", S + "/points/payload/delete?wait=true", """{"keys": ["flag"], "points": [1]}""");
        await Call("POST", "/collections/{collection_name}/points/payload/clear", S + "/points/payload/clear?wait=true", """{"points": [41]}""");
        await Call("PUT", "/collections/{collection_name}/points/vectors", N + "/points/vectors?wait=true", """{"points": [{"id": 3, "vector": {"image": [1, 1, 1, 1]}}]}""");
        await Call("POST", "/collections/{collection_name}/points/vectors/delete", N + "/points/vectors/delete?wait=true", """{"points": [3], "vector": ["text"]}""");
        await Call("POST", "/collections/{collection_name}/points/batch", S + "/points/batch?wait=true", """
            {"operations": [{"upsert": {"points": [{"id": 50, "vector": [1, 2, 3, 4], "payload": {"city": "Rome", "n": 50}}]}},
                            {"set_payload": {"payload": {"seen": 1}, "points": [50]}}, {"delete": {"points": [41]}}]}
            """);

        // Search, query and friends.
        await Call("POST", "/collections/{collection_name}/points/search", S + "/points/search", """{"vector": [1, 0, 0, 1], "limit": 3, "with_payload": true, "with_vector": true}""");
        await Call("POST", "/collections/{collection_name}/points/search", N + "/points/search", """{"vector": {"name": "words", "vector": {"indices": [5], "values": [1]}}, "limit": 3}""");
        await Call("POST", "/collections/{collection_name}/points/search/batch", S + "/points/search/batch", """{"searches": [{"vector": [1, 0, 0, 1], "limit": 2}, {"vector": [0, 1, 0, 1], "limit": 1, "offset": 1}]}""");
        await Call("POST", "/collections/{collection_name}/points/search/groups", S + "/points/search/groups", """{"vector": [1, 0, 0, 1], "group_by": "city", "limit": 2, "group_size": 2}""");
        await Call("POST", "/collections/{collection_name}/points/query", S + "/points/query", """{"query": [1, 0, 0, 1], "limit": 3, "with_payload": true}""");
        await Call("POST", "/collections/{collection_name}/points/query", S + "/points/query", """{"prefetch": [{"query": [1, 0, 0, 1], "limit": 10}, {"query": [0, 1, 0, 1], "limit": 10}], "query": {"fusion": "rrf"}, "limit": 4}""");
        await Call("POST", "/collections/{collection_name}/points/query", S + "/points/query", """{"query": {"order_by": "n"}, "limit": 2}""");
        await Call("POST", "/collections/{collection_name}/points/query", N + "/points/query", """
            {"prefetch": [{"query": [1, 0, 0, 1], "using": "image", "limit": 5}, {"query": {"indices": [5], "values": [1]}, "using": "words", "limit": 5}],
             "query": {"fusion": "dbsf"}, "with_vector": ["image"]}
            """);
        await Call("POST", "/collections/{collection_name}/points/query/batch", S + "/points/query/batch", """{"searches": [{"query": 1, "limit": 2}, {"query": {"recommend": {"positive": [1], "negative": [2]}}, "limit": 2}]}""");
        await Call("POST", "/collections/{collection_name}/points/query/groups", S + "/points/query/groups", """
            {"query": [1, 0, 0, 1], "group_by": "city", "limit": 2, "group_size": 1, "with_lookup": {"collection": "shapes", "with_payload": true}}
            """);
        await Call("POST", "/collections/{collection_name}/points/recommend", S + "/points/recommend", """{"positive": [1, 2], "negative": [3], "limit": 3}""");
        await Call("POST", "/collections/{collection_name}/points/recommend/batch", S + "/points/recommend/batch", """{"searches": [{"positive": [1], "limit": 2}]}""");
        await Call("POST", "/collections/{collection_name}/points/recommend/groups", S + "/points/recommend/groups", """{"positive": [1], "group_by": "city", "limit": 2, "group_size": 1}""");
        await Call("POST", "/collections/{collection_name}/points/discover", S + "/points/discover", """{"target": 1, "context": [{"positive": 2, "negative": 3}], "limit": 3}""");
        await Call("POST", "/collections/{collection_name}/points/discover/batch", S + "/points/discover/batch", """{"searches": [{"context": [{"positive": 2, "negative": 3}], "limit": 2}]}""");
        await Call("POST", "/collections/{collection_name}/points/search/matrix/pairs", S + "/points/search/matrix/pairs", """{"sample": 5, "limit": 2}""");
        await Call("POST", "/collections/{collection_name}/points/search/matrix/offsets", S + "/points/search/matrix/offsets", """{"sample": 5, "limit": 2}""");

        // Strict mode and metadata, named vectors added and removed, shard keys, multivectors.
        await Call("PATCH", "/collections/{collection_name}", S, """{"strict_mode_config": {"enabled": true, "max_query_limit": 1000}, "metadata": {"team": "search"}}""");
        await Call("GET", "/collections/{collection_name}", S);
        await Call("PUT", "/collections/{collection_name}/vectors/{vector_name}", N + "/vectors/extra", """{"dense": {"size": 2, "distance": "Cosine"}}""");
        await Call("GET", "/collections/{collection_name}", N);
        await Call("DELETE", "/collections/{collection_name}/vectors/{vector_name}", N + "/vectors/extra");
        await Call("PUT", "/collections/{collection_name}", "/collections/keyed", """{"vectors": {"size": 2, "distance": "Dot"}, "sharding_method": "custom"}""");
        await Call("PUT", "/collections/{collection_name}/shards", "/collections/keyed/shards", """{"shard_key": "eu", "shards_number": 2}""");
        await Call("PUT", "/collections/{collection_name}/shards", "/collections/keyed/shards", """{"shard_key": 7}""");
        await Call("GET", "/collections/{collection_name}/shards", "/collections/keyed/shards");
        await Call("PUT", "/collections/{collection_name}/points", "/collections/keyed/points?wait=true", """{"points": [{"id": 1, "vector": [1, 2]}], "shard_key": "eu"}""");
        await Call("POST", "/collections/{collection_name}/points/query", "/collections/keyed/points/query", """{"query": [1, 0], "shard_key": ["eu", 7]}""");
        await Call("GET", "/collections/{collection_name}/cluster", "/collections/keyed/cluster");
        await Call("GET", "/collections/{collection_name}", "/collections/keyed");
        await Call("GET", "/telemetry", "/telemetry?details_level=2");
        await Call("POST", "/collections/{collection_name}/shards/delete", "/collections/keyed/shards/delete", """{"shard_key": 7}""");
        await Call("PUT", "/collections/{collection_name}", "/collections/multi", """{"vectors": {"size": 2, "distance": "Cosine", "multivector_config": {"comparator": "max_sim"}}}""");
        await Call("PUT", "/collections/{collection_name}/points", "/collections/multi/points?wait=true", """{"points": [{"id": 1, "vector": [[1, 0], [0, 1]]}, {"id": 2, "vector": [[1, 1]]}]}""");
        await Call("GET", "/collections/{collection_name}", "/collections/multi");
        await Call("POST", "/collections/{collection_name}/points/query", "/collections/multi/points/query", """{"query": [[1, 0], [1, 1]], "with_vector": true}""");
        await Call("POST", "/collections/{collection_name}/points", "/collections/multi/points", """{"ids": [1, 2], "with_vector": true}""");

        // Snapshots.
        var created = await Call("POST", "/collections/{collection_name}/snapshots", S + "/snapshots");
        await Call("GET", "/collections/{collection_name}/snapshots", S + "/snapshots");
        await Call("POST", "/collections/{collection_name}/shards/{shard_id}/snapshots", S + "/shards/0/snapshots");
        await Call("GET", "/collections/{collection_name}/shards/{shard_id}/snapshots", S + "/shards/0/snapshots");
        var full = await Call("POST", "/snapshots", "/snapshots");
        await Call("GET", "/snapshots", "/snapshots");
        if (created is { } c) await Call("DELETE", "/collections/{collection_name}/snapshots/{snapshot_name}", $"{S}/snapshots/{c.GetProperty("result").GetProperty("name").GetString()}");
        if (full is { } f) await Call("DELETE", "/snapshots/{snapshot_name}", $"/snapshots/{f.GetProperty("result").GetProperty("name").GetString()}");

        // Removals.
        await Call("POST", "/collections/{collection_name}/points/delete", S + "/points/delete?wait=true", """{"filter": {"must": [{"key": "city", "match": {"value": "Oslo"}}]}}""");
        await Call("DELETE", "/collections/{collection_name}/index/{field_name}", S + "/index/text?wait=true");
        await Call("DELETE", "/collections/{collection_name}", N);

        Assert.True(_failures.Count == 0, $"{_failures.Count} answers differ from Qdrant's OpenAPI shapes:\n" + string.Join("\n", _failures));
    }

    [Fact]
    public void The_checker_finds_missing_extra_and_mistyped_fields()
    {
        static List<string> Check(string json)
        {
            using var doc = JsonDocument.Parse(json);
            return OpenApiSchema.Qdrant.CheckResponse("GET", "/collections/{collection_name}/exists", doc.RootElement);
        }

        Assert.Empty(Check("""{"result": {"exists": true}, "status": "ok", "time": 0.1}"""));
        Assert.Contains("$.result: missing required `exists`", Check("""{"result": {}, "status": "ok", "time": 0.1}"""));
        Assert.Contains("$.result.found: not in the schema", Check("""{"result": {"exists": true, "found": 1}, "status": "ok", "time": 0.1}"""));
        Assert.Contains("$.result.exists: expected a boolean, got \"yes\"", Check("""{"result": {"exists": "yes"}, "status": "ok", "time": 0.1}"""));
        Assert.Contains("$.time: null where number is required", Check("""{"result": {"exists": true}, "status": "ok", "time": null}"""));
    }

    public void Dispose() => _node.Dispose();

    /// <summary>Sends the call, expects 200 and checks the answer's shape; returns the answer's JSON, or null when it failed.</summary>
    private async Task<JsonElement?> Call(string method, string template, string path, string? body = null)
    {
        var answer = await _node.SendAsync(new HttpMethod(method), path, body);
        if ((int)answer.Status != 200)
        {
            _failures.Add($"{method} {path}: HTTP {(int)answer.Status} {answer.Raw}");
            return null;
        }

        using var document = JsonDocument.Parse(answer.Raw);
        foreach (var error in OpenApiSchema.Qdrant.CheckResponse(method, template, document.RootElement))
            _failures.Add($"{method} {path}: {error}");
        return document.RootElement.Clone();
    }
}
