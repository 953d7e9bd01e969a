namespace AspireVector.Node.Collections;

/// <summary>
/// Qdrant's <c>?ordering=</c> of writes. <c>weak</c>: every replica is written in parallel by whichever peer got
/// the request (fastest, concurrent writes to one point may land in different orders on replicas). <c>medium</c>
/// and <c>strong</c>: the write goes through the shard's primary replica (the active replica with the lowest peer
/// id), which applies writes to its replicas one at a time, so every replica sees the same order.
/// </summary>
public enum WriteOrdering
{
    Weak,
    Medium,
    Strong,
}
