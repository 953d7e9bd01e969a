namespace AspireVector.Node.Collections;

/// <summary>The read operations a shard serves to a coordinator.</summary>
public enum ShardReadKind
{
    Search,
    Scroll,
    Count,
    Retrieve,
    Recommend,
    Facet,
    Discover,
    Context,
    Sample,
}
