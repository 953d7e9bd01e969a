namespace AspireVector.Node.Filters;

/// <summary>The full-text flavours of <c>match</c>.</summary>
public enum TextMatchKind
{
    /// <summary><c>match.text</c>: all query tokens present (substring without a full-text index).</summary>
    Text,

    /// <summary><c>match.text_any</c>: at least one query token present.</summary>
    TextAny,

    /// <summary><c>match.phrase</c>: the query tokens present consecutively, in order.</summary>
    Phrase,
}
