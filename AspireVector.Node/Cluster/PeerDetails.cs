using AspireVector.Node.Consensus;

namespace AspireVector.Node.Cluster;

/// <summary>A peer's own account of its consensus (Qdrant's <c>DistributedPeerDetails</c>).</summary>
/// <param name="Version">The node's version.</param>
/// <param name="Role">Raft role.</param>
/// <param name="IsVoter">Whether it votes in elections.</param>
/// <param name="Term">Election term.</param>
/// <param name="Commit">Latest committed entry.</param>
/// <param name="PendingOperations">Its proposals not yet applied.</param>
/// <param name="ThreadState">State of its consensus loop.</param>
/// <param name="LastUpdate">When its consensus loop last finished a turn.</param>
/// <param name="Error">Why the loop stopped, when it stopped with an error.</param>
public sealed record PeerDetails(
    string Version,
    RaftRole Role,
    bool IsVoter,
    ulong Term,
    ulong Commit,
    ulong PendingOperations,
    ConsensusThreadState ThreadState,
    DateTimeOffset LastUpdate,
    string? Error)
{
    /// <summary>The details of a peer whose consensus reports <paramref name="status"/>.</summary>
    public static PeerDetails Of(string version, RaftStatus status) => new(
        version, status.Role, status.IsVoter, status.Term, status.Commit, (ulong)Math.Max(0, status.PendingOperations),
        status.ThreadState, status.LastUpdate, status.Error);
}
