namespace AspireVector.Dashboard.Api.Models;

/// <summary>The parts of <c>GET /collections/{name}</c> (Qdrant's <c>CollectionInfo</c>) the dashboard shows.</summary>
public sealed record CollectionSummary
{
    /// <summary>Health colour: green, yellow, grey or red.</summary>
    public string Status { get; init; } = "";

    /// <summary>Approximate number of points.</summary>
    public ulong? PointsCount { get; init; }

    /// <summary>Vectors in the HNSW graph; below <see cref="PointsCount"/> while the background indexer catches up.</summary>
    public ulong? IndexedVectorsCount { get; init; }

    /// <summary>Collection configuration (only <c>params</c> is read).</summary>
    public CollectionConfigSummary? Config { get; init; }
}
