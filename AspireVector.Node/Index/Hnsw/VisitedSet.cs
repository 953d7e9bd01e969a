using System.Runtime.CompilerServices;

namespace AspireVector.Node.Index.Hnsw;

/// <summary>
/// Generation-stamped visited marks: starting a new search bumps the generation instead of clearing the
/// array, so a reset costs O(1) except once every 65,535 searches.
/// </summary>
public sealed class VisitedSet
{
    private ushort[] _marks = [];
    private ushort _generation;

    /// <summary>Starts a new search over nodes below <paramref name="capacity"/>.</summary>
    public void Reset(int capacity)
    {
        if (_marks.Length < capacity)
        {
            _marks = new ushort[Math.Max(capacity, _marks.Length * 2)];
            _generation = 0;
        }
        if (++_generation == 0)
        {
            Array.Clear(_marks);
            _generation = 1;
        }
    }

    /// <summary>
    /// Marks <paramref name="node"/>; returns false when it was already visited in this search, or when it lies beyond
    /// the marks (a node inserted concurrently after the search started and already linked in: skipping it is correct,
    /// the search sees the graph as of its start).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryVisit(int node)
    {
        if ((uint)node >= (uint)_marks.Length) return false;
        ref ushort mark = ref _marks[node];
        if (mark == _generation) return false;
        mark = _generation;
        return true;
    }
}
