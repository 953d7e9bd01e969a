namespace AspireVector.Node.Filters;

/// <summary>
/// <c>has_vector</c>: the point holds the vector named <see cref="Name"/> (<c>""</c> for the unnamed one); false
/// inside <c>nested</c> and wherever the point's vectors are not at hand.
/// </summary>
public sealed class HasVectorCondition(string name) : Condition
{
    /// <summary>The vector name.</summary>
    public string Name { get; } = name;

    internal override bool Matches(in ConditionScope scope) => scope.Vectors is { } vectors && vectors.HasVector(scope.Offset, Name);
}
