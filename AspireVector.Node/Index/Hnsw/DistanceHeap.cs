using System.Runtime.CompilerServices;

namespace AspireVector.Node.Index.Hnsw;

/// <summary>
/// Binary min-heap of (key, node) pairs over reusable arrays. A max-heap is the same heap fed negated keys,
/// which keeps one implementation for both the candidate queue and the bounded result set.
/// </summary>
/// <remarks>Not thread-safe; each searching thread owns its heaps through <see cref="SearchContext"/>.</remarks>
public sealed class DistanceHeap
{
    private float[] _keys;
    private int[] _nodes;

    public DistanceHeap(int capacity = 256)
    {
        _keys = new float[capacity];
        _nodes = new int[capacity];
    }

    /// <summary>Entries in the heap.</summary>
    public int Count { get; private set; }

    /// <summary>Smallest key.</summary>
    public float TopKey
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _keys[0];
    }

    /// <summary>Node of the smallest key.</summary>
    public int TopNode
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _nodes[0];
    }

    public void Clear() => Count = 0;

    /// <summary>Adds an entry.</summary>
    public void Push(float key, int node)
    {
        if (Count == _keys.Length) Grow();
        int i = Count++;
        var keys = _keys;
        var nodes = _nodes;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (keys[parent] <= key) break;
            keys[i] = keys[parent];
            nodes[i] = nodes[parent];
            i = parent;
        }
        keys[i] = key;
        nodes[i] = node;
    }

    /// <summary>Removes the smallest entry.</summary>
    public void Pop()
    {
        int last = --Count;
        if (last == 0) return;
        SiftDown(_keys[last], _nodes[last], last);
    }

    /// <summary>
    /// Replaces the smallest entry by (<paramref name="key"/>, <paramref name="node"/>): the same heap as
    /// <see cref="Push"/> then <see cref="Pop"/>, with one sift instead of two. The bounded result set does this
    /// for every closer node it finds once full.
    /// </summary>
    public void ReplaceTop(float key, int node) => SiftDown(key, node, Count);

    /// <summary>Places (key, node) from the root down within the first <paramref name="count"/> slots.</summary>
    private void SiftDown(float key, int node, int count)
    {
        var keys = _keys;
        var nodes = _nodes;
        int i = 0;
        while (true)
        {
            int child = (i << 1) + 1;
            if (child >= count) break;
            if (child + 1 < count && keys[child + 1] < keys[child]) child++;
            if (keys[child] >= key) break;
            keys[i] = keys[child];
            nodes[i] = nodes[child];
            i = child;
        }
        keys[i] = key;
        nodes[i] = node;
    }

    private void Grow()
    {
        Array.Resize(ref _keys, _keys.Length * 2);
        Array.Resize(ref _nodes, _nodes.Length * 2);
    }
}
