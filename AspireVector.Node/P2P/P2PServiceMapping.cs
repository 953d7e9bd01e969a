using AspireVector.Node.P2P.Grpc;
using AspireVector.Node.P2P.Protos;

namespace AspireVector.Node.P2P;

/// <summary>Maps the services of <c>p2p.proto</c> onto a <see cref="GrpcServiceRegistry"/>: decode, delegate, encode.</summary>
public static class P2PServiceMapping
{
    private static readonly Empty EmptyReply = new();

    /// <summary>Maps <c>Health.Ping</c>, answered by the transport itself.</summary>
    public static GrpcServiceRegistry MapHealthService(this GrpcServiceRegistry registry)
    {
        var reply = new PingReply { Version = typeof(P2PServiceMapping).Assembly.GetName().Version?.ToString() ?? "0.0.0" };
        return registry.MapUnary<PingRequest, PingReply>(P2PMethods.HealthPing, (_, _) => Task.FromResult(reply));
    }

    /// <summary>Maps <c>RaftService</c> onto <paramref name="handler"/>.</summary>
    public static GrpcServiceRegistry MapRaftService(this GrpcServiceRegistry registry, IRaftP2PHandler handler)
    {
        registry.MapUnary<RaftMessageBytes, Empty>(P2PMethods.RaftSend, async (request, context) =>
        {
            await handler.ReceiveAsync(request.Message.Memory, context.CancellationToken).ConfigureAwait(false);
            return EmptyReply;
        });
        registry.MapUnary<PeerIdRequest, UriReply>(P2PMethods.RaftWhoIs, async (request, context) =>
        {
            string uri = await handler.WhoIsAsync(request.Id, context.CancellationToken).ConfigureAwait(false)
                ?? throw new GrpcException(GrpcStatusCode.NotFound, $"Peer {request.Id} is not known.");
            return new UriReply { Uri = uri };
        });
        registry.MapUnary<AddPeerRequest, AllPeers>(P2PMethods.RaftAddPeerToKnown, async (request, context) =>
        {
            if (request.Id == 0 || !Uri.TryCreate(request.Uri, UriKind.Absolute, out _))
            {
                throw new GrpcException(GrpcStatusCode.InvalidArgument, $"AddPeerToKnown needs a non-zero id and an absolute uri, got id {request.Id} and uri '{request.Uri}'.");
            }

            KnownPeers known = await handler.AddPeerToKnownAsync(request.Id, request.Uri, context.CancellationToken).ConfigureAwait(false);
            var reply = new AllPeers { FirstPeerId = known.FirstPeerId };
            foreach (KeyValuePair<ulong, string> peer in known.Peers)
            {
                reply.Peers.Add(new PeerEntry { Id = peer.Key, Uri = peer.Value });
            }

            return reply;
        });
        return registry;
    }

    /// <summary>Maps <c>Consensus</c> onto <paramref name="handler"/>.</summary>
    public static GrpcServiceRegistry MapConsensusService(this GrpcServiceRegistry registry, IConsensusP2PHandler handler)
    {
        registry.MapUnary<GetCommitRequest, GetCommitReply>(P2PMethods.ConsensusGetCommit, (_, _) =>
        {
            ConsensusCommit commit = handler.GetCommit();
            return Task.FromResult(new GetCommitReply { Term = commit.Term, Commit = commit.Commit, Leader = commit.Leader ?? 0 });
        });
        registry.MapUnary<WaitOnCommitRequest, WaitOnCommitReply>(P2PMethods.ConsensusWaitOnCommit, async (request, context) =>
        {
            TimeSpan timeout = TimeSpan.FromSeconds(Math.Min(request.Timeout, (ulong)TimeSpan.FromDays(1).TotalSeconds));
            bool ok = await handler.WaitOnCommitAsync(request.Commit, request.Term, timeout, context.CancellationToken).ConfigureAwait(false);
            return new WaitOnCommitReply { Ok = ok };
        });
        return registry;
    }
}
