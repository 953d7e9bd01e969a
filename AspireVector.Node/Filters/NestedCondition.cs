using System.Text.Json.Nodes;

namespace AspireVector.Node.Filters;

/// <summary>
/// <c>nested</c>: true when at least one object element of the array at <see cref="Key"/> satisfies the whole
/// inner <see cref="Filter"/> by itself (unlike <c>a[].b</c> conditions, which may be met by different elements).
/// </summary>
public sealed class NestedCondition(PayloadKey key, Filter filter) : Condition
{
    /// <summary>The array field as written in the request.</summary>
    public PayloadKey Key { get; } = key;

    /// <summary>The key with <c>[]</c> appended (how the elements are selected).</summary>
    public PayloadKey ArrayKey { get; } = key.ArrayKey();

    /// <summary>The filter each element is checked against, with keys relative to the element.</summary>
    public Filter Filter { get; } = filter;

    internal override bool Matches(in ConditionScope scope)
    {
        var prefix = scope.NestedPrefix is null ? ArrayKey : scope.NestedPrefix.Extend(ArrayKey);
        foreach (var element in ArrayKey.Select(scope.Payload))
        {
            if (element is not JsonObject obj) continue;
            if (Filter.Matches(new ConditionScope(null, obj, scope.TextFields, prefix))) return true;
        }
        return false;
    }
}
