using System.Text.Json.Nodes;
using AspireVector.Node.Points;

namespace AspireVector.Node.Filters;

/// <summary>
/// What a condition is evaluated against: the point id (absent inside <c>nested</c>, where Qdrant makes
/// <c>has_id</c> false), the payload object, the full-text fields whose index changes <c>match.text</c>, and the
/// point's vectors (its segment and offset, for <c>has_vector</c>; absent inside <c>nested</c>).
/// </summary>
internal readonly record struct ConditionScope(PointId? Id, JsonObject Payload, ITextFieldLookup? TextFields, PayloadKey? NestedPrefix,
    IPointVectors? Vectors = null, int Offset = -1)
{
    /// <summary>The text matcher for <paramref name="key"/> (seen from the top of the payload), when indexed.</summary>
    public ITextMatcher? TextMatcherFor(PayloadKey key)
    {
        if (TextFields is null) return null;
        return TextFields.TextMatcherFor(NestedPrefix is null ? key : NestedPrefix.Extend(key));
    }
}
