using System.Globalization;
using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// The query API's score-boosting <c>formula</c> over prefetched candidates, checked against the same formula computed
/// here: scores of each prefetch, payload values and their defaults, conditions, arithmetic, geo distance, datetimes
/// and the three decays; and Qdrant's errors.
/// </summary>
public sealed class FormulaQueryApiTests(RestNode node) : IClassFixture<RestNode>
{
    private const string Name = "formula_query";
    private static readonly DateTime Origin = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static float[] VectorOf(int id) => [MathF.Cos(id * 0.6f), MathF.Sin(id * 0.35f), (id % 5) * 0.2f, 0.4f];

    private static string Tag(int id) => id % 3 == 0 ? "a" : "b";

    private static (double Lon, double Lat) GeoOf(int id) => (13.4 + id * 0.01, 52.5 - id * 0.005);

    private static DateTime TimeOf(int id) => Origin.AddHours(id * 7);

    private static string Json(float[] v) => "[" + string.Join(",", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]";

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)(x * y)).Sum();

    private async Task SeedAsync()
    {
        if ((await node.GetAsync($"/collections/{Name}/exists")).Result.GetProperty("exists").GetBoolean()) return;
        await node.CreateCollectionAsync(Name, 4, "Dot", """, "shard_number": 2""");
        await node.UpsertAsync(Name, "[" + string.Join(",", Enumerable.Range(1, 30).Select(id =>
        {
            var (lon, lat) = GeoOf(id);
            // Every fifth point has no price.
            string price = id % 5 == 0 ? "" : $$$""", "price": {{{(id * 1.5).ToString(CultureInfo.InvariantCulture)}}}""";
            return $$$"""
                {"id": {{{id}}}, "vector": {{{Json(VectorOf(id))}}}, "payload": {"n": {{{id}}}, "tag": "{{{Tag(id)}}}"{{{price}}},
                 "geo": {"lon": {{{lon.ToString("R", CultureInfo.InvariantCulture)}}}, "lat": {{{lat.ToString("R", CultureInfo.InvariantCulture)}}}}, "time": "{{{TimeOf(id):yyyy-MM-ddTHH:mm:ssZ}}}"}}
                """;
        })) + "]");
    }

    private async Task<JsonElement> QueryAsync(string body) => (await node.PostAsync($"/collections/{Name}/points/query", body)).Result.GetProperty("points");

    /// <summary>The top <paramref name="limit"/> by dot product with <paramref name="query"/>: (id, score).</summary>
    private static Dictionary<int, double> Prefetch(float[] query, int limit) =>
        Enumerable.Range(1, 30).Select(id => (id, Score: Dot(VectorOf(id), query))).OrderByDescending(p => p.Score).ThenBy(p => p.id).Take(limit)
            .ToDictionary(p => p.id, p => p.Score);

    private static void AssertRanked(IEnumerable<(int Id, double Score)> expected, JsonElement points, int limit)
    {
        var top = expected.OrderByDescending(p => (float)p.Score).ThenBy(p => p.Id).Take(limit).ToList();
        Assert.Equal(top.Select(p => p.Id), points.EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
        foreach (var (e, p) in top.Zip(points.EnumerateArray())) Assert.Equal(e.Score, p.GetProperty("score").GetDouble(), 3);
    }

    [Fact]
    public async Task Score_conditions_payload_values_and_arithmetic_rescore_the_candidates()
    {
        await SeedAsync();
        float[] q = [0.5f, 0.5f, 0.2f, 0.1f];
        var candidates = Prefetch(q, 15);
        var points = await QueryAsync($$$"""
            {"prefetch": {"query": {{{Json(q)}}}, "limit": 15, "params": {"exact": true}},
             "query": {"formula": {"sum": ["$score", {"mult": [0.5, {"key": "tag", "match": {"value": "a"}}]}, {"div": {"left": "n", "right": 10}},
                                          {"neg": {"abs": -0.25}}, {"pow": {"base": 2, "exponent": {"ln": {"exp": 1} } } }, {"sqrt": 4}, {"log10": 100}]}},
             "limit": 8, "with_payload": true}
            """);
        AssertRanked(candidates.Select(c => (c.Key, c.Value + (Tag(c.Key) == "a" ? 0.5 : 0) + c.Key / 10.0 - 0.25 + 2 + 2 + 2)), points, 8);
        Assert.All(points.EnumerateArray(), p => Assert.Equal(p.GetProperty("id").GetInt32(), p.GetProperty("payload").GetProperty("n").GetInt32()));

        // A missing price takes its default; division by zero its by_zero_default; score_threshold cuts the fused list.
        var priced = await QueryAsync($$$"""
            {"prefetch": {"query": {{{Json(q)}}}, "limit": 15, "params": {"exact": true}},
             "query": {"formula": {"sum": [{"mult": ["$score", "price"]}, {"div": {"left": 1, "right": {"sum": ["n", {"neg": "n"}]}, "by_zero_default": 0.125}}]},
                       "defaults": {"price": 100}},
             "limit": 15, "score_threshold": 1}
            """);
        AssertRanked(candidates.Select(c => (c.Key, c.Value * (c.Key % 5 == 0 ? 100 : c.Key * 1.5) + 0.125)).Where(p => (float)p.Item2 >= 1), priced, 15);
    }

    [Fact]
    public async Task Each_prefetch_has_its_score_variable_and_absent_scores_take_defaults()
    {
        await SeedAsync();
        float[] a = [1, 0, 0, 0.2f], b = [0, 1, 0.5f, 0];
        var first = Prefetch(a, 8);
        var second = Prefetch(b, 8);
        var points = await QueryAsync($$$"""
            {"prefetch": [{"query": {{{Json(a)}}}, "limit": 8, "params": {"exact": true}}, {"query": {{{Json(b)}}}, "limit": 8, "params": {"exact": true}}],
             "query": {"formula": {"sum": [{"mult": [2, "$score[0]"]}, "$score[1]"]}, "defaults": {"$score[1]": -3}}, "limit": 10}
            """);
        var ids = first.Keys.Union(second.Keys);
        AssertRanked(ids.Select(id => (id, 2 * first.GetValueOrDefault(id) + (second.TryGetValue(id, out var s) ? s : -3))), points, 10);
    }

    [Fact]
    public async Task Decays_over_geo_distance_datetimes_and_numbers()
    {
        await SeedAsync();
        float[] q = [0.3f, 0.6f, 0.1f, 0.5f];
        var candidates = Prefetch(q, 20);
        var points = await QueryAsync($$$"""
            {"prefetch": {"query": {{{Json(q)}}}, "limit": 20, "params": {"exact": true}},
             "query": {"formula": {"sum": [
                {"exp_decay": {"x": {"geo_distance": {"origin": {"lon": 13.5, "lat": 52.45}, "to": "geo"}}, "scale": 5000}},
                {"gauss_decay": {"x": {"datetime_key": "time"}, "target": {"datetime": "2024-01-03T00:00:00Z"}, "scale": 86400, "midpoint": 0.3}},
                {"lin_decay": {"x": "n", "target": 12, "scale": 10, "midpoint": 0.2}}]}},
             "limit": 12}
            """);
        double Expected(int id)
        {
            var (lon, lat) = GeoOf(id);
            double distance = Haversine(13.5, 52.45, lon, lat);
            double seconds = (TimeOf(id) - Origin.AddDays(2)).TotalSeconds;
            return Math.Exp(Math.Log(0.5) / 5000 * distance) + Math.Exp(Math.Log(0.3) / (86400.0 * 86400) * seconds * seconds)
                + Math.Max(1 - (1 - 0.2) / 10 * Math.Abs(id - 12), 0);
        }

        AssertRanked(candidates.Keys.Select(id => (id, Expected(id))), points, 12);
    }

    private static double Haversine(double lon1, double lat1, double lon2, double lat2)
    {
        static double Rad(double d) => d * Math.PI / 180;
        double a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2);
        return 2 * 6371008.8 * Math.Asin(Math.Sqrt(a));
    }

    [Theory]
    [InlineData("""{"query": {"formula": "$score"}}""", "cannot apply Formula without prefetches")]
    [InlineData("""{"prefetch": {"query": [1, 0, 0, 0]}, "query": {"formula": {"sum": ["$score", "price"]}}}""", "No value found in a payload nor defaults")]
    [InlineData("""{"prefetch": {"query": [1, 0, 0, 0]}, "query": {"formula": {"mult": ["$score", "tag"]}}}""", "Expected number value for tag")]
    [InlineData("""{"prefetch": {"query": [1, 0, 0, 0]}, "query": {"formula": {"sqrt": -1}}}""", "non-finite")]
    [InlineData("""{"prefetch": {"query": [1, 0, 0, 0]}, "query": {"formula": {"div": {"left": 1, "right": 0}}}}""", "non-finite")]
    [InlineData("""{"prefetch": {"query": [1, 0, 0, 0]}, "query": {"formula": {"sum": [1e308, 1e308]}}}""", "non-finite score")]
    [InlineData("""{"prefetch": {"query": [1, 0, 0, 0]}, "query": {"formula": 1e39}}""", "non-finite score")]
    [InlineData("""{"prefetch": {"query": [1, 0, 0, 0]}, "query": {"formula": "$scores"}}""", "Invalid reserved variable: $scores")]
    [InlineData("""{"prefetch": {"query": [1, 0, 0, 0]}, "query": {"formula": "$other"}}""", "Invalid reserved word: $other")]
    [InlineData("""{"prefetch": {"query": [1, 0, 0, 0]}, "query": {"formula": {"exp_decay": {"x": "n", "midpoint": 1}}}}""", "Decay midpoint should be in the range (0.0, 1.0), got 1.")]
    [InlineData("""{"prefetch": {"query": [1, 0, 0, 0]}, "query": {"formula": {"lin_decay": {"x": "n", "scale": 0}}}}""", "Decay scale should be non-zero positive")]
    [InlineData("""{"prefetch": {"query": [1, 0, 0, 0]}, "query": {"formula": {"sum": [true]}}}""", "query.formula.sum[0]")]
    [InlineData("""{"prefetch": {"query": [1, 0, 0, 0]}, "query": {"formula": {"pow": {"base": 2}}}}""", "missing field `exponent`")]
    [InlineData("""{"prefetch": {"query": [1, 0, 0, 0]}, "query": {"formula": {"datetime": "yesterday"}}}""", "query.formula.datetime")]
    public async Task Bad_formulas_answer_Qdrants_errors(string body, string mentions)
    {
        await SeedAsync();
        Assert.Contains(mentions, (await node.PostAsync($"/collections/{Name}/points/query", body)).Error(HttpStatusCode.BadRequest));
    }
}
