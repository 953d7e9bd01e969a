namespace AspireVector.Node.Index.Hnsw;

/// <summary>
/// Per-thread scratch state for searches and inserts (visited marks, heaps, candidate buffers, query copy),
/// reused across calls so the hot path does not allocate once it is warm.
/// </summary>
public sealed unsafe class SearchContext
{
    [ThreadStatic]
    private static SearchContext? t_current;

    private float[] _query = [];

    /// <summary>The calling thread's context.</summary>
    public static SearchContext Current => t_current ??= new SearchContext();

    public VisitedSet Visited { get; } = new();

    /// <summary>Candidates to expand, closest first.</summary>
    public DistanceHeap Candidates { get; } = new();

    /// <summary>Best results so far, keyed by negated distance so the farthest is on top.</summary>
    public DistanceHeap Results { get; } = new();

    /// <summary>Offsets already offered while merging graph hits with queued (unlinked) offsets.</summary>
    public HashSet<int> Seen { get; } = [];

    /// <summary>Nodes of an ordered candidate list (closest first).</summary>
    public int[] Nodes { get; private set; } = new int[256];

    /// <summary>Distances matching <see cref="Nodes"/>.</summary>
    public float[] Distances { get; private set; } = new float[256];

    /// <summary>Nodes chosen by neighbour selection.</summary>
    public int[] Selected { get; private set; } = new int[256];

    /// <summary>Distances matching <see cref="Selected"/>.</summary>
    public float[] SelectedDistances { get; private set; } = new float[256];

    /// <summary>Quantized query code buffer.</summary>
    public byte[] Code { get; private set; } = [];

    /// <summary>Makes the ordered buffers hold at least <paramref name="count"/> entries.</summary>
    public void EnsureBuffers(int count)
    {
        if (Nodes.Length >= count) return;
        int size = Math.Max(count, Nodes.Length * 2);
        Nodes = new int[size];
        Distances = new float[size];
        Selected = new int[size];
        SelectedDistances = new float[size];
    }

    /// <summary>Returns a buffer of at least <paramref name="length"/> bytes for a quantized query.</summary>
    public byte[] CodeBuffer(int length)
    {
        if (Code.Length < length) Code = new byte[length];
        return Code;
    }

    /// <summary>
    /// Copies <paramref name="query"/> into a pinned per-thread buffer and returns its address, so scorers can
    /// hold a raw pointer without pinning the caller's memory.
    /// </summary>
    public float* PinQuery(ReadOnlySpan<float> query)
    {
        if (_query.Length < query.Length) _query = GC.AllocateArray<float>(Math.Max(query.Length, 16), pinned: true);
        query.CopyTo(_query);
        return (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _query[0]);
    }

    /// <summary>
    /// Drains <see cref="Results"/> into <see cref="Nodes"/>/<see cref="Distances"/> ordered closest first and
    /// returns how many there were.
    /// </summary>
    public int DrainResultsAscending()
    {
        int count = Results.Count;
        EnsureBuffers(count);
        for (int i = count - 1; i >= 0; i--)
        {
            Nodes[i] = Results.TopNode;
            Distances[i] = -Results.TopKey;
            Results.Pop();
        }
        return count;
    }
}
