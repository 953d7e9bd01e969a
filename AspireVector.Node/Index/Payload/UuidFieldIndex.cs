using System.Text.Json.Nodes;
using AspireVector.Node.Filters;

namespace AspireVector.Node.Index.Payload;

/// <summary>
/// A <c>uuid</c> index: postings keyed by the parsed UUID (16 bytes instead of a string per value), serving
/// <c>match.value</c>/<c>match.any</c> when the queried strings are UUIDs.
/// </summary>
public sealed class UuidFieldIndex : PayloadFieldIndex
{
    private readonly PostingLists<Guid> _postings = new();

    internal UuidFieldIndex(PayloadKey key, PayloadFieldSchema schema) : base(key, schema)
    {
    }

    private protected override void AddCore(int offset, List<JsonNode?> values)
    {
        var uuids = new List<Guid>(values.Count);
        foreach (var value in values)
            if (PayloadValue.TryGetString(value, out var s) && Guid.TryParse(s, out var g)) uuids.Add(g);
        _postings.Add(offset, uuids);
    }

    private protected override void RemoveCore(int offset) => _postings.Remove(offset);

    private protected override int CountPoints() => _postings.PointCount;

    private protected override IReadOnlyCollection<int>? CandidatesCore(FieldCondition condition)
    {
        switch (condition.Match)
        {
            case MatchValue { Kind: MatchValueKind.Keyword } value:
                return Guid.TryParse(value.Keyword, out var g) ? _postings.Union([g]) : null;
            case MatchAny { Keywords: { } keywords }:
                var uuids = new List<Guid>(keywords.Count);
                foreach (var keyword in keywords)
                {
                    // A non-UUID string can only equal a non-UUID stored string, which this index does not hold.
                    if (!Guid.TryParse(keyword, out var u)) return null;
                    uuids.Add(u);
                }
                return _postings.Union(uuids);
            default:
                return null;
        }
    }
}
