namespace AspireVector.Node.Consensus;

/// <summary>Carries encoded Raft messages to peers.</summary>
/// <remarks>
/// <see cref="Send"/> must not block the driver loop: implementations queue and deliver in the background.
/// Losing a message is fine (Raft retries); delivering it twice or out of order is fine too.
/// </remarks>
public interface IRaftTransport
{
    /// <summary>Queues <paramref name="payload"/> (from <see cref="RaftCodec.EncodeMessage"/>) for <paramref name="peerId"/>.</summary>
    void Send(ulong peerId, byte[] payload);
}
