namespace AspireVector.Node.Index.Sparse;

/// <summary>
/// The points holding one dimension of a sparse vector index, with their weights, in ascending offset order. New
/// points get growing offsets, so an upsert appends; re-writing an older point inserts in place.
/// </summary>
internal sealed class PostingList
{
    private int[] _offsets = new int[4];
    private float[] _weights = new float[4];

    /// <summary>Points in the list (the dimension's document frequency).</summary>
    public int Count { get; private set; }

    /// <summary>The offsets, ascending.</summary>
    public ReadOnlySpan<int> Offsets => _offsets.AsSpan(0, Count);

    /// <summary>The weight of each offset.</summary>
    public ReadOnlySpan<float> Weights => _weights.AsSpan(0, Count);

    /// <summary>Adds (or re-weights) <paramref name="offset"/>.</summary>
    public void Set(int offset, float weight)
    {
        int at = Count > 0 && _offsets[Count - 1] < offset ? ~Count : Array.BinarySearch(_offsets, 0, Count, offset);
        if (at >= 0)
        {
            _weights[at] = weight;
            return;
        }

        at = ~at;
        if (Count == _offsets.Length)
        {
            Array.Resize(ref _offsets, Count * 2);
            Array.Resize(ref _weights, Count * 2);
        }

        if (at < Count)
        {
            Array.Copy(_offsets, at, _offsets, at + 1, Count - at);
            Array.Copy(_weights, at, _weights, at + 1, Count - at);
        }

        _offsets[at] = offset;
        _weights[at] = weight;
        Count++;
    }

    /// <summary>Removes <paramref name="offset"/> when present.</summary>
    public void Remove(int offset)
    {
        int at = Array.BinarySearch(_offsets, 0, Count, offset);
        if (at < 0) return;
        Array.Copy(_offsets, at + 1, _offsets, at, Count - at - 1);
        Array.Copy(_weights, at + 1, _weights, at, Count - at - 1);
        Count--;
    }
}
