using AspireVector.Node.Cluster;
using AspireVector.Node.Configuration;
using AspireVector.Node.P2P;
using AspireVector.Node.P2P.Grpc;
using Microsoft.Extensions.Logging.Abstractions;

namespace AspireVector.Tests.Cluster;

/// <summary>
/// What a peer answers when another asks whether it still knows it (how a removed peer learns of its removal).
/// </summary>
public sealed class ClusterNodeWhoIsTests
{
    [Fact]
    public async Task OnlyARemovedPeerIsUnknownAndAPeerNotAppliedYetIsUndecided()
    {
        var storage = Directory.CreateTempSubdirectory("av-whois-");
        try
        {
            var options = new NodeOptions();
            options.Storage.StoragePath = storage.FullName;
            var failures = new MessageSendFailures();
            using var channels = new PeerChannels(new P2PChannelOptions(), 1, failures);
            await using var node = new ClusterNode(options, new P2PClient(channels), failures, NullLoggerFactory.Instance, TimeProvider.System);
            await node.Metadata.ApplyAsync(1, new AddPeerCommand(5, "http://peer-5:6335/").Encode(), CancellationToken.None);
            await node.Metadata.ApplyAsync(2, new AddPeerCommand(6, "http://peer-6:6335/").Encode(), CancellationToken.None);
            await node.Metadata.ApplyAsync(3, new RemovePeerCommand(6, false).Encode(), CancellationToken.None);
            IRaftP2PHandler handler = node;

            Assert.Equal("http://peer-5:6335/", await handler.WhoIsAsync(5, CancellationToken.None));
            Assert.Null(await handler.WhoIsAsync(6, CancellationToken.None));

            // A learner that has not applied the entry adding peer 7 yet must not tell peer 7 it was removed.
            var undecided = await Assert.ThrowsAsync<GrpcException>(async () => await handler.WhoIsAsync(7, CancellationToken.None));
            Assert.Equal(GrpcStatusCode.Unavailable, undecided.StatusCode);
        }
        finally
        {
            storage.Delete(recursive: true);
        }
    }
}
