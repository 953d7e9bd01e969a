using System.Text.Json.Nodes;

namespace AspireVector.Node.Filters;

/// <summary><c>values_count</c>: bounds on how many values a field holds (an array counts its elements, a scalar 1, null 0).</summary>
public sealed record ValuesCount(long? Gt, long? Gte, long? Lt, long? Lte)
{
    /// <summary>True when <paramref name="count"/> satisfies every present bound.</summary>
    public bool Contains(long count) =>
        (Lt is not { } lt || count < lt) && (Gt is not { } gt || count > gt)
        && (Lte is not { } lte || count <= lte) && (Gte is not { } gte || count >= gte);

    /// <summary>Counts one selected value the way Qdrant does and checks the bounds.</summary>
    public bool ContainsCountOf(JsonNode? value) => Contains(value switch
    {
        null => 0,
        JsonArray array => array.Count,
        _ => 1,
    });
}
