using System.Text.Json.Nodes;
using AspireVector.Node.Filters;

namespace AspireVector.Node.Index.Payload;

/// <summary>A <c>float</c> index: every number under the key (integers too) in an ordered set, serving <c>range</c>.</summary>
public sealed class FloatFieldIndex : PayloadFieldIndex
{
    private readonly SortedValues<double> _sorted = new();

    internal FloatFieldIndex(PayloadKey key, PayloadFieldSchema schema) : base(key, schema)
    {
    }

    private protected override void AddCore(int offset, List<JsonNode?> values)
    {
        var numbers = new List<double>(values.Count);
        foreach (var value in values)
            if (PayloadValue.TryGetDouble(value, out var d) && !double.IsNaN(d)) numbers.Add(d);
        _sorted.Add(offset, numbers);
    }

    private protected override void RemoveCore(int offset) => _sorted.Remove(offset);

    private protected override int CountPoints() => _sorted.PointCount;

    private protected override IReadOnlyCollection<int>? CandidatesCore(FieldCondition condition)
    {
        if (condition.Range is not { } range) return null;
        return _sorted.Between(range.Gte ?? range.Gt ?? double.NegativeInfinity, range.Lte ?? range.Lt ?? double.PositiveInfinity, range.Contains);
    }
}
