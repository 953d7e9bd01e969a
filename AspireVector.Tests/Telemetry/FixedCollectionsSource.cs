using AspireVector.Node.Telemetry;

namespace AspireVector.Tests.Telemetry;

/// <summary>A collections source with a fixed answer, standing in for the table of contents.</summary>
internal sealed class FixedCollectionsSource(params CollectionTelemetry[] collections) : ICollectionsTelemetrySource
{
    public IReadOnlyList<CollectionTelemetry> GetCollections() => collections;

    public static CollectionTelemetry Collection(string name, long points) =>
        new(name, points, new Dictionary<string, long> { [""] = points }, 1, 1, 0, 0, 0);
}
