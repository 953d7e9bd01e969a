namespace AspireVector.Node.Telemetry;

/// <summary>
/// Implemented by the collections layer (table of contents) and registered as a singleton; read by
/// <see cref="NodeMetrics"/> when <c>/metrics</c> is scraped. Without one, the node reports zero collections.
/// </summary>
/// <remarks>
/// Called on the scrape thread, concurrently with writes: return a consistent-enough snapshot without
/// blocking writers for long. Resolved lazily, so the implementation may itself depend on <see cref="NodeMetrics"/>.
/// </remarks>
public interface ICollectionsTelemetrySource
{
    /// <summary>One entry per collection this peer knows.</summary>
    IReadOnlyList<CollectionTelemetry> GetCollections();
}
