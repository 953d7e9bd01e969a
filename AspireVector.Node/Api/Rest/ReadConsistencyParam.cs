using AspireVector.Node.Collections;
using AspireVector.Node.Sharding;

namespace AspireVector.Node.Api.Rest;

/// <summary>The <c>?consistency=</c> query parameter of read endpoints.</summary>
public static class ReadConsistencyParam
{
    /// <summary>
    /// Reads <c>consistency</c> (a number from 1, <c>majority</c>, <c>quorum</c> or <c>all</c>); 400 when malformed, in
    /// the words of Qdrant's query deserializer (its parameter is an untagged enum of a factor and a type).
    /// </summary>
    public static ReadConsistency Read(HttpContext context) =>
        ReadConsistency.TryParse(context.Request.Query["consistency"].ToString(), out var consistency, out _)
            ? consistency
            : throw QueryParameters.DeserializeError("data did not match any variant of untagged enum ReadConsistency");
}
