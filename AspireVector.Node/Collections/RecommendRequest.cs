namespace AspireVector.Node.Collections;

/// <summary>A recommendation against one collection: examples to be near to and far from, plus search options.</summary>
public sealed class RecommendRequest
{
    /// <summary>Examples the results should be like.</summary>
    public IReadOnlyList<RecommendExample> Positive { get; init; } = [];

    /// <summary>Examples the results should not be like.</summary>
    public IReadOnlyList<RecommendExample> Negative { get; init; } = [];

    /// <summary>How the examples combine.</summary>
    public RecommendStrategy Strategy { get; init; }

    /// <summary>Everything a search takes except its vector, which is ignored (limit, offset, threshold, filter, params, with_vector).</summary>
    public required SearchRequest Search { get; init; }

    /// <summary>Where examples given by id are read; null for this collection (<c>lookup_from</c>).</summary>
    public VectorLookup? LookupFrom { get; init; }

    /// <summary>This request with another page of results.</summary>
    public RecommendRequest Page(int limit, int offset) => new() { Positive = Positive, Negative = Negative, Strategy = Strategy, Search = Search.Page(limit, offset), LookupFrom = LookupFrom };

    /// <summary>This request over <paramref name="filter"/> (see <see cref="SearchRequest.Over"/>).</summary>
    public RecommendRequest Over(QueryFilter? filter, bool exact) => new() { Positive = Positive, Negative = Negative, Strategy = Strategy, Search = Search.Over(filter, exact), LookupFrom = LookupFrom };
}
