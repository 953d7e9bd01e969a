namespace AspireVector.Node.Filters;

/// <summary><c>is_null</c>: true only when the field is present with an explicit JSON null.</summary>
public sealed class IsNullCondition(PayloadKey key) : Condition
{
    /// <summary>The field.</summary>
    public PayloadKey Key { get; } = key;

    internal override bool Matches(in ConditionScope scope)
    {
        foreach (var value in Key.Select(scope.Payload))
            if (value is null) return true;
        return false;
    }
}
