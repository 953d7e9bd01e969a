namespace AspireVector.Node.Filters;

/// <summary>The JSON type of a <c>match.value</c>.</summary>
public enum MatchValueKind
{
    /// <summary>A string: equals a stored string.</summary>
    Keyword,

    /// <summary>An integer: equals a stored integral number.</summary>
    Integer,

    /// <summary>A boolean: equals a stored boolean.</summary>
    Bool,
}
