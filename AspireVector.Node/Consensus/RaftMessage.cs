namespace AspireVector.Node.Consensus;

/// <summary>A message between two Raft peers. Which fields matter depends on <see cref="Type"/>.</summary>
public sealed record RaftMessage
{
    /// <summary>Message kind.</summary>
    public required RaftMessageType Type { get; init; }

    /// <summary>Destination peer.</summary>
    public required ulong To { get; init; }

    /// <summary>Sending peer.</summary>
    public required ulong From { get; init; }

    /// <summary>Sender's term (0 for a forwarded proposal, which is term-less).</summary>
    public ulong Term { get; init; }

    /// <summary>Append: term of the entry at <see cref="Index"/>; votes: candidate's last log term; rejections: term of the hint.</summary>
    public ulong LogTerm { get; init; }

    /// <summary>Append: index preceding the entries; votes: candidate's last index; responses: acknowledged index.</summary>
    public ulong Index { get; init; }

    /// <summary>Entries carried by Append or Propose.</summary>
    public IReadOnlyList<LogEntry> Entries { get; init; } = [];

    /// <summary>Leader's commit index (Append/Heartbeat).</summary>
    public ulong Commit { get; init; }

    /// <summary>True when a vote is refused or an Append did not match.</summary>
    public bool Reject { get; init; }

    /// <summary>On a rejected Append: the follower's guess of the highest index that may match.</summary>
    public ulong RejectHint { get; init; }

    /// <summary>InstallSnapshot payload.</summary>
    public RaftSnapshot? Snapshot { get; init; }
}
