namespace AspireVector.Node.P2P;

/// <summary>
/// What the consensus layer offers to the P2P <c>RaftService</c>. Implemented by the Raft driver.
/// </summary>
/// <remarks>
/// Called concurrently from P2P request threads. Implementations only decode and enqueue into the consensus
/// mailbox, never run consensus work inline. Throw <see cref="Grpc.GrpcException"/> to answer with a specific
/// status (e.g. RESOURCE_EXHAUSTED when the mailbox is full, FAILED_PRECONDITION when not the leader);
/// other exceptions answer UNKNOWN.
/// </remarks>
public interface IRaftP2PHandler
{
    /// <summary>Enqueues one encoded Raft message (the bytes the sender's consensus layer produced).</summary>
    ValueTask ReceiveAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken);

    /// <summary>
    /// The P2P uri of <paramref name="peerId"/>, or null when it is known to be removed (answered as NOT_FOUND);
    /// throws <c>UNAVAILABLE</c> when this peer cannot tell.
    /// </summary>
    ValueTask<string?> WhoIsAsync(ulong peerId, CancellationToken cancellationToken);

    /// <summary>Adds the peer <paramref name="peerId"/> at <paramref name="uri"/> to the cluster; returns every known peer.</summary>
    Task<KnownPeers> AddPeerToKnownAsync(ulong peerId, string uri, CancellationToken cancellationToken);
}
