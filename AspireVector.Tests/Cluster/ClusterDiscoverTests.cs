using System.Globalization;
using System.Net;
using System.Text.Json;
using AspireVector.Tests.Api.Rest;
using AspireVector.Tests.Telemetry;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// Discovery and context search coordinated by a peer holding only some shards (two cluster-mode nodes in this
/// process, real P2P): the shard reads fan out and merge as recommend's do, with brute-force scores.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class ClusterDiscoverTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private static float[] VectorOf(int id) => [MathF.Cos(id), MathF.Sin(id), id % 3 - 1, 0.5f];

    private static float Dot(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();

    private static float FastSigmoid(float x) => x / (1f + MathF.Abs(x));

    private static int[] Ids(JsonElement points) => [.. points.EnumerateArray().Select(p => p.GetProperty("id").GetInt32())];

    [Fact]
    public async Task Discover_and_context_through_a_peer_without_every_shard_match_brute_force()
    {
        await using var first = await InProcessClusterNode.StartAsync();
        await using var second = await InProcessClusterNode.StartAsync(bootstrap: first.P2PUri);
        var rest0 = new RestClient(first.Http);
        var rest1 = new RestClient(second.Http);
        Assert.True(await Poll.UntilAsync(async () =>
            (await first.Http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK && (await second.Http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK
            && (await rest0.GetAsync("/cluster")).Result.GetProperty("peers").EnumerateObject().Count() == 2, Deadline, Interval), "the peers never formed a cluster");

        await rest0.CreateCollectionAsync("disco", 4, "Dot", """, "shard_number": 4, "replication_factor": 1""");
        var points = string.Join(",", Enumerable.Range(1, 60).Select(id =>
            $$"""{"id": {{id}}, "vector": [{{string.Join(",", VectorOf(id).Select(x => x.ToString("R", CultureInfo.InvariantCulture)))}}]}"""));
        await rest0.UpsertAsync("disco", $"[{points}]");
        Assert.True(await Poll.UntilAsync(async () => (await rest1.GetAsync("/collections/disco/cluster")).Status == HttpStatusCode.OK, Deadline, Interval),
            "the collection never reached the second peer");
        var placement = (await rest1.GetAsync("/collections/disco/cluster")).Result;
        Assert.NotEmpty(placement.GetProperty("local_shards").EnumerateArray());
        Assert.NotEmpty(placement.GetProperty("remote_shards").EnumerateArray());

        float Discovery(float[] v) =>
            Math.Sign(Dot(VectorOf(2), v).CompareTo(Dot(VectorOf(3), v))) + Math.Sign(Dot(VectorOf(4), v).CompareTo(Dot(VectorOf(5), v)))
            + 0.5f * (FastSigmoid(Dot(VectorOf(1), v)) + 1f);
        var expected = Enumerable.Range(6, 55).Select(id => (Id: id, Score: Discovery(VectorOf(id)))).OrderByDescending(x => x.Score).ThenBy(x => x.Id).Skip(1).Take(10).ToList();
        var discovered = (await rest1.PostAsync("/collections/disco/points/discover", """
            {"target": 1, "context": [{"positive": 2, "negative": 3}, {"positive": 4, "negative": 5}], "limit": 10, "offset": 1}
            """)).Result;
        Assert.Equal(expected.Select(e => e.Id), Ids(discovered));
        foreach (var (e, hit) in expected.Zip(discovered.EnumerateArray())) Assert.Equal(e.Score, hit.GetProperty("score").GetSingle(), 4);
        var fromFirst = (await rest0.PostAsync("/collections/disco/points/discover", """
            {"target": 1, "context": [{"positive": 2, "negative": 3}, {"positive": 4, "negative": 5}], "limit": 10, "offset": 1}
            """)).Result;
        Assert.Equal(Ids(discovered), Ids(fromFirst));

        float Context(float[] v) => FastSigmoid(MathF.Min(Dot(VectorOf(7), v) - Dot(VectorOf(8), v) - 1.1920929e-7f, 0f));
        var expectedContext = Enumerable.Range(1, 60).Where(id => id is not (7 or 8)).Select(id => (Id: id, Score: Context(VectorOf(id))))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Id).Take(40).ToList();
        var context = (await rest1.PostAsync("/collections/disco/points/query?consistency=all", """
            {"query": {"context": {"positive": 7, "negative": 8}}, "limit": 40}
            """)).Result.GetProperty("points");
        Assert.Equal(expectedContext.Select(e => e.Id), Ids(context));
        foreach (var (e, hit) in expectedContext.Zip(context.EnumerateArray())) Assert.Equal(e.Score, hit.GetProperty("score").GetSingle(), 4);
    }
}
