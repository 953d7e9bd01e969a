using System.Text.Json.Nodes;
using AspireVector.Node.Filters;

namespace AspireVector.Node.Index.Payload;

/// <summary>
/// An <c>integer</c> index: postings for <c>match.value</c>/<c>match.any</c> (param <c>lookup</c>) and an ordered
/// set for <c>range</c> (param <c>range</c>). Non-integral numbers under the key are remembered so a range answer
/// stays a superset (Qdrant's range also matches them).
/// </summary>
public sealed class IntegerFieldIndex : PayloadFieldIndex
{
    private readonly PostingLists<long> _postings = new();
    private readonly SortedValues<long> _sorted = new();
    private readonly HashSet<int> _otherNumbers = [];
    private readonly bool _lookup;
    private readonly bool _range;

    internal IntegerFieldIndex(PayloadKey key, PayloadFieldSchema schema) : base(key, schema)
    {
        _lookup = schema.BoolParam("lookup", true);
        _range = schema.BoolParam("range", true);
    }

    private protected override void AddCore(int offset, List<JsonNode?> values)
    {
        var integers = new List<long>(values.Count);
        foreach (var value in values)
        {
            if (PayloadValue.TryGetInteger(value, out var i)) integers.Add(i);
            else if (PayloadValue.TryGetDouble(value, out _)) _otherNumbers.Add(offset);
        }
        _postings.Add(offset, integers);
        _sorted.Add(offset, integers);
    }

    private protected override void RemoveCore(int offset)
    {
        _postings.Remove(offset);
        _sorted.Remove(offset);
        _otherNumbers.Remove(offset);
    }

    private protected override int CountPoints() => _postings.PointCount;

    private protected override IReadOnlyCollection<int>? CandidatesCore(FieldCondition condition)
    {
        if (_lookup)
        {
            switch (condition.Match)
            {
                case MatchValue { Kind: MatchValueKind.Integer } value: return _postings.Union([value.Integer]);
                case MatchAny { Integers: { } integers }: return _postings.Union(integers);
            }
        }
        if (_range && condition.Range is { } range)
        {
            var low = range.Gte ?? range.Gt ?? double.NegativeInfinity;
            var high = range.Lte ?? range.Lt ?? double.PositiveInfinity;
            var result = _sorted.Between(ClampToLong(Math.Floor(low)), ClampToLong(Math.Ceiling(high)), v => range.Contains(v));
            result.UnionWith(_otherNumbers);
            return result;
        }
        return null;
    }

    private static long ClampToLong(double d) => d <= long.MinValue ? long.MinValue : d >= long.MaxValue ? long.MaxValue : (long)d;
}
