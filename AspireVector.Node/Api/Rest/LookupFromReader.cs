using System.Text.Json;
using AspireVector.Node.Collections;

namespace AspireVector.Node.Api.Rest;

/// <summary>
/// Qdrant's <c>lookup_from</c> (<c>{"collection", "vector"}</c>) of recommend, discover and query requests: examples
/// given by id are read from another collection.
/// </summary>
public static class LookupFromReader
{
    /// <summary>
    /// The request's <c>lookup_from</c>, or null when absent: 404 when the collection does not exist, 400 when it has
    /// no such vector or when that vector's dimension is not the one of <paramref name="usingName"/>, the vector searched.
    /// </summary>
    /// <param name="body">The request (or query stage) holding <c>lookup_from</c>.</param>
    /// <param name="toc">Where the collection is found (names and aliases).</param>
    /// <param name="target">The collection searched.</param>
    /// <param name="usingName">The vector searched.</param>
    /// <param name="endpoint">
    /// True for the recommend and discover endpoints, false for the query API. As in Qdrant, the endpoints read the
    /// unnamed vector when <c>vector</c> is absent and leave the looked-up ids out of the results; the query API reads
    /// <paramref name="usingName"/> and leaves them out only when they are ids of <paramref name="target"/>.
    /// </param>
    public static VectorLookup? Read(JsonElement body, TableOfContents toc, Collection target, string usingName, bool endpoint)
    {
        if (!body.TryGetProperty("lookup_from", out var lookup) || lookup.ValueKind == JsonValueKind.Null) return null;
        if (lookup.ValueKind != JsonValueKind.Object)
            throw CollectionException.BadJson($"invalid type for `lookup_from`: expected an object {{\"collection\", \"vector\"}}, got {lookup.GetRawText()}");
        if (!lookup.TryGetProperty("collection", out var name)) throw CollectionException.BadJson("missing field `collection` at `lookup_from`");
        if (name.ValueKind != JsonValueKind.String)
            throw CollectionException.BadJson($"invalid type for `lookup_from.collection`: expected a collection name string, got {name.GetRawText()}");
        string vector = SearchRequestReader.VectorName(lookup, "vector", "lookup_from.vector") ?? (endpoint ? "" : usingName);
        return VectorLookup.Of(toc.Get(name.GetString()!), vector, target, usingName, excludeIds: endpoint);
    }
}
