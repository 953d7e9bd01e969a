namespace AspireVector.Dashboard.Api.Models;

/// <summary>The <c>config</c> object of a collection, reduced to what the dashboard shows.</summary>
public sealed record CollectionConfigSummary
{
    /// <summary>Sharding and replication parameters.</summary>
    public CollectionParamsSummary? Params { get; init; }
}
