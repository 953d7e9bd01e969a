namespace AspireVector.Node.Index.Payload;

/// <summary>(value, offset) pairs kept in order for range lookups, with the reverse map for removal.</summary>
internal sealed class SortedValues<T> where T : struct, IComparable<T>
{
    private readonly SortedSet<(T Value, int Offset)> _sorted = new(Comparer<(T Value, int Offset)>.Create(
        static (a, b) => a.Value.CompareTo(b.Value) is var c && c != 0 ? c : a.Offset.CompareTo(b.Offset)));
    private readonly Dictionary<int, T[]> _pointValues = [];

    public int PointCount => _pointValues.Count;

    public void Add(int offset, List<T> values)
    {
        if (values.Count == 0) return;
        var distinct = values.Distinct().ToArray();
        _pointValues[offset] = distinct;
        foreach (var value in distinct) _sorted.Add((value, offset));
    }

    public void Remove(int offset)
    {
        if (!_pointValues.Remove(offset, out var values)) return;
        foreach (var value in values) _sorted.Remove((value, offset));
    }

    /// <summary>The points with a value in [<paramref name="low"/>, <paramref name="high"/>] that pass <paramref name="accept"/>.</summary>
    public HashSet<int> Between(T low, T high, Func<T, bool> accept)
    {
        var result = new HashSet<int>();
        if (low.CompareTo(high) > 0) return result;
        foreach (var (value, offset) in _sorted.GetViewBetween((low, int.MinValue), (high, int.MaxValue)))
            if (accept(value)) result.Add(offset);
        return result;
    }
}
