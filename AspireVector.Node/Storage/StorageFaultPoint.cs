namespace AspireVector.Node.Storage;

/// <summary>Where <see cref="StorageFaults"/> can make a write fail.</summary>
public enum StorageFaultPoint
{
    /// <summary>Appending an operation to a shard's WAL, or committing (fsyncing) it.</summary>
    Wal,

    /// <summary>Writing a shard's segment files during a flush.</summary>
    Flush,
}
