using System.Text.Json.Nodes;
using AspireVector.Node.Filters;

namespace AspireVector.Node.Index.Payload;

/// <summary>A <c>keyword</c> index: postings of exact strings, serving <c>match.value</c> and <c>match.any</c> on strings.</summary>
public sealed class KeywordFieldIndex : PayloadFieldIndex
{
    private readonly PostingLists<string> _postings = new(StringComparer.Ordinal);

    internal KeywordFieldIndex(PayloadKey key, PayloadFieldSchema schema) : base(key, schema)
    {
    }

    private protected override void AddCore(int offset, List<JsonNode?> values)
    {
        var strings = new List<string>(values.Count);
        foreach (var value in values)
            if (PayloadValue.TryGetString(value, out var s)) strings.Add(s);
        _postings.Add(offset, strings);
    }

    private protected override void RemoveCore(int offset) => _postings.Remove(offset);

    private protected override int CountPoints() => _postings.PointCount;

    private protected override IReadOnlyCollection<int>? CandidatesCore(FieldCondition condition) => condition.Match switch
    {
        MatchValue { Kind: MatchValueKind.Keyword } value => _postings.Union([value.Keyword!]),
        MatchAny { Keywords: { } keywords } => _postings.Union(keywords),
        _ => null,
    };
}
