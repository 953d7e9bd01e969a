namespace AspireVector.Node.Collections;

/// <summary>The kinds of alias change Qdrant's <c>actions</c> list holds.</summary>
public enum AliasActionKind
{
    /// <summary><c>create_alias</c>: points an alias at a collection (replacing where it pointed before).</summary>
    Create,

    /// <summary><c>delete_alias</c>: removes an alias if it exists.</summary>
    Delete,

    /// <summary><c>rename_alias</c>: gives an existing alias a new name.</summary>
    Rename,
}
