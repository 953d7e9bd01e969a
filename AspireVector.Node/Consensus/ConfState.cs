namespace AspireVector.Node.Consensus;

/// <summary>Membership at some log index: voters and learners (disjoint).</summary>
/// <param name="Voters">Peers that vote and count towards the commit quorum.</param>
/// <param name="Learners">Peers that only receive the log.</param>
public sealed record ConfState(IReadOnlyList<ulong> Voters, IReadOnlyList<ulong> Learners)
{
    /// <summary>No members at all (a node that has not joined yet).</summary>
    public static readonly ConfState Empty = new([], []);
}
