using System.Text.Json.Nodes;
using AspireVector.Node.Filters;

namespace AspireVector.Node.Index.Payload;

/// <summary>A <c>bool</c> index: the points holding <c>true</c> and those holding <c>false</c>.</summary>
public sealed class BoolFieldIndex : PayloadFieldIndex
{
    private readonly PostingLists<bool> _postings = new();

    internal BoolFieldIndex(PayloadKey key, PayloadFieldSchema schema) : base(key, schema)
    {
    }

    private protected override void AddCore(int offset, List<JsonNode?> values)
    {
        var flags = new List<bool>(2);
        foreach (var value in values)
            if (PayloadValue.TryGetBool(value, out var b)) flags.Add(b);
        _postings.Add(offset, flags);
    }

    private protected override void RemoveCore(int offset) => _postings.Remove(offset);

    private protected override int CountPoints() => _postings.PointCount;

    private protected override IReadOnlyCollection<int>? CandidatesCore(FieldCondition condition) =>
        condition.Match is MatchValue { Kind: MatchValueKind.Bool } value ? _postings.Union([value.Bool]) : null;
}
