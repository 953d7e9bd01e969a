using System.Text.Json.Nodes;
using AspireVector.Node.Points;

namespace AspireVector.Node.Filters;

/// <summary>
/// What a condition is evaluated against: the point id (absent inside <c>nested</c>, where Qdrant makes
/// <c>has_id</c> false), the payload object, and the full-text fields whose index changes <c>match.text</c>.
/// </summary>
internal readonly record struct ConditionScope(PointId? Id, JsonObject Payload, ITextFieldLookup? TextFields, PayloadKey? NestedPrefix)
{
    /// <summary>The text matcher for <paramref name="key"/> (seen from the top of the payload), when indexed.</summary>
    public ITextMatcher? TextMatcherFor(PayloadKey key)
    {
        if (TextFields is null) return null;
        return TextFields.TextMatcherFor(NestedPrefix is null ? key : NestedPrefix.Extend(key));
    }
}
