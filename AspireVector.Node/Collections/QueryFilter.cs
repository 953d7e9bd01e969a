using System.Text.Json;
using AspireVector.Node.Filters;

namespace AspireVector.Node.Collections;

/// <summary>
/// A parsed payload filter together with its JSON text: the predicate runs on local shards, the JSON travels to
/// the peers holding remote ones (which parse it the same way).
/// </summary>
/// <param name="Predicate">Does a point pass?</param>
/// <param name="Json">The filter object as the client sent it.</param>
public sealed record QueryFilter(PointPredicate Predicate, string Json)
{
    /// <summary>Parses a filter object; a 400 <see cref="CollectionException"/> names what is wrong.</summary>
    public static QueryFilter Parse(JsonElement json)
    {
        if (!FilterParser.TryParse(json, out var filter, out var error))
            throw new CollectionException(400, error.StartsWith("Format error", StringComparison.Ordinal) ? error : "Format error in JSON body: " + error);
        return new QueryFilter(filter.MatchesPoint, json.GetRawText());
    }

    /// <summary>Parses a filter from its JSON text.</summary>
    public static QueryFilter Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Parse(doc.RootElement);
    }
}
