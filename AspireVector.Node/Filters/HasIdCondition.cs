using AspireVector.Node.Points;

namespace AspireVector.Node.Filters;

/// <summary><c>has_id</c>: the point's id is one of <see cref="Ids"/> (never true inside <c>nested</c>).</summary>
public sealed class HasIdCondition(IReadOnlySet<PointId> ids) : Condition
{
    /// <summary>The accepted ids.</summary>
    public IReadOnlySet<PointId> Ids { get; } = ids;

    internal override bool Matches(in ConditionScope scope) => scope.Id is { } id && Ids.Contains(id);
}
