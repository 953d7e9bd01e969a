using System.Text.Json;
using System.Text.Json.Nodes;

namespace AspireVector.Node.Filters;

/// <summary>
/// <c>match.except</c>: a value that is none of the listed keywords or integers. As in Qdrant, null never matches,
/// and values of another type (booleans, objects, numbers against a keyword list, floats against an integer list)
/// always match.
/// </summary>
public sealed class MatchExcept : MatchCondition
{
    /// <summary>Rejects the keywords.</summary>
    public MatchExcept(IReadOnlySet<string> keywords) => Keywords = keywords;

    /// <summary>Rejects the integers.</summary>
    public MatchExcept(IReadOnlySet<long> integers) => Integers = integers;

    /// <summary>The rejected keywords, when the list holds strings.</summary>
    public IReadOnlySet<string>? Keywords { get; }

    /// <summary>The rejected integers, when the list holds integers.</summary>
    public IReadOnlySet<long>? Integers { get; }

    internal override bool MatchesValue(JsonNode? value, ITextMatcher? text)
    {
        if (value is null) return false;
        if (Keywords is not null && PayloadValue.TryGetString(value, out var s)) return !Keywords.Contains(s);
        if (Integers is not null && value.GetValueKind() == JsonValueKind.Number)
            return !PayloadValue.TryGetInteger(value, out var i) || !Integers.Contains(i);
        return true;
    }
}
