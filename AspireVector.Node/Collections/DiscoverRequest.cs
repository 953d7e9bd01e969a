namespace AspireVector.Node.Collections;

/// <summary>
/// A discovery (a target constrained by context pairs) or, without a target, a context search against one collection.
/// </summary>
public sealed class DiscoverRequest
{
    /// <summary>What results should be close to; null for a context search.</summary>
    public RecommendExample? Target { get; init; }

    /// <summary>Pairs splitting the space into a wanted and an unwanted side.</summary>
    public IReadOnlyList<ContextExamplePair> Context { get; init; } = [];

    /// <summary>Everything a search takes except its vector, which is ignored (limit, offset, threshold, filter, params, with_vector).</summary>
    public required SearchRequest Search { get; init; }

    /// <summary>Where examples given by id are read; null for this collection (<c>lookup_from</c>).</summary>
    public VectorLookup? LookupFrom { get; init; }

    /// <summary>This request over another filter (a query stage's merged one), exactly when <paramref name="exact"/>.</summary>
    public DiscoverRequest Over(QueryFilter? filter, bool exact) => new() { Target = Target, Context = Context, Search = Search.Over(filter, exact), LookupFrom = LookupFrom };

    /// <summary>This request with another page of results.</summary>
    public DiscoverRequest Page(int limit, int offset) => new() { Target = Target, Context = Context, Search = Search.Page(limit, offset), LookupFrom = LookupFrom };
}
