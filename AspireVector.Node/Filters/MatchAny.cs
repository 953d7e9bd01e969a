using System.Text.Json.Nodes;

namespace AspireVector.Node.Filters;

/// <summary><c>match.any</c>: the value equals one of a list of keywords or of integers.</summary>
public sealed class MatchAny : MatchCondition
{
    /// <summary>Matches any of the keywords (an empty list matches nothing).</summary>
    public MatchAny(IReadOnlySet<string> keywords) => Keywords = keywords;

    /// <summary>Matches any of the integers.</summary>
    public MatchAny(IReadOnlySet<long> integers) => Integers = integers;

    /// <summary>The keywords, when the list holds strings.</summary>
    public IReadOnlySet<string>? Keywords { get; }

    /// <summary>The integers, when the list holds integers.</summary>
    public IReadOnlySet<long>? Integers { get; }

    internal override bool MatchesValue(JsonNode? value, ITextMatcher? text)
    {
        if (Keywords is not null) return PayloadValue.TryGetString(value, out var s) && Keywords.Contains(s);
        return PayloadValue.TryGetInteger(value, out var i) && Integers!.Contains(i);
    }
}
