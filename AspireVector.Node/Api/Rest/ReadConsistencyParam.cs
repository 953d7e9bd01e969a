using AspireVector.Node.Collections;
using AspireVector.Node.Sharding;

namespace AspireVector.Node.Api.Rest;

/// <summary>The <c>?consistency=</c> query parameter of read endpoints.</summary>
public static class ReadConsistencyParam
{
    /// <summary>Reads <c>consistency</c> (a number, <c>majority</c>, <c>quorum</c> or <c>all</c>); 400 when malformed.</summary>
    public static ReadConsistency Read(HttpContext context) =>
        ReadConsistency.TryParse(context.Request.Query["consistency"].ToString(), out var consistency, out var error)
            ? consistency
            : throw new CollectionException(400, error);
}
