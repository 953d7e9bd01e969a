namespace AspireVector.Node.Filters;

/// <summary><c>is_empty</c>: true when the field is missing, null or <c>[]</c> (every selected value is).</summary>
public sealed class IsEmptyCondition(PayloadKey key) : Condition
{
    /// <summary>The field.</summary>
    public PayloadKey Key { get; } = key;

    internal override bool Matches(in ConditionScope scope)
    {
        var values = Key.Select(scope.Payload);
        foreach (var value in values)
        {
            if (value is null) continue;
            if (value is System.Text.Json.Nodes.JsonArray { Count: 0 }) continue;
            return false;
        }
        return true;
    }
}
