using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Filters;
using AspireVector.Node.Index.Payload;
using AspireVector.Node.Points;

namespace AspireVector.Tests.Index.Payload;

/// <summary>
/// Seeded randomized oracle: for random payloads and random filters of every condition type, the index-assisted
/// candidates of <see cref="SegmentFilter"/> equal the plain evaluation of the filter over every point, also after
/// points are re-indexed and removed.
/// </summary>
public class IndexOracleTests
{
    private static readonly string[] Words = ["red", "green", "blue", "black", "white", "amber"];
    private static readonly string[] TextWords = ["quick", "brown", "fox", "jumps", "over", "lazy", "dog", "Fox", "DOG"];
    private static readonly Guid[] Uuids = Enumerable.Range(1, 6).Select(i => new Guid(i, 0, 0, [0, 0, 0, 0, 0, 0, 0, (byte)i])).ToArray();

    private static readonly (string Field, string Type)[] IndexedFields =
    [
        ("kw", "keyword"), ("int", "integer"), ("flt", "float"), ("flag", "bool"), ("loc", "geo"),
        ("txt", "text"), ("ts", "datetime"), ("uid", "uuid"), ("nested[].a", "integer"),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Index_candidates_equal_plain_evaluation_for_every_condition_type(int seed)
    {
        var random = new Random(seed);
        var payloads = Enumerable.Range(0, 400).Select(_ => (JsonObject?)RandomPayload(random)).ToArray();
        var indexes = new PayloadIndexSet();
        foreach (var (field, type) in IndexedFields)
        {
            using var schema = JsonDocument.Parse($"\"{type}\"");
            Assert.True(PayloadFieldSchema.TryParse(schema.RootElement, out var parsed, out var error), error);
            indexes.Create(PayloadKey.Parse(field), parsed, payloads.Select((p, i) => (i, (JsonObject?)p)));
        }

        var servedByIndex = CheckRandomFilters(random, payloads, indexes, rounds: 200);

        // Rewrite a third of the points and remove a tenth, then check again.
        for (var i = 0; i < payloads.Length; i += 3)
        {
            payloads[i] = RandomPayload(random);
            indexes.Add(i, payloads[i]);
        }
        for (var i = 1; i < payloads.Length; i += 10)
        {
            payloads[i] = null;
            indexes.Remove(i);
        }
        servedByIndex += CheckRandomFilters(random, payloads, indexes, rounds: 200);
        Assert.True(servedByIndex > 200, $"only {servedByIndex} filters were served by an index");
    }

    private static int CheckRandomFilters(Random random, JsonObject?[] payloads, PayloadIndexSet indexes, int rounds)
    {
        var served = 0;
        for (var round = 0; round < rounds; round++)
        {
            var json = RandomFilter(random, depth: 0);
            using var doc = JsonDocument.Parse(json);
            Assert.True(FilterParser.TryParse(doc.RootElement, out var filter, out var error), $"{error} in {json}");
            var segmentFilter = FilterPlanner.Plan(filter, indexes, o => (PointId.FromNumber((ulong)o), payloads[o]), payloads.Length,
                id => id.Number < (ulong)payloads.Length ? (int)id.Number : null);
            var expected = new List<int>();
            for (var o = 0; o < payloads.Length; o++)
            {
                if (payloads[o] is null) continue;
                var plain = filter.Matches(PointId.FromNumber((ulong)o), payloads[o], indexes);
                Assert.Equal(plain, segmentFilter.Matches(o));
                if (plain) expected.Add(o);
            }
            if (segmentFilter.Candidates is { } candidates)
            {
                served++;
                var actual = candidates.Where(o => payloads[o] is not null).ToList();
                Assert.True(expected.SequenceEqual(actual), $"filter {json}: expected [{string.Join(",", expected)}] got [{string.Join(",", actual)}]");
                Assert.NotNull(segmentFilter.EstimatedMatches);
            }
        }
        return served;
    }

    private static JsonObject RandomPayload(Random r)
    {
        var p = new JsonObject();
        if (r.Next(6) > 0) p["kw"] = r.Next(4) == 0 ? new JsonArray(Word(r), Word(r)) : r.Next(10) == 0 ? JsonValue.Create(r.Next(3)) : Word(r);
        if (r.Next(6) > 0) p["int"] = r.Next(5) switch
        {
            0 => new JsonArray(r.Next(-5, 5), r.Next(-5, 5)),
            1 => JsonNode.Parse((r.Next(-50, 50) / 10.0).ToString("0.0", CultureInfo.InvariantCulture)),
            2 => "3",
            _ => r.Next(-5, 5),
        };
        if (r.Next(6) > 0) p["flt"] = r.Next(3) == 0 ? JsonValue.Create(r.Next(-5, 5)) : JsonValue.Create(Math.Round(r.NextDouble() * 10 - 5, 2));
        if (r.Next(6) > 0) p["flag"] = r.Next(5) == 0 ? new JsonArray(true, false) : r.Next(2) == 0;
        if (r.Next(6) > 0) p["loc"] = r.Next(5) == 0 ? new JsonArray(Geo(r), Geo(r)) : Geo(r);
        if (r.Next(6) > 0) p["txt"] = string.Join(r.Next(2) == 0 ? " " : ", ", Enumerable.Range(0, r.Next(1, 5)).Select(_ => TextWords[r.Next(TextWords.Length)]));
        if (r.Next(6) > 0) p["ts"] = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(r.Next(-3, 4))).AddHours(r.Next(0, 48)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        if (r.Next(6) > 0) p["uid"] = r.Next(4) == 0 ? Uuids[r.Next(Uuids.Length)].ToString("D").ToUpperInvariant() : Uuids[r.Next(Uuids.Length)].ToString("D");
        if (r.Next(6) > 0) p["nested"] = new JsonArray(Enumerable.Range(0, r.Next(0, 3)).Select(_ => (JsonNode?)new JsonObject { ["a"] = r.Next(0, 4), ["b"] = Word(r) }).ToArray());
        if (r.Next(10) == 0) p["kw"] = null;
        return p;
    }

    private static string Word(Random r) => Words[r.Next(Words.Length)];

    private static JsonObject Geo(Random r) => new() { ["lon"] = Math.Round(r.NextDouble() * 20 - 10, 3), ["lat"] = Math.Round(r.NextDouble() * 20 - 10, 3) };

    private static string RandomFilter(Random r, int depth)
    {
        var clauses = new List<string>();
        string List(int n) => "[" + string.Join(", ", Enumerable.Range(0, n).Select(_ => RandomCondition(r, depth))) + "]";
        if (r.Next(3) > 0) clauses.Add($"\"must\": {List(r.Next(1, 3))}");
        if (r.Next(3) == 0) clauses.Add($"\"should\": {List(r.Next(1, 3))}");
        if (r.Next(4) == 0) clauses.Add($"\"must_not\": {List(r.Next(1, 2))}");
        if (r.Next(6) == 0) clauses.Add($"\"min_should\": {{\"conditions\": {List(3)}, \"min_count\": {r.Next(0, 3)}}}");
        if (clauses.Count == 0) clauses.Add($"\"must\": {List(1)}");
        return "{" + string.Join(", ", clauses) + "}";
    }

    private static string RandomCondition(Random r, int depth)
    {
        switch (r.Next(depth < 2 ? 17 : 15))
        {
            case 0: return $$$"""{"key": "kw", "match": {"value": "{{{Word(r)}}}"}}""";
            case 1: return $$$"""{"key": "kw", "match": {"any": ["{{{Word(r)}}}", "{{{Word(r)}}}"]}}""";
            case 2: return $$$"""{"key": "int", "match": {"value": {{{r.Next(-5, 5)}}}}}""";
            case 3: return $$$"""{"key": "int", "match": {"any": [{{{r.Next(-5, 5)}}}, {{{r.Next(-5, 5)}}}]}}""";
            case 4: return $$$"""{"key": "int", "range": {"gte": {{{r.Next(-5, 5)}}}, "lt": {{{(r.Next(-50, 50) / 10.0).ToString(CultureInfo.InvariantCulture)}}}}}""";
            case 5: return $$$"""{"key": "flt", "range": {"gt": {{{(r.NextDouble() * 10 - 5).ToString("0.00", CultureInfo.InvariantCulture)}}}}}""";
            case 6: return $$$"""{"key": "flag", "match": {"value": {{{(r.Next(2) == 0 ? "true" : "false")}}}}}""";
            case 7: return $$$"""{"key": "loc", "geo_radius": {"center": {"lon": {{{r.Next(-10, 10)}}}, "lat": {{{r.Next(-10, 10)}}}}, "radius": {{{r.Next(100_000, 900_000)}}}}}""";
            case 8:
                var lon = r.Next(-10, 5);
                var lat = r.Next(-5, 10);
                return $$$$"""{"key": "loc", "geo_bounding_box": {"top_left": {"lon": {{{{lon}}}}, "lat": {{{{lat}}}}}, "bottom_right": {"lon": {{{{lon + r.Next(1, 10)}}}}, "lat": {{{{lat - r.Next(1, 10)}}}}}}}""";
            case 9:
                return $$$"""{"key": "loc", "geo_polygon": {"exterior": {"points": [{"lon": -8, "lat": -8}, {"lon": {{{r.Next(0, 10)}}}, "lat": -9}, {"lon": 9, "lat": {{{r.Next(0, 10)}}}}, {"lon": -8, "lat": -8}]}, "interiors": [{"points": [{"lon": 0, "lat": 0}, {"lon": 2, "lat": 0}, {"lon": 2, "lat": 2}, {"lon": 0, "lat": 0}]}]}}""";
            case 10:
                var kind = new[] { "text", "text_any", "phrase" }[r.Next(3)];
                return $$$"""{"key": "txt", "match": {"{{{kind}}}": "{{{TextWords[r.Next(TextWords.Length)]}}} {{{TextWords[r.Next(TextWords.Length)]}}}"}}""";
            case 11:
                var from = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(r.Next(0, 48));
                return $$$"""{"key": "ts", "range": {"gte": "{{{from:yyyy-MM-dd'T'HH:mm:ss'Z'}}}", "lt": "{{{from.AddHours(r.Next(1, 24)):yyyy-MM-dd HH:mm:ss}}}"}}""";
            case 12: return $$$"""{"key": "uid", "match": {"value": "{{{Uuids[r.Next(Uuids.Length)]:D}}}"}}""";
            case 13: return $$$"""{"key": "nested[].a", "match": {"value": {{{r.Next(0, 4)}}}}}""";
            case 14: return $$$"""{"has_id": [{{{r.Next(0, 400)}}}, {{{r.Next(0, 400)}}}, {{{r.Next(0, 400)}}}]}""";
            case 15: return RandomFilter(r, depth + 1);
            default: return $$$$"""{"nested": {"key": "nested", "filter": {"must": [{"key": "a", "match": {"value": {{{{r.Next(0, 4)}}}}}}, {"key": "b", "match": {"value": "{{{{Word(r)}}}}"}}]}}}""";
        }
    }
}
