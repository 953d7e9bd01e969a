using AspireVector.Node.Index;
using AspireVector.Node.Index.Sparse;
using AspireVector.Node.Points;

namespace AspireVector.Node.Collections;

/// <summary>A read against one shard, as the coordinator sends it to a local or remote replica.</summary>
public sealed class ShardReadRequest
{
    /// <summary>What to do.</summary>
    public required ShardReadKind Kind { get; init; }

    /// <summary>Search: the query vector; discover: the target (both already normalised for Cosine).</summary>
    public float[]? Vector { get; init; }

    /// <summary>Search of a sparse vector: the query (the vector searched is <see cref="VectorName"/>).</summary>
    public SparseVector? Sparse { get; init; }

    /// <summary>Search: hits wanted (offset + limit); scroll: page size plus one.</summary>
    public int Limit { get; init; }

    /// <summary>Search: worst score still returned.</summary>
    public float? ScoreThreshold { get; init; }

    /// <summary>Search: hnsw_ef, exact, quantization.</summary>
    public SearchParams Params { get; init; } = SearchParams.Default;

    /// <summary>Search: a point id never returned (the query point of a query-by-id).</summary>
    public PointId? Exclude { get; init; }

    /// <summary>Scroll: the first id of the page.</summary>
    public PointId? Offset { get; init; }

    /// <summary>Retrieve: the ids wanted.</summary>
    public IReadOnlyList<PointId> Ids { get; init; } = [];

    /// <summary>Search, scroll, count: the payload filter.</summary>
    public QueryFilter? Filter { get; init; }

    /// <summary>The stored vectors returned.</summary>
    public WithVectors WithVector { get; init; }

    /// <summary>Search, recommend: the vector searched (<c>""</c> for the unnamed one).</summary>
    public string VectorName { get; init; } = "";

    /// <summary>Search, recommend: point ids never returned (the examples given by id).</summary>
    public IReadOnlyList<PointId> ExcludeIds { get; init; } = [];

    /// <summary>Recommend: the positive example vectors; discover, context: each pair's positive (normalised for Cosine).</summary>
    public IReadOnlyList<float[]> Positives { get; init; } = [];

    /// <summary>Recommend: the negative example vectors; discover, context: each pair's negative, in pair order (normalised for Cosine).</summary>
    public IReadOnlyList<float[]> Negatives { get; init; } = [];

    /// <summary>Recommend: how examples combine into a score (<see cref="RecommendStrategy.BestScore"/> or <see cref="RecommendStrategy.SumScores"/>).</summary>
    public RecommendStrategy Strategy { get; init; }

    /// <summary>Facet: the payload key whose values are counted.</summary>
    public string? FacetKey { get; init; }

    /// <summary>Facet: the type of the key's payload index (keyword, integer or bool): values of other types are not counted.</summary>
    public string? FacetType { get; init; }
}
