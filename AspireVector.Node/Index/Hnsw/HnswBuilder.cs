using AspireVector.Node.Index.Kernels;
using AspireVector.Node.Index.Storage;

namespace AspireVector.Node.Index.Hnsw;

/// <summary>
/// Inserts nodes into an <see cref="HnswGraph"/> (Malkov &amp; Yashunin, algorithms 1 and 4): search with
/// ef_construct per layer, heuristic neighbour selection, bidirectional links shrunk by the same heuristic.
/// Safe to call from several threads at once for different nodes (per-node locks), which is how the parallel
/// build works.
/// </summary>
public sealed unsafe class HnswBuilder(HnswGraph graph, AlignedChunkedBuffer<float> vectors, int dimension, int efConstruct)
{
    /// <summary>The graph being built.</summary>
    public HnswGraph Graph => graph;

    /// <summary>Draws a level with P(level ≥ l) = M^-l from <paramref name="random"/> (the caller serialises access).</summary>
    public static int DrawLevel(Random random, int m)
    {
        double u = 1.0 - random.NextDouble();
        return Math.Min((int)(-Math.Log(u) / Math.Log(m)), 16);
    }

    /// <summary>Inserts (or re-links) <paramref name="node"/>, whose vector is already stored, at <paramref name="level"/>.</summary>
    public void Insert<TKernel>(int node, int level) where TKernel : IDistanceKernel
    {
        var context = SearchContext.Current;
        context.EnsureBuffers(Math.Max(efConstruct, graph.M0) + 1);
        level = graph.Allocate(node, level);
        var scorer = new FloatQueryScorer<TKernel>(vectors.Row(node), vectors, dimension);

        var (entry, top) = graph.Entry;
        bool raisesTop = level > top;
        if (raisesTop) Monitor.Enter(graph.EntryLock);
        try
        {
            if (raisesTop) (entry, top) = graph.Entry;
            if (entry < 0)
            {
                graph.SetEntry(node, level);
                return;
            }

            float distance = scorer.Distance(entry);
            entry = HnswSearcher.Descend(graph, ref scorer, entry, ref distance, top, level);
            var acceptAll = default(AcceptAll);
            for (int l = Math.Min(level, top); l >= 0; l--)
            {
                HnswSearcher.SearchLayer(graph, ref scorer, ref acceptAll, entry, distance, efConstruct, l, context);
                int found = context.DrainResultsAscending();
                int selected = SelectNeighbours<TKernel>(context.Nodes, context.Distances, found, graph.M, node,
                    context.Selected, context.SelectedDistances);
                var links = graph.Links(node, l);
                lock (graph.LockFor(node))
                {
                    for (int i = 0; i < selected; i++) links[1 + i] = context.Selected[i];
                    Volatile.Write(ref links[0], selected);
                }
                // Continue from the closest node found on this layer.
                for (int i = 0; i < found; i++)
                {
                    if (context.Nodes[i] == node) continue;
                    entry = context.Nodes[i];
                    distance = context.Distances[i];
                    break;
                }
                for (int i = 0; i < selected; i++) Connect<TKernel>(context.Selected[i], node, context.SelectedDistances[i], l, context);
            }
            if (raisesTop) graph.SetEntry(node, level);
        }
        finally
        {
            if (raisesTop) Monitor.Exit(graph.EntryLock);
        }
    }

    /// <summary>
    /// Heuristic selection (algorithm 4): walking candidates closest first, keep one only if it is closer to the
    /// base than to every kept neighbour, which spreads links across directions and keeps clusters connected.
    /// Candidates must be ordered closest first. The destination may be the source itself (kept ≤ read index).
    /// </summary>
    private int SelectNeighbours<TKernel>(int[] nodes, float[] distances, int count, int max, int self,
        int[] selected, float[] selectedDistances)
        where TKernel : IDistanceKernel
    {
        int kept = 0;
        for (int i = 0; i < count && kept < max; i++)
        {
            int candidate = nodes[i];
            if (candidate == self) continue;
            float toBase = distances[i];
            float* candidateVector = vectors.Row(candidate);
            bool good = true;
            for (int j = 0; j < kept; j++)
            {
                if (TKernel.Distance(candidateVector, vectors.Row(selected[j]), dimension) < toBase)
                {
                    good = false;
                    break;
                }
            }
            if (!good) continue;
            selected[kept] = candidate;
            selectedDistances[kept] = toBase;
            kept++;
        }
        return kept;
    }

    /// <summary>Adds the back link <paramref name="neighbour"/> → <paramref name="node"/>, shrinking a full list.</summary>
    private void Connect<TKernel>(int neighbour, int node, float distance, int level, SearchContext context)
        where TKernel : IDistanceKernel
    {
        int capacity = level == 0 ? graph.M0 : graph.M;
        lock (graph.LockFor(neighbour))
        {
            var links = graph.Links(neighbour, level);
            int count = links[0];
            for (int i = 1; i <= count; i++)
            {
                if (links[i] == node) return;
            }
            if (count < capacity)
            {
                links[1 + count] = node;
                Volatile.Write(ref links[0], count + 1);
                return;
            }

            // Full: re-select among the current links plus the new one, as seen from the neighbour.
            // The ordered buffers are free here: the caller only iterates Selected while connecting.
            float* baseVector = vectors.Row(neighbour);
            var nodes = context.Nodes;
            var distances = context.Distances;
            for (int i = 0; i < count; i++)
            {
                nodes[i] = links[1 + i];
                distances[i] = TKernel.Distance(baseVector, vectors.Row(nodes[i]), dimension);
            }
            nodes[count] = node;
            distances[count] = distance;
            Array.Sort(distances, nodes, 0, count + 1);
            int kept = SelectNeighbours<TKernel>(nodes, distances, count + 1, capacity, neighbour, nodes, distances);
            for (int i = 0; i < kept; i++) links[1 + i] = nodes[i];
            Volatile.Write(ref links[0], kept);
        }
    }
}
