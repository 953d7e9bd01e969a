using System.Text.Json.Nodes;

namespace AspireVector.Node.Filters;

/// <summary>The <c>match</c> part of a field condition (Qdrant's <c>Match</c>): value, any, except or text.</summary>
public abstract class MatchCondition
{
    private protected MatchCondition()
    {
    }

    /// <summary>Checks one (non-array) payload value; <paramref name="text"/> is the field's full-text matcher, if any.</summary>
    internal abstract bool MatchesValue(JsonNode? value, ITextMatcher? text);
}
