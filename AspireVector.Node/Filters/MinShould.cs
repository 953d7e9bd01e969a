namespace AspireVector.Node.Filters;

/// <summary><c>min_should</c>: at least <see cref="MinCount"/> of <see cref="Conditions"/> must match.</summary>
public sealed record MinShould(IReadOnlyList<Condition> Conditions, int MinCount);
