using AspireVector.Node.Index;
using AspireVector.Node.Index.Sparse;

namespace AspireVector.Node.Collections;

/// <summary>A nearest-neighbour request against one collection.</summary>
public sealed class SearchRequest
{
    /// <summary>Query vector (normalised by the collection for Cosine); empty for a sparse query.</summary>
    public required float[] Vector { get; init; }

    /// <summary>The sparse query vector when <see cref="VectorName"/> names a sparse vector, else null.</summary>
    public SparseVector? Sparse { get; init; }

    /// <summary>Number of hits to return.</summary>
    public int Limit { get; init; } = 10;

    /// <summary>Hits to skip first.</summary>
    public int Offset { get; init; }

    /// <summary>Worst score still returned (similarity floor, or distance ceiling for Euclid/Manhattan).</summary>
    public float? ScoreThreshold { get; init; }

    /// <summary>Payload filter, or null.</summary>
    public QueryFilter? Filter { get; init; }

    /// <summary><c>params</c>.</summary>
    public SearchParams Params { get; init; } = SearchParams.Default;

    /// <summary>The stored vectors returned.</summary>
    public WithVectors WithVector { get; init; }

    /// <summary>The vector searched (<c>using</c>, or the name of a named query vector; <c>""</c> for the unnamed one).</summary>
    public string VectorName { get; init; } = "";

    /// <summary>Point ids never returned (examples given by id).</summary>
    public IReadOnlyList<Points.PointId> ExcludeIds { get; init; } = [];

    /// <summary>This request with another page: <paramref name="limit"/> hits after skipping <paramref name="offset"/>.</summary>
    public SearchRequest Page(int limit, int offset) => new()
    {
        Vector = Vector, Sparse = Sparse, Limit = limit, Offset = offset, ScoreThreshold = ScoreThreshold, Filter = Filter, Params = Params,
        WithVector = WithVector, VectorName = VectorName, ExcludeIds = ExcludeIds,
    };

    /// <summary>This request returning <paramref name="withVector"/>.</summary>
    public SearchRequest WithVectors(WithVectors withVector) => new()
    {
        Vector = Vector, Sparse = Sparse, Limit = Limit, Offset = Offset, ScoreThreshold = ScoreThreshold, Filter = Filter, Params = Params,
        WithVector = withVector, VectorName = VectorName, ExcludeIds = ExcludeIds,
    };

    /// <summary>
    /// This request over <paramref name="filter"/> instead of its own filter; with <paramref name="exact"/>, scored
    /// exactly (the re-scoring of a query's prefetched candidates).
    /// </summary>
    public SearchRequest Over(QueryFilter? filter, bool exact) => new()
    {
        Vector = Vector, Sparse = Sparse, Limit = Limit, Offset = Offset, ScoreThreshold = ScoreThreshold, Filter = filter,
        Params = exact ? Params with { Exact = true, IgnoreQuantization = true } : Params, WithVector = WithVector, VectorName = VectorName, ExcludeIds = ExcludeIds,
    };
}
