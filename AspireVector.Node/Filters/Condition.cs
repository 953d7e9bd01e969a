namespace AspireVector.Node.Filters;

/// <summary>One condition of a <see cref="Filter"/> clause (Qdrant's <c>Condition</c>).</summary>
public abstract class Condition
{
    private protected Condition()
    {
    }

    internal abstract bool Matches(in ConditionScope scope);
}
