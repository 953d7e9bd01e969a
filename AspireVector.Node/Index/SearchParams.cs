namespace AspireVector.Node.Index;

/// <summary>Per-request search parameters (<c>params</c> in Qdrant's search request).</summary>
public sealed record SearchParams
{
    public static readonly SearchParams Default = new();

    /// <summary><c>params.hnsw_ef</c>; null means the index default (max(limit, ef_construct-derived)).</summary>
    public int? HnswEf { get; init; }

    /// <summary><c>params.exact</c>: score every (matching) point, ignoring the graph.</summary>
    public bool Exact { get; init; }

    /// <summary><c>params.quantization.ignore</c>.</summary>
    public bool IgnoreQuantization { get; init; }

    /// <summary><c>params.quantization.rescore</c>; null means the index default.</summary>
    public bool? Rescore { get; init; }

    /// <summary><c>params.quantization.oversampling</c>; null means 1.0.</summary>
    public double? Oversampling { get; init; }
}
