using System.Net;
using System.Reflection;
using AspireVector.Node.P2P;
using AspireVector.Node.P2P.Grpc;
using AspireVector.Node.P2P.Protos;
using AspireVector.Tests.Api.Rest;
using AspireVector.Tests.Cluster;
using AspireVector.Tests.Telemetry;

namespace AspireVector.Tests.P2P;

/// <summary>
/// A process that reaches a cluster node's P2P port without <c>cluster.p2p.api_key</c> can do nothing: every P2P
/// method (Raft, consensus, shards incl. transfers, health) answers UNAUTHENTICATED and nothing changes.
/// </summary>
[Trait("Category", "Process")]
[Collection(ClusterProcesses.Name)]
public sealed class P2PAuthKeyTests
{
    private const string Key = "internal-p2p-s3cret";

    /// <summary>Every method path the P2P port serves, read from <see cref="P2PMethods"/> so a new one is covered too.</summary>
    private static List<string> Methods()
    {
        var paths = new List<string>();
        foreach (var field in typeof(P2PMethods).GetFields(BindingFlags.Public | BindingFlags.Static))
            if (field.IsLiteral && field.GetRawConstantValue() is string path) paths.Add(path);
        return paths;
    }

    [Fact]
    public async Task Every_p2p_method_refuses_a_caller_without_the_key_and_nothing_changes()
    {
        await using var node = await InProcessClusterNode.StartAsync(configure: o => o.Cluster.P2pApiKey = Key);
        Assert.True(await Poll.UntilAsync(async () => (await node.Http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50)), "the peer never became ready");
        var rest = new RestClient(node.Http);
        await rest.CreateCollectionAsync("guarded", extra: """, "shard_number": 1""");
        await rest.UpsertAsync("guarded", """[{"id": 1, "vector": [1, 0, 0, 0]}]""");
        string before = (await rest.GetAsync("/cluster")).Raw;

        var address = new Uri(node.P2PUri);
        using var anonymous = new P2PChannel(address);
        using var guessing = new P2PChannel(address, new P2PChannelOptions { ApiKey = Key[..^1] });
        var methods = Methods();
        Assert.Contains(P2PMethods.ShardsUpdate, methods);
        Assert.Contains(P2PMethods.RaftSend, methods);
        foreach (var method in methods)
        {
            foreach (var channel in new[] { anonymous, guessing })
            {
                var refused = await Assert.ThrowsAsync<GrpcException>(() => channel.CallAsync(method, new Empty(), Empty.Parser));
                Assert.True(refused.StatusCode == GrpcStatusCode.Unauthenticated, $"{method}: {refused.StatusCode} {refused.Detail}");
            }
        }

        Assert.Equal(1, await rest.CountAsync("guarded"));
        Assert.Equal(["guarded"], (await rest.GetAsync("/collections")).Result.GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(JsonText.Canonical(System.Text.Json.JsonDocument.Parse(before).RootElement.GetProperty("result").GetProperty("peers")),
            JsonText.Canonical((await rest.GetAsync("/cluster")).Result.GetProperty("peers")));

        // The key itself opens the port: the check is what refused the others.
        using var member = new P2PChannel(address, new P2PChannelOptions { ApiKey = Key });
        await member.CallAsync(P2PMethods.HealthPing, new PingRequest(), PingReply.Parser);
    }
}
