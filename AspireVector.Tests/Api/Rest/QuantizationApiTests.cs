using System.Globalization;
using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// <c>quantization_config</c> reaches the vector indexes: searches without rescoring return the codes' approximate
/// scores, rescored searches exact ones; PATCH switches or disables the codes; bad configs are refused unchanged.
/// </summary>
public sealed class QuantizationApiTests(RestNode node) : IClassFixture<RestNode>
{
    private const int Dimension = 16;
    private const int Points = 300;

    // Product centroids are learned from 4096 vectors (16 per centroid).
    private const int ProductPoints = 4200;

    // A full_scan_threshold of 1 KB makes every search above 16 vectors traverse the graph, where codes are used.
    private const string GraphSearches = """, "hnsw_config": {"full_scan_threshold": 1}""";

    private static readonly float[][] Vectors = MakeVectors(ProductPoints + 1, seed: 7);

    [Theory]
    [InlineData("scalar", """{"scalar": {"type": "int8", "quantile": 0.99, "always_ram": true}}""")]
    [InlineData("binary", """{"binary": {"always_ram": true, "encoding": "one_bit", "query_encoding": "default"}}""")]
    [InlineData("product", """{"product": {"compression": "x8", "always_ram": false}}""")]
    public async Task Quantized_searches_approximate_without_rescoring_and_are_exact_with_it(string kind, string quantization)
    {
        string name = "quantized_" + kind;
        await node.CreateCollectionAsync(name, Dimension, "Dot", GraphSearches + $$""", "quantization_config": {{quantization}}""");
        await LoadAsync(name, kind == "product" ? ProductPoints : Points);
        // Product centroids are learned in the background once enough vectors are stored.
        await WaitUntilAsync(() => ApproximateAsync(name), "without rescoring, the codes' scores are returned");

        Assert.False(await ApproximateAsync(name, """{"quantization": {"rescore": true}}"""), "rescored hits carry exact scores");
        Assert.False(await ApproximateAsync(name, """{"quantization": {"ignore": true, "rescore": false}}"""), "ignored codes give exact scores");
        var info = (await node.GetAsync($"/collections/{name}")).Result.GetProperty("config").GetProperty("quantization_config");
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(quantization).RootElement), JsonSerializer.Serialize(info));
    }

    [Fact]
    public async Task Patch_enables_switches_and_disables_quantization()
    {
        await node.CreateCollectionAsync("quantized_patch", Dimension, "Dot", GraphSearches);
        await LoadAsync("quantized_patch");
        Assert.False(await ApproximateAsync("quantized_patch"));

        Assert.True((await node.PatchAsync("/collections/quantized_patch", """{"quantization_config": {"scalar": {"type": "int8"}}}""")).Result.GetBoolean());
        await WaitUntilAsync(() => ApproximateAsync("quantized_patch"), "int8 codes learned after PATCH");

        Assert.True((await node.PatchAsync("/collections/quantized_patch", """{"quantization_config": {"binary": {}}}""")).Result.GetBoolean());
        Assert.Equal(["binary"], (await node.GetAsync("/collections/quantized_patch")).Result.GetProperty("config").GetProperty("quantization_config").EnumerateObject().Select(p => p.Name));
        await WaitUntilAsync(() => ApproximateAsync("quantized_patch"), "binary codes written after PATCH");

        Assert.True((await node.PatchAsync("/collections/quantized_patch", "{\"quantization_config\": \"Disabled\"}")).Result.GetBoolean());
        Assert.Equal(JsonValueKind.Null, (await node.GetAsync("/collections/quantized_patch")).Result.GetProperty("config").GetProperty("quantization_config").ValueKind);
        Assert.False(await ApproximateAsync("quantized_patch"), "codes are dropped at once");
    }

    [Fact]
    public async Task Named_vectors_take_their_own_quantization_over_the_collections()
    {
        var create = await node.PutAsync("/collections/quantized_named", """
            {"vectors": {"plain": {"size": DIM, "distance": "Dot", "quantization_config": null},
                         "coded": {"size": DIM, "distance": "Dot", "quantization_config": {"binary": {}}}},
             "hnsw_config": {"full_scan_threshold": 1}, "quantization_config": {"scalar": {"type": "int8"}}}
            """.Replace("DIM", Dimension.ToString(CultureInfo.InvariantCulture)));
        Assert.True(create.Result.GetBoolean(), create.Raw);
        var points = Enumerable.Range(0, Points).Select(i => $$"""{"id": {{i}}, "vector": {"plain": {{Json(Vectors[i])}}, "coded": {{Json(Vectors[i])}} """ + "}}");
        await node.UpsertAsync("quantized_named", "[" + string.Join(",", points) + "]");
        await WaitUntilIndexedAsync("quantized_named", 2 * Points);

        // "plain" falls back to the collection's int8, "coded" uses its own binary codes: both approximate.
        Assert.True(await ApproximateAsync("quantized_named", vectorName: "plain"));
        Assert.True(await ApproximateAsync("quantized_named", vectorName: "coded"));
    }

    [Theory]
    [InlineData("""{"product": {"compression": "x3"}}""", "unknown variant `x3`")]
    [InlineData("""{"product": {"always_ram": true}}""", "missing field `compression`")]
    [InlineData("""{"turbo": {}}""", "turbo quantization")]
    [InlineData("""{"binary": {"encoding": "two_bits"}}""", "two_bits")]
    [InlineData("""{"binary": {"query_encoding": "scalar8bits"}}""", "scalar8bits")]
    [InlineData("""{"scalar": {"type": "int4"}}""", "unknown variant `int4`")]
    [InlineData("""{"scalar": {"type": "int8", "quantile": 0.2}}""", "quantile")]
    [InlineData("""{"scalar": {"quantile": 0.9}}""", "missing field `type`")]
    [InlineData("""{"scalar": {"type": "int8"}, "binary": {}}""", "QuantizationConfig")]
    [InlineData("""{"int8": {}}""", "QuantizationConfig")]
    public async Task Bad_quantization_configs_are_refused_and_change_nothing(string quantization, string message)
    {
        var create = await node.PutAsync("/collections/quantized_bad", $$"""{"vectors": {"size": 4, "distance": "Dot"}, "quantization_config": {{quantization}}}""");
        Assert.Contains(message, create.Error(HttpStatusCode.BadRequest));
        Assert.NotEmpty((await node.GetAsync("/collections/quantized_bad")).Error(HttpStatusCode.NotFound));

        await node.CreateCollectionAsync("quantized_kept", 4, "Dot", """, "quantization_config": {"scalar": {"type": "int8"}}""");
        Assert.Contains(message, (await node.PatchAsync("/collections/quantized_kept", $$"""{"quantization_config": {{quantization}}}""")).Error(HttpStatusCode.BadRequest));
        var kept = (await node.GetAsync("/collections/quantized_kept")).Result.GetProperty("config").GetProperty("quantization_config");
        Assert.Equal("int8", kept.GetProperty("scalar").GetProperty("type").GetString());
        Assert.True((await node.DeleteAsync("/collections/quantized_kept")).Result.GetBoolean());
    }

    private async Task LoadAsync(string name, int count = Points)
    {
        var points = Enumerable.Range(0, count).Select(i => $$"""{"id": {{i}}, "vector": {{Json(Vectors[i])}}}""");
        await node.UpsertAsync(name, "[" + string.Join(",", points) + "]");
        await WaitUntilIndexedAsync(name, count);
    }

    /// <summary>True when some hit of a 10-nearest search carries a score other than the exact dot product.</summary>
    private async Task<bool> ApproximateAsync(string name, string parameters = """{"quantization": {"rescore": false}}""", string? vectorName = null)
    {
        float[] query = Vectors[ProductPoints];
        string vector = vectorName is null ? Json(query) : $$"""{"name": "{{vectorName}}", "vector": {{Json(query)}}}""";
        var hits = (await node.PostAsync($"/collections/{name}/points/search", $$"""{"vector": {{vector}}, "limit": 10, "params": {{parameters}}}""")).Result;
        Assert.Equal(10, hits.GetArrayLength());
        return hits.EnumerateArray().Any(hit =>
        {
            float[] v = Vectors[hit.GetProperty("id").GetInt32()];
            double exact = 0;
            for (int i = 0; i < Dimension; i++) exact += query[i] * v[i];
            return Math.Abs(exact - hit.GetProperty("score").GetDouble()) > 1e-3;
        });
    }

    private async Task WaitUntilIndexedAsync(string collection, long expected) =>
        await WaitUntilAsync(async () => (await node.GetAsync($"/collections/{collection}")).Result.GetProperty("indexed_vectors_count").GetInt64() == expected,
            $"{collection}: {expected} vectors indexed");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for: {what}");
            await Task.Delay(20);
        }
    }

    private static string Json(float[] v) => "[" + string.Join(",", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]";

    private static float[][] MakeVectors(int count, int seed)
    {
        var random = new Random(seed);
        var vectors = new float[count][];
        for (int i = 0; i < count; i++)
        {
            vectors[i] = new float[Dimension];
            for (int d = 0; d < Dimension; d++) vectors[i][d] = (float)(random.NextDouble() * 2 - 1);
        }
        return vectors;
    }
}
