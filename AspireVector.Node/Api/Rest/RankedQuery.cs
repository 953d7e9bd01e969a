using AspireVector.Node.Collections;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// A read request reduced to "the points it ranks, best first": a page of <paramref name="limit"/> after
/// <paramref name="offset"/>. Plain endpoints ask for the client's page; the group endpoints for growing prefixes.
/// </summary>
public delegate Task<List<PointView>> RankedQuery(int limit, int offset, CancellationToken cancellationToken);

/// <summary>A parsed read: what ranks the points, the client's page and the payload selection.</summary>
/// <param name="Fetch">Runs the read.</param>
/// <param name="Limit">The client's <c>limit</c>.</param>
/// <param name="Offset">The client's <c>offset</c>.</param>
/// <param name="Payload">The client's <c>with_payload</c>.</param>
public sealed record RankedRequest(RankedQuery Fetch, int Limit, int Offset, PayloadSelector Payload)
{
    /// <summary>The client's page.</summary>
    public Task<List<PointView>> RunAsync(CancellationToken cancellationToken) => Fetch(Limit, Offset, cancellationToken);
}
