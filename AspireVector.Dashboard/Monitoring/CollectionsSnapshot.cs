namespace AspireVector.Dashboard.Monitoring;

/// <summary>The collections page at one instant: the cluster it was read from and every collection.</summary>
/// <param name="Cluster">Cluster snapshot used for peer columns and reachability.</param>
/// <param name="Collections">Collections by name.</param>
/// <param name="Error">Why the collection list could not be read, else null.</param>
public sealed record CollectionsSnapshot(ClusterSnapshot Cluster, IReadOnlyList<CollectionView> Collections, string? Error);
