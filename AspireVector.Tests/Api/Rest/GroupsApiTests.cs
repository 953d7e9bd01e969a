using System.Net;
using System.Text.Json;

namespace AspireVector.Tests.Api.Rest;

/// <summary><c>search/groups</c>, <c>recommend/groups</c> and <c>query/groups</c> checked against a full ranking.</summary>
public sealed class GroupsApiTests(RestNode node) : IClassFixture<RestNode>
{
    private const string C = "/collections/grouped/points";

    private async Task SeedAsync()
    {
        if ((await node.GetAsync("/collections/grouped/exists")).Result.GetProperty("exists").GetBoolean()) return;
        await node.CreateCollectionAsync("grouped", 2, "Dot", """, "shard_number": 2""");
        await node.CreateCollectionAsync("grouped_lookup", 2, "Dot");
        // Score against [1, 0] is the id / 100: higher ids rank first. Colours repeat; id 3 has two colours, 30 none.
        var points = Enumerable.Range(1, 30).Select(id =>
        {
            string payload = id switch
            {
                3 => """{"color": ["red", "green"]}""",
                30 => """{"other": 1}""",
                _ => $$"""{"color": "{{(id % 4) switch { 0 => "red", 1 => "green", 2 => "blue", _ => "black" }}}", "size": {{id % 2}}}""",
            };
            return $$"""{"id": {{id}}, "vector": [{{id / 100.0}}, 0], "payload": {{payload}}}""";
        });
        await node.UpsertAsync("grouped", "[" + string.Join(",", points) + "]");
        await node.UpsertAsync("grouped_lookup", """[{"id": 1, "vector": [1, 0], "payload": {"label": "one"}}]""");
    }

    private static Dictionary<string, int[]> Groups(JsonElement result) =>
        result.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("id").ToString(), g => g.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetInt32()).ToArray());

    /// <summary>The expected groups from the full ranking (best first), as the endpoints define them.</summary>
    private static List<(string Id, int[] Hits)> Expected(IEnumerable<int> ranking, Func<int, IEnumerable<string>> values, int limit, int size)
    {
        var groups = new List<(string Id, List<int> Hits)>();
        foreach (var id in ranking)
        {
            foreach (var v in values(id).Distinct())
            {
                int i = groups.FindIndex(g => g.Id == v);
                if (i >= 0) { if (groups[i].Hits.Count < size) groups[i].Hits.Add(id); }
                else if (groups.Count < limit) groups.Add((v, [id]));
            }
        }

        return [.. groups.Select(g => (g.Id, g.Hits.ToArray()))];
    }

    private static IEnumerable<string> Colors(int id) => id switch
    {
        3 => ["red", "green"],
        30 => [],
        _ => [(id % 4) switch { 0 => "red", 1 => "green", 2 => "blue", _ => "black" }],
    };

    [Fact]
    public async Task Search_groups_hold_the_best_hits_of_the_first_values_in_rank_order()
    {
        await SeedAsync();
        var result = (await node.PostAsync($"{C}/search/groups", """{"vector": [1, 0], "group_by": "color", "group_size": 2, "limit": 3, "with_payload": ["color"]}""")).Result;
        var expected = Expected(Enumerable.Range(1, 30).Reverse(), Colors, 3, 2);
        Assert.Equal(expected.Select(e => e.Id), result.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("id").GetString()));
        var groups = Groups(result);
        foreach (var (id, hits) in expected) Assert.Equal(hits, groups[id]);
        Assert.True(result.GetProperty("groups")[0].GetProperty("hits")[0].GetProperty("payload").TryGetProperty("color", out _));

        // Integer values group too; a filter applies before grouping; a large group_size returns whole groups.
        var bySize = (await node.PostAsync($"{C}/search/groups", """
            {"vector": [1, 0], "group_by": "size", "group_size": 100, "limit": 5, "filter": {"must": [{"key": "color", "match": {"value": "blue"}}]}}
            """)).Result;
        var blue = Enumerable.Range(1, 29).Where(i => i != 3 && i % 4 == 2).Reverse().ToArray();
        Assert.Equal(JsonValueKind.Number, bySize.GetProperty("groups")[0].GetProperty("id").ValueKind);
        Assert.Equal(blue, Groups(bySize)["0"]);
        Assert.Single(Groups(bySize));
    }

    [Fact]
    public async Task Recommend_and_query_groups_group_their_own_rankings_and_lookup_attaches_points()
    {
        await SeedAsync();
        var recommend = (await node.PostAsync($"{C}/recommend/groups", """{"positive": [29], "group_by": "color", "group_size": 3, "limit": 2}""")).Result;
        var ranking = Enumerable.Range(1, 28).Reverse(); // Dot with [0.29, 0]: again by id, without the example
        foreach (var (id, hits) in Expected(ranking, Colors, 2, 3)) Assert.Equal(hits, Groups(recommend)[id]);

        var query = (await node.PostAsync($"{C}/query/groups", """{"query": [1, 0], "group_by": "size", "with_lookup": {"collection": "grouped_lookup", "with_payload": true}}""")).Result;
        var groups = query.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(2, groups.Count); // query's defaults: limit 10 groups of 3
        Assert.Equal([29, 27, 25], groups[0].GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetInt32()));
        Assert.Equal(1, groups[0].GetProperty("id").GetInt32());
        Assert.Equal("one", groups[0].GetProperty("lookup").GetProperty("payload").GetProperty("label").GetString());
        Assert.False(groups[1].TryGetProperty("lookup", out _)); // group 0 has no point 0 in the lookup collection
    }

    [Theory]
    [InlineData("search/groups", """{"vector": [1, 0], "group_size": 2, "limit": 3}""", "group_by")]
    [InlineData("search/groups", """{"vector": [1, 0], "group_by": "color", "limit": 3}""", "group_size")]
    [InlineData("search/groups", """{"vector": [1, 0], "group_by": "color", "group_size": 0, "limit": 3}""", "group_size")]
    [InlineData("search/groups", """{"vector": [1, 0], "group_by": "color", "group_size": 2}""", "limit")]
    [InlineData("search/groups", """{"vector": [1, 0], "group_by": "", "group_size": 2, "limit": 3}""", "group_by")]
    [InlineData("recommend/groups", """{"positive": [], "group_by": "color", "group_size": 2, "limit": 3}""", "positive")]
    [InlineData("query/groups", """{"query": [1, 0], "group_by": "color", "with_lookup": {"collection": "nowhere"}}""", "nowhere")]
    public async Task Bad_group_requests_are_refused(string path, string body, string mentions)
    {
        await SeedAsync();
        var answer = await node.PostAsync($"{C}/{path}", body);
        Assert.Contains(mentions, answer.Error(answer.Status == HttpStatusCode.NotFound ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest));
    }
}
