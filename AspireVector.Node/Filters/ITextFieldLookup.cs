namespace AspireVector.Node.Filters;

/// <summary>
/// Finds the full-text index of a payload field. In Qdrant a full-text index changes what <c>match.text</c> means
/// for that field (token containment instead of substring), so evaluation must consult it.
/// </summary>
public interface ITextFieldLookup
{
    /// <summary>The matcher of the full-text index on <paramref name="key"/>; null when the field has none.</summary>
    ITextMatcher? TextMatcherFor(PayloadKey key);
}
