using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary><c>search/matrix/pairs</c> and <c>search/matrix/offsets</c> against brute force over the whole sample.</summary>
public sealed class MatrixApiTests(RestNode node) : IClassFixture<RestNode>
{
    private static readonly Dictionary<int, float[]> Vectors = new()
    {
        [1] = [1, 0], [2] = [0.9f, 0.2f], [3] = [0, 1], [4] = [-1, 0.5f], [5] = [0.5f, 0.5f], [6] = [0.2f, -1],
    };

    private async Task SeedAsync()
    {
        if ((await node.GetAsync("/collections/matrix/exists")).Result.GetProperty("exists").GetBoolean()) return;
        await node.CreateCollectionAsync("matrix", 2, "Euclid", """, "shard_number": 2""");
        await node.UpsertAsync("matrix", JsonSerializer.Serialize(Vectors.Select(v => new { id = v.Key, vector = v.Value, payload = new { even = v.Key % 2 == 0 } })));
    }

    /// <summary>Each sampled id's nearest other sampled ids (Euclid: smallest distance first).</summary>
    private static List<(int A, int B, float Score)> Expected(int[] sample, int limit) =>
        [.. sample.Order().SelectMany(a => sample.Where(b => b != a)
            .Select(b => (A: a, B: b, Score: MathF.Sqrt(Vectors[a].Zip(Vectors[b], (x, y) => (x - y) * (x - y)).Sum())))
            .OrderBy(p => p.Score).ThenBy(p => p.B).Take(limit))];

    [Fact]
    public async Task Pairs_and_offsets_list_each_sampled_points_nearest_neighbours()
    {
        await SeedAsync();
        var pairs = (await node.PostAsync("/collections/matrix/points/search/matrix/pairs", """{"sample": 10, "limit": 2}""")).Result
            .GetProperty("pairs").EnumerateArray().Select(p => (A: p.GetProperty("a").GetInt32(), B: p.GetProperty("b").GetInt32(), Score: p.GetProperty("score").GetSingle())).ToList();
        var expected = Expected([1, 2, 3, 4, 5, 6], 2);
        Assert.Equal(expected.Select(e => (e.A, e.B)), pairs.Select(p => (p.A, p.B)));
        foreach (var (e, p) in expected.Zip(pairs)) Assert.Equal(e.Score, p.Score, 4);

        var offsets = (await node.PostAsync("/collections/matrix/points/search/matrix/offsets", """{"sample": 3, "limit": 5, "filter": {"must": [{"key": "even", "match": {"value": true}}]}}""")).Result;
        var ids = offsets.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray();
        Assert.Equal([2, 4, 6], ids);
        var rows = offsets.GetProperty("offsets_row").EnumerateArray().Select(x => ids[x.GetInt32()]);
        var cols = offsets.GetProperty("offsets_col").EnumerateArray().Select(x => ids[x.GetInt32()]);
        var evenExpected = Expected([2, 4, 6], 5);
        Assert.Equal(evenExpected.Select(e => (e.A, e.B)), rows.Zip(cols));
        Assert.Equal(evenExpected.Count, offsets.GetProperty("scores").GetArrayLength());

        // A random sample smaller than the collection: distinct ids, each row its nearest within the sample.
        var small = (await node.PostAsync("/collections/matrix/points/search/matrix/offsets", """{"sample": 4, "limit": 1}""")).Result;
        var drawn = small.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray();
        Assert.Equal(4, drawn.Distinct().Count());
        Assert.Equal(Expected(drawn, 1).Select(e => Array.IndexOf(drawn, e.B)), small.GetProperty("offsets_col").EnumerateArray().Select(x => x.GetInt32()));
    }

    [Theory]
    [InlineData("""{"sample": 1}""", "sample")]
    [InlineData("""{"limit": 0}""", "limit")]
    [InlineData("""{"using": "image"}""", "image")]
    [InlineData("""{"filter": []}""", "filter")]
    public async Task Bad_matrix_requests_are_refused(string body, string mentions)
    {
        await SeedAsync();
        Assert.Contains(mentions, (await node.PostAsync("/collections/matrix/points/search/matrix/pairs", body)).Error(HttpStatusCode.BadRequest));
    }
}
