using System.Text.Json.Nodes;

namespace AspireVector.Node.Filters;

/// <summary><c>match.value</c>: exact equality with a keyword, an integer or a boolean.</summary>
public sealed class MatchValue : MatchCondition
{
    private MatchValue(MatchValueKind kind, string? keyword, long integer, bool boolean)
    {
        Kind = kind;
        Keyword = keyword;
        Integer = integer;
        Bool = boolean;
    }

    /// <summary>Which of the values applies.</summary>
    public MatchValueKind Kind { get; }

    /// <summary>The string for <see cref="MatchValueKind.Keyword"/>.</summary>
    public string? Keyword { get; }

    /// <summary>The integer for <see cref="MatchValueKind.Integer"/>.</summary>
    public long Integer { get; }

    /// <summary>The boolean for <see cref="MatchValueKind.Bool"/>.</summary>
    public bool Bool { get; }

    /// <summary>Matches a string.</summary>
    public static MatchValue OfKeyword(string keyword) => new(MatchValueKind.Keyword, keyword, 0, false);

    /// <summary>Matches an integer.</summary>
    public static MatchValue OfInteger(long integer) => new(MatchValueKind.Integer, null, integer, false);

    /// <summary>Matches a boolean.</summary>
    public static MatchValue OfBool(bool value) => new(MatchValueKind.Bool, null, 0, value);

    internal override bool MatchesValue(JsonNode? value, ITextMatcher? text) => Kind switch
    {
        MatchValueKind.Keyword => PayloadValue.TryGetString(value, out var s) && s == Keyword,
        MatchValueKind.Integer => PayloadValue.TryGetInteger(value, out var i) && i == Integer,
        _ => PayloadValue.TryGetBool(value, out var b) && b == Bool,
    };
}
