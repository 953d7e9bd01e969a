namespace AspireVector.Node.Filters;

/// <summary>The kinds of step in a payload key path.</summary>
public enum PayloadKeyItemKind
{
    /// <summary>An object key, written <c>.name</c> or <c>."quoted name"</c>.</summary>
    Key,

    /// <summary>One array element, written <c>[i]</c>.</summary>
    Index,

    /// <summary>All array elements, written <c>[]</c>.</summary>
    Wildcard,
}
