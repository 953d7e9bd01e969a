using System.Net;

namespace AspireVector.Tests.Api.Rest;

/// <summary>
/// <c>GET /collections/{name}/optimizations</c> and <c>/issues</c> in Qdrant's shapes, and the background indexing they
/// report, including Qdrant's bulk-load recipe (<c>indexing_threshold: 0</c> during the load, then back on).
/// </summary>
public sealed class OptimizationsApiTests(RestNode node) : IClassFixture<RestNode>
{
    [Fact]
    public async Task Optimizations_report_idle_segments_and_issues_are_empty()
    {
        await node.CreateCollectionAsync("optimized", extra: """, "shard_number": 2""");
        await node.UpsertAsync("optimized", """[{"id": 1, "vector": [1, 0, 0, 0]}, {"id": 2, "vector": [0, 1, 0, 0]}, {"id": 3, "vector": [0, 0, 1, 0]}]""");
        await WaitUntilIndexedAsync("optimized", 3);

        var plain = (await node.GetAsync("/collections/optimized/optimizations")).Result;
        Assert.Equal(["running", "summary"], plain.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(2, plain.GetProperty("summary").GetProperty("idle_segments").GetInt32());
        Assert.Equal(0, plain.GetProperty("summary").GetProperty("queued_points").GetInt32());

        var full = (await node.GetAsync("/collections/optimized/optimizations?with=queued,completed,idle_segments&completed_limit=4")).Result;
        Assert.Empty(full.GetProperty("queued").EnumerateArray());
        Assert.Empty(full.GetProperty("completed").EnumerateArray());
        var segments = full.GetProperty("idle_segments").EnumerateArray().ToList();
        Assert.Equal(3, segments.Sum(s => s.GetProperty("points_count").GetInt64()));
        Assert.All(segments, s => Assert.True(Guid.TryParse(s.GetProperty("uuid").GetString(), out _)));

        Assert.NotEmpty((await node.GetAsync("/collections/optimized/optimizations?with=everything")).Error(HttpStatusCode.BadRequest));
        Assert.NotEmpty((await node.GetAsync("/collections/optimized/optimizations?completed_limit=-1")).Error(HttpStatusCode.BadRequest));
        Assert.NotEmpty((await node.GetAsync("/collections/nothing/optimizations")).Error(HttpStatusCode.NotFound));

        Assert.Empty((await node.GetAsync("/issues")).Result.GetProperty("issues").EnumerateArray());
        Assert.True((await node.DeleteAsync("/issues")).Result.GetBoolean());
    }

    [Fact]
    public async Task Indexing_threshold_zero_holds_indexing_back_until_it_is_set_again_and_points_stay_searchable()
    {
        await node.CreateCollectionAsync("bulk", extra: """, "optimizers_config": {"indexing_threshold": 0}""");
        var points = string.Join(",", Enumerable.Range(1, 200).Select(i => $$"""{"id": {{i}}, "vector": [{{i}}, 1, {{i % 7}}, 0.5]}"""));
        await node.UpsertAsync("bulk", $"[{points}]");

        var info = (await node.GetAsync("/collections/bulk")).Result;
        Assert.Equal(200, info.GetProperty("points_count").GetInt64());
        Assert.Equal(0, info.GetProperty("indexed_vectors_count").GetInt64());
        var summary = (await node.GetAsync("/collections/bulk/optimizations?with=queued")).Result;
        Assert.Equal(200, summary.GetProperty("summary").GetProperty("queued_points").GetInt64());
        var queued = Assert.Single(summary.GetProperty("queued").EnumerateArray());
        Assert.Equal("indexing", queued.GetProperty("optimizer").GetString());
        Assert.Equal(200, Assert.Single(queued.GetProperty("segments").EnumerateArray()).GetProperty("points_count").GetInt64());

        // Unindexed points are still found (scored exactly).
        var hit = (await node.PostAsync("/collections/bulk/points/search", """{"vector": [17, 1, 3, 0.5], "limit": 1}""")).Result;
        Assert.Equal(17, Assert.Single(hit.EnumerateArray()).GetProperty("id").GetInt64());

        Assert.True((await node.PatchAsync("/collections/bulk", """{"optimizers_config": {"indexing_threshold": 20000}}""")).Result.GetBoolean());
        await WaitUntilIndexedAsync("bulk", 200);
        var after = (await node.GetAsync("/collections/bulk/optimizations")).Result.GetProperty("summary");
        Assert.Equal(0, after.GetProperty("queued_points").GetInt64());
        Assert.Equal(1, after.GetProperty("idle_segments").GetInt32());
    }

    private async Task WaitUntilIndexedAsync(string collection, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long indexed;
        while ((indexed = (await node.GetAsync($"/collections/{collection}")).Result.GetProperty("indexed_vectors_count").GetInt64()) != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{collection}: {indexed} of {expected} vectors indexed after 30 s");
            await Task.Delay(20);
        }
    }
}
