namespace AspireVector.Node.Index.Payload;

/// <summary>Value → offsets postings with the reverse map needed to remove a point's values.</summary>
internal sealed class PostingLists<T> where T : notnull
{
    private readonly Dictionary<T, HashSet<int>> _postings;
    private readonly Dictionary<int, T[]> _pointValues = [];

    public PostingLists(IEqualityComparer<T>? comparer = null) => _postings = new Dictionary<T, HashSet<int>>(comparer);

    public int PointCount => _pointValues.Count;

    public void Add(int offset, List<T> values)
    {
        if (values.Count == 0) return;
        var distinct = values.Distinct(_postings.Comparer).ToArray();
        _pointValues[offset] = distinct;
        foreach (var value in distinct)
        {
            if (!_postings.TryGetValue(value, out var set)) _postings[value] = set = [];
            set.Add(offset);
        }
    }

    public void Remove(int offset)
    {
        if (!_pointValues.Remove(offset, out var values)) return;
        foreach (var value in values)
        {
            if (!_postings.TryGetValue(value, out var set)) continue;
            set.Remove(offset);
            if (set.Count == 0) _postings.Remove(value);
        }
    }

    /// <summary>How many points hold <paramref name="value"/>.</summary>
    public int Count(T value) => _postings.TryGetValue(value, out var set) ? set.Count : 0;

    /// <summary>A copy of the points holding any of <paramref name="values"/>.</summary>
    public HashSet<int> Union(IEnumerable<T> values)
    {
        var result = new HashSet<int>();
        foreach (var value in values)
            if (_postings.TryGetValue(value, out var set)) result.UnionWith(set);
        return result;
    }

    /// <summary>A copy of the points holding all of <paramref name="values"/> (empty for no values).</summary>
    public HashSet<int> Intersection(IReadOnlyList<T> values)
    {
        if (values.Count == 0) return [];
        HashSet<int>? smallest = null;
        foreach (var value in values)
        {
            if (!_postings.TryGetValue(value, out var set)) return [];
            if (smallest is null || set.Count < smallest.Count) smallest = set;
        }
        var result = new HashSet<int>(smallest!);
        foreach (var value in values) result.IntersectWith(_postings[value]);
        return result;
    }
}
