namespace AspireVector.Node.Consensus;

/// <summary>The application replicated by Raft. Called only from the driver loop, one call at a time.</summary>
public interface IRaftStateMachine
{
    /// <summary>Applies one committed command; must be deterministic (every peer applies the same sequence).</summary>
    Task ApplyAsync(ulong index, ReadOnlyMemory<byte> command, CancellationToken cancellationToken);

    /// <summary>Serialises the state as of the last applied command.</summary>
    Task<byte[]> SnapshotAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the whole state with a snapshot image.</summary>
    Task RestoreAsync(byte[] image, CancellationToken cancellationToken);
}
