namespace AspireVector.Tests.Api.Rest;

/// <summary>A node with a 1 MB request size limit (<c>service.max_request_size_mb</c>).</summary>
public sealed class SmallBodyRestNode() : RestNode(o => o.Service.MaxRequestSizeMb = 1);
