using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AspireVector.Node.Index.Storage;

namespace AspireVector.Node.Index.Hnsw;

/// <summary>
/// The searchable HNSW graph: per-node level and link lists, and the entry point. Layer 0 lives in one
/// fixed-stride row per node <c>[level + 1, count, m0 links]</c>; the rarer upper layers in one array per node
/// holding <c>level</c> blocks of <c>[count, m links]</c>.
/// </summary>
/// <remarks>
/// Writers (the builder) hold <see cref="LockFor"/> of a node while changing its links; readers do not lock.
/// A writer stores links before publishing the count, so a reader may see a stale list but only ever valid
/// node ids. Managed storage lets a graph replaced by a rebuild stay valid for searches still using it.
/// </remarks>
public sealed class HnswGraph
{
    private const int LockStripes = 1024;

    private readonly ChunkedArray<int> _layer0;
    private readonly ChunkedArray<int[]?> _upper = new(1);
    private readonly object[] _locks;
    private long _entry = -1;
    private int _nodeCount;
    private long _upperValues;

    public HnswGraph(int m)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(m, 2);
        M = m;
        M0 = 2 * m;
        _layer0 = new ChunkedArray<int>(M0 + 2);
        _locks = new object[LockStripes];
        for (int i = 0; i < _locks.Length; i++) _locks[i] = new object();
    }

    /// <summary>Maximum links per node on layers above 0.</summary>
    public int M { get; }

    /// <summary>Maximum links per node on layer 0 (2·M, as in the paper).</summary>
    public int M0 { get; }

    /// <summary>Nodes inserted into the graph.</summary>
    public int NodeCount => Volatile.Read(ref _nodeCount);

    /// <summary>Addressable node ids.</summary>
    public int Capacity => _layer0.Capacity;

    /// <summary>Serialises changes of the entry point (held for the whole insert of a node above the top level).</summary>
    public object EntryLock { get; } = new();

    /// <summary>Entry node and top level read atomically; (-1, -1) for an empty graph.</summary>
    public (int Node, int Level) Entry
    {
        get
        {
            long packed = Volatile.Read(ref _entry);
            return packed < 0 ? (-1, -1) : ((int)(packed & 0xFFFFFFFF), (int)(packed >> 32));
        }
    }

    /// <summary>Bytes used by links, including unused tail rows of the last chunk.</summary>
    public long AllocatedBytes => _layer0.AllocatedValues * sizeof(int) + _upper.AllocatedValues * IntPtr.Size
        + Interlocked.Read(ref _upperValues) * sizeof(int);

    public void SetEntry(int node, int level) => Volatile.Write(ref _entry, ((long)level << 32) | (uint)node);

    public void EnsureCapacity(int nodes)
    {
        _layer0.EnsureCapacity(nodes);
        _upper.EnsureCapacity(nodes);
    }

    /// <summary>Level of <paramref name="node"/>, or -1 when it is not in the graph.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int LevelOf(int node) => node < _layer0.Capacity ? Volatile.Read(ref _layer0.RowRef(node)) - 1 : -1;

    /// <summary>
    /// Adds <paramref name="node"/> at <paramref name="level"/> with empty link lists; a node already present
    /// (re-insert after its vector changed) keeps its level.
    /// </summary>
    /// <returns>The node's level.</returns>
    public int Allocate(int node, int level)
    {
        int existing = LevelOf(node);
        // A node already present keeps its level and its old links until the builder overwrites them, so the
        // graph stays navigable through it (it may be the entry point) while it is re-linked.
        if (existing >= 0) return existing;
        if (level > 0)
        {
            _upper.Row(node)[0] = new int[level * (M + 1)];
            Interlocked.Add(ref _upperValues, level * (M + 1));
        }
        var row = _layer0.Row(node);
        row[1] = 0;
        // Publishing the level last makes the upper lists visible before anyone can rely on them.
        Volatile.Write(ref row[0], level + 1);
        Interlocked.Increment(ref _nodeCount);
        return level;
    }

    /// <summary>
    /// The list of <paramref name="node"/> on <paramref name="level"/>: element 0 is the count, followed by
    /// capacity (M0 or M) link slots.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<int> Links(int node, int level) =>
        level == 0 ? _layer0.Row(node)[1..] : _upper.Row(node)[0].AsSpan((level - 1) * (M + 1), M + 1);

    /// <summary>Lock guarding the link lists of <paramref name="node"/> (striped).</summary>
    public object LockFor(int node) => _locks[node & (LockStripes - 1)];

    /// <summary>Writes the graph of nodes below <paramref name="rows"/>.</summary>
    public void WriteTo(BinaryWriter writer, int rows)
    {
        writer.Write(M);
        writer.Write(Volatile.Read(ref _entry));
        writer.Write(rows);
        for (int node = 0; node < rows; node++)
        {
            writer.Write(MemoryMarshal.AsBytes(_layer0.Row(node)));
            int level = LevelOf(node);
            if (level > 0) writer.Write(MemoryMarshal.AsBytes(_upper.Row(node)[0].AsSpan()));
        }
    }

    /// <summary>Reads a graph written by <see cref="WriteTo"/>.</summary>
    public static HnswGraph ReadFrom(BinaryReader reader)
    {
        var graph = new HnswGraph(reader.ReadInt32());
        long entry = reader.ReadInt64();
        int rows = reader.ReadInt32();
        graph.EnsureCapacity(rows);
        for (int node = 0; node < rows; node++)
        {
            var row = graph._layer0.Row(node);
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(row));
            int level = row[0] - 1;
            if (level >= 0) graph._nodeCount++;
            if (level > 0)
            {
                var upper = new int[level * (graph.M + 1)];
                reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(upper.AsSpan()));
                graph._upper.Row(node)[0] = upper;
                graph._upperValues += upper.Length;
            }
        }
        graph._entry = entry;
        return graph;
    }
}
