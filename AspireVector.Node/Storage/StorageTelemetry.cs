namespace AspireVector.Node.Storage;

/// <summary>
/// Timings the storage layer reports, for the node's metrics (<c>wal_flush_duration_seconds</c>,
/// <c>hnsw_search_duration_seconds</c>). One per <see cref="Collections.TableOfContents"/>, so nodes hosted in one
/// process keep their own figures; handlers run on the reporting thread and must be cheap.
/// </summary>
public sealed class StorageTelemetry
{
    /// <summary>A request waited this long for its WAL records to be written and fsynced (a group commit).</summary>
    public event Action<TimeSpan>? WalCommitted;

    /// <summary>One vector index search of one shard took this long.</summary>
    public event Action<TimeSpan>? VectorSearched;

    internal void OnWalCommitted(TimeSpan elapsed) => WalCommitted?.Invoke(elapsed);

    internal void OnVectorSearched(TimeSpan elapsed) => VectorSearched?.Invoke(elapsed);
}
