using System.Runtime.CompilerServices;

namespace AspireVector.Node.Index.Hnsw;

/// <summary>
/// Graph traversal shared by queries and the builder: greedy descent through the upper layers and the
/// ef-bounded best-first search of one layer (Malkov &amp; Yashunin, algorithms 2 and 5).
/// </summary>
public static class HnswSearcher
{
    /// <summary>
    /// Searches the whole graph for <paramref name="scorer"/>'s query: greedy descent to layer 0, then a beam of
    /// width <paramref name="ef"/>. Accepted nodes are left in <c>context.Results</c> (negated keys).
    /// </summary>
    public static void Search<TScorer, TAcceptor>(HnswGraph graph, ref TScorer scorer, ref TAcceptor acceptor, int ef, SearchContext context)
        where TScorer : struct, IQueryScorer
        where TAcceptor : struct, INodeAcceptor
    {
        context.Results.Clear();
        var (entry, top) = graph.Entry;
        if (entry < 0) return;
        float distance = scorer.Distance(entry);
        entry = Descend(graph, ref scorer, entry, ref distance, top, 0);
        SearchLayer(graph, ref scorer, ref acceptor, entry, distance, ef, 0, context);
    }

    /// <summary>
    /// Greedy walk from <paramref name="node"/> on each layer from <paramref name="fromLevel"/> down to (but not
    /// including) <paramref name="toLevel"/>, moving while a neighbour is closer.
    /// </summary>
    public static int Descend<TScorer>(HnswGraph graph, ref TScorer scorer, int node, ref float distance, int fromLevel, int toLevel)
        where TScorer : struct, IQueryScorer
    {
        for (int level = fromLevel; level > toLevel; level--)
        {
            bool changed = true;
            while (changed)
            {
                changed = false;
                var links = graph.Links(node, level);
                int count = Math.Min(Volatile.Read(ref links[0]), links.Length - 1);
                for (int i = 1; i <= count; i++)
                {
                    int neighbour = links[i];
                    float d = scorer.Distance(neighbour);
                    if (d < distance)
                    {
                        distance = d;
                        node = neighbour;
                        changed = true;
                    }
                }
            }
        }
        return node;
    }

    /// <summary>Nodes whose vectors are prefetched ahead of the distance being computed.</summary>
    private const int PrefetchDistance = 2;

    /// <summary>
    /// Best-first search of <paramref name="level"/> from <paramref name="entry"/> keeping the
    /// <paramref name="ef"/> closest accepted nodes in <c>context.Results</c>. Rejected nodes are expanded but
    /// not collected, so tombstones and filtered-out points still connect the graph; while fewer than ef nodes
    /// were accepted the search keeps expanding.
    /// </summary>
    /// <remarks>
    /// Each expansion first gathers the unvisited neighbours, then scores them while prefetching the vectors
    /// <see cref="PrefetchDistance"/> nodes ahead: the vectors sit at random addresses, so the search is bound by
    /// memory latency, and overlapping the loads with arithmetic is what makes it fast.
    /// </remarks>
    [SkipLocalsInit]
    public static void SearchLayer<TScorer, TAcceptor>(HnswGraph graph, ref TScorer scorer, ref TAcceptor acceptor,
        int entry, float entryDistance, int ef, int level, SearchContext context)
        where TScorer : struct, IQueryScorer
        where TAcceptor : struct, INodeAcceptor
    {
        var visited = context.Visited;
        var candidates = context.Candidates;
        var results = context.Results;
        visited.Reset(graph.Capacity);
        candidates.Clear();
        results.Clear();
        Span<int> pending = stackalloc int[graph.M0];

        visited.TryVisit(entry);
        candidates.Push(entryDistance, entry);
        float bound = float.PositiveInfinity;
        if (acceptor.Accept(entry))
        {
            results.Push(-entryDistance, entry);
            bound = entryDistance;
        }

        while (candidates.Count > 0)
        {
            float candidateDistance = candidates.TopKey;
            if (candidateDistance > bound && results.Count >= ef) break;
            int current = candidates.TopNode;
            candidates.Pop();

            var links = graph.Links(current, level);
            int count = Math.Min(Volatile.Read(ref links[0]), links.Length - 1);
            int unvisited = 0;
            for (int i = 1; i <= count; i++)
            {
                int neighbour = links[i];
                if (visited.TryVisit(neighbour)) pending[unvisited++] = neighbour;
            }
            for (int i = 0; i < Math.Min(unvisited, PrefetchDistance); i++) scorer.Prefetch(pending[i]);

            for (int i = 0; i < unvisited; i++)
            {
                if (i + PrefetchDistance < unvisited) scorer.Prefetch(pending[i + PrefetchDistance]);
                int neighbour = pending[i];
                float d = scorer.Distance(neighbour);
                if (results.Count < ef || d < bound)
                {
                    candidates.Push(d, neighbour);
                    if (acceptor.Accept(neighbour))
                    {
                        if (results.Count < ef) results.Push(-d, neighbour);
                        else results.ReplaceTop(-d, neighbour);
                        bound = -results.TopKey;
                    }
                }
            }
        }
    }
}
