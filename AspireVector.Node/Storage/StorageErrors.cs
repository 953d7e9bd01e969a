using AspireVector.Node.Collections;

namespace AspireVector.Node.Storage;

/// <summary>Turns a failed disk write into the answer a client gets: a 500 in Qdrant's wording, without paths.</summary>
internal static class StorageErrors
{
    /// <summary>errno of "No space left on device" on Linux (.NET keeps it as the HResult).</summary>
    public const int Enospc = 28;

    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>True when <paramref name="e"/> says the disk (or quota) is full.</summary>
    public static bool IsDiskFull(Exception e) =>
        e.HResult is Enospc or WindowsDiskFull or WindowsHandleDiskFull || e.Message.Contains(StorageFaults.DiskFullMessage, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The client's error for a write to shard <paramref name="shardId"/> that the disk refused. The OS message carries
    /// the file's path, so only its kind is told; the node's log has the rest. <paramref name="applied"/>: the operation
    /// was applied in memory and only its commit failed, so it may still become durable with the next commit.
    /// </summary>
    public static CollectionException WriteFailed(uint shardId, Exception e, bool applied)
    {
        string cause = IsDiskFull(e) ? "No space left on device" : "I/O error writing the WAL (see the node's log)";
        string outcome = applied
            ? "the update is not acknowledged and may or may not be kept"
            : "the update was not applied";
        return new(500, $"Service internal error: {cause}: shard {shardId}: {outcome}; free disk space or fix the storage and retry");
    }
}
