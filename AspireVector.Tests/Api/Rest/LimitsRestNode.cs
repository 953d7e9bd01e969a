namespace AspireVector.Tests.Api.Rest;

/// <summary>A node with small limits, so each can be crossed cheaply: 1 MB bodies, limit 50, 20 points a batch,
/// 3 collections, 64 dimensions.</summary>
public sealed class LimitsRestNode() : RestNode(o =>
{
    o.Service.MaxRequestSizeMb = 1;
    o.Service.MaxSearchLimit = 50;
    o.Service.MaxBatchSize = 20;
    o.Storage.MaxCollections = 3;
    o.Storage.MaxVectorDimension = 64;
});
