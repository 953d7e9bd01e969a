using System.Net;
using AspireVector.Tests.Api.Rest;
using AspireVector.Tests.Telemetry;

namespace AspireVector.Tests.Cluster;

/// <summary>In cluster mode the collection count and vector dimension limits hold where the create is proposed.</summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class ClusterLimitsTests
{
    [Fact]
    public async Task Cluster_create_refuses_a_collection_over_the_count_or_dimension_limit()
    {
        await using var node = await InProcessClusterNode.StartAsync(configure: o =>
        {
            o.Storage.MaxCollections = 1;
            o.Storage.MaxVectorDimension = 8;
        });
        Assert.True(await Poll.UntilAsync(async () => (await node.Http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50)), "the single peer never became ready");
        var rest = new RestClient(node.Http);

        var wide = await rest.PutAsync("/collections/wide", """{"vectors": {"size": 9, "distance": "Dot"}}""");
        Assert.Contains("must be from 1 to 8", wide.Error(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        await rest.CreateCollectionAsync("only", size: 8);
        var second = await rest.PutAsync("/collections/second", """{"vectors": {"size": 4, "distance": "Dot"}}""");
        Assert.Equal("Wrong input: Maximum number of collections (1) reached", second.Error(HttpStatusCode.BadRequest));
        Assert.Equal(["only"], (await rest.GetAsync("/collections")).Result.GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }
}
