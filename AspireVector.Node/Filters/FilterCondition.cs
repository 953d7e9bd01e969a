namespace AspireVector.Node.Filters;

/// <summary>A whole filter used as a condition (<c>{"must": [...]}</c> inside a clause).</summary>
public sealed class FilterCondition(Filter filter) : Condition
{
    /// <summary>The inner filter.</summary>
    public Filter Filter { get; } = filter;

    internal override bool Matches(in ConditionScope scope) => Filter.Matches(scope);
}
