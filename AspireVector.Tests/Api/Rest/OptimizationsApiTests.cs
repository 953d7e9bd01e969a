using System.Net;

namespace AspireVector.Tests.Api.Rest;

/// <summary><c>GET /collections/{name}/optimizations</c> and <c>/issues</c>: Qdrant's shapes, nothing pending.</summary>
public sealed class OptimizationsApiTests(RestNode node) : IClassFixture<RestNode>
{
    [Fact]
    public async Task Optimizations_report_idle_segments_and_issues_are_empty()
    {
        await node.CreateCollectionAsync("optimized", extra: """, "shard_number": 2""");
        await node.UpsertAsync("optimized", """[{"id": 1, "vector": [1, 0, 0, 0]}, {"id": 2, "vector": [0, 1, 0, 0]}, {"id": 3, "vector": [0, 0, 1, 0]}]""");

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
}
