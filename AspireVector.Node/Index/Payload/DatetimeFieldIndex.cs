using System.Text.Json.Nodes;
using AspireVector.Node.Filters;

namespace AspireVector.Node.Index.Payload;

/// <summary>A <c>datetime</c> index: instants (UTC ticks) of datetime strings under the key, serving datetime <c>range</c>.</summary>
public sealed class DatetimeFieldIndex : PayloadFieldIndex
{
    private readonly SortedValues<long> _sorted = new();

    internal DatetimeFieldIndex(PayloadKey key, PayloadFieldSchema schema) : base(key, schema)
    {
    }

    private protected override void AddCore(int offset, List<JsonNode?> values)
    {
        var instants = new List<long>(values.Count);
        foreach (var value in values)
            if (PayloadValue.TryGetString(value, out var s) && DatetimeParser.TryParseUtcTicks(s, out var ticks)) instants.Add(ticks);
        _sorted.Add(offset, instants);
    }

    private protected override void RemoveCore(int offset) => _sorted.Remove(offset);

    private protected override int CountPoints() => _sorted.PointCount;

    private protected override IReadOnlyCollection<int>? CandidatesCore(FieldCondition condition)
    {
        if (condition.DatetimeRange is not { } range) return null;
        return _sorted.Between(range.Gte ?? range.Gt ?? long.MinValue, range.Lte ?? range.Lt ?? long.MaxValue, range.Contains);
    }
}
