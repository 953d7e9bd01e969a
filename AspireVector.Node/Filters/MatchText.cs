using System.Text.Json.Nodes;

namespace AspireVector.Node.Filters;

/// <summary>
/// <c>match.text</c>, <c>match.text_any</c> and <c>match.phrase</c>. Without a full-text index on the field Qdrant
/// checks substrings (<c>text</c>, <c>phrase</c>: the stored string contains the query; <c>text_any</c>: contains
/// one of its whitespace-separated words); with an index the index's tokens decide.
/// </summary>
public sealed class MatchText(TextMatchKind kind, string text) : MatchCondition
{
    /// <summary>Which text match this is.</summary>
    public TextMatchKind Kind { get; } = kind;

    /// <summary>The query text.</summary>
    public string Text { get; } = text;

    internal override bool MatchesValue(JsonNode? value, ITextMatcher? text)
    {
        if (!PayloadValue.TryGetString(value, out var stored)) return false;
        if (text is not null) return text.Matches(stored, this);
        if (Kind != TextMatchKind.TextAny) return stored.Contains(Text, StringComparison.Ordinal);
        foreach (var word in Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            if (stored.Contains(word, StringComparison.Ordinal)) return true;
        return false;
    }
}
