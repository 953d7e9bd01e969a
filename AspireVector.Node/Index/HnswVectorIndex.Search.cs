using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using AspireVector.Node.Index.Hnsw;
using AspireVector.Node.Index.Kernels;
using AspireVector.Node.Index.Quantization;
using AspireVector.Node.Index.Storage;

namespace AspireVector.Node.Index;

public sealed unsafe partial class HnswVectorIndex
{
    /// <summary>
    /// Plans and runs a search. Exact scoring when asked (<c>params.exact</c>), when the segment's vectors are
    /// under <c>full_scan_threshold</c>, or when the filter's estimated matches are; graph traversal otherwise
    /// (filtered traversal collects only matching points), falling back to exact if it finds fewer than asked.
    /// </summary>
    public void Search(ReadOnlySpan<float> query, int limit, SearchParams parameters, PointFilter? filter, List<ScoredOffset> results)
    {
        ValidateVector(query);
        if (limit <= 0 || Count == 0) return;
        var context = SearchContext.Current;
        float* pinned = context.PinQuery(query);
        if (Distance == Distance.Cosine) Normalise(pinned);

        var graph = Volatile.Read(ref _graph);
        bool exact = parameters.Exact || graph.Entry.Node < 0 || Count < _fullScanVectors;
        if (!exact && filter?.EstimatedMatches is int estimate && estimate < _fullScanVectors) exact = true;
        switch (Distance)
        {
            case Distance.Euclid: Run<EuclidKernel>(graph, pinned, limit, parameters, filter, exact, context, results); break;
            case Distance.Cosine: Run<CosineKernel>(graph, pinned, limit, parameters, filter, exact, context, results); break;
            case Distance.Dot: Run<DotKernel>(graph, pinned, limit, parameters, filter, exact, context, results); break;
            case Distance.Manhattan: Run<ManhattanKernel>(graph, pinned, limit, parameters, filter, exact, context, results); break;
            default: throw new InvalidOperationException($"unknown distance {Distance}");
        }
    }

    private void Run<TKernel>(HnswGraph graph, float* query, int limit, SearchParams parameters, PointFilter? filter, bool exact,
        SearchContext context, List<ScoredOffset> results)
        where TKernel : IDistanceKernel
    {
        int start = results.Count;
        if (!exact)
        {
            SearchGraph<TKernel>(graph, query, limit, parameters, filter, context, results);
            var pending = PendingSnapshot();
            if (!pending.IsEmpty) MergePending<TKernel>(query, limit, filter, pending, start, context, results);
            // Too few hits means the traversal could not reach enough matches (a very selective filter, or a
            // region cut off by tombstones); the exact scan is then both correct and cheap enough.
            if (results.Count - start >= Math.Min(limit, Count)) return;
            results.RemoveRange(start, results.Count - start);
        }
        SearchExact<TKernel>(query, limit, filter, context, results);
    }

    private void SearchGraph<TKernel>(HnswGraph graph, float* query, int limit, SearchParams parameters, PointFilter? filter,
        SearchContext context, List<ScoredOffset> results)
        where TKernel : IDistanceKernel
    {
        int ef = Math.Max(parameters.HnswEf ?? Config.EfConstruct, limit);
        var quantizer = parameters.IgnoreQuantization ? null : Volatile.Read(ref _quantizer);
        if (quantizer is null)
        {
            var scorer = new FloatQueryScorer<TKernel>(query, _vectors, Dimension);
            Traverse(graph, ref scorer, filter, ef, context);
            Emit<TKernel>(context, context.DrainResultsAscending(), limit, results);
            return;
        }

        // Quantized: traverse on the codes for limit·oversampling candidates, then (by default) rescore them
        // with the full-precision vectors, as Qdrant's params.quantization defines.
        int oversampled = (int)Math.Ceiling(limit * Math.Max(1.0, parameters.Oversampling ?? 1.0));
        ef = Math.Max(ef, oversampled);
        if (quantizer is ScalarQuantizer scalar)
        {
            var code = context.CodeBuffer(scalar.CodeLength);
            float correction = scalar.Encode(query, code);
            var quantized = new QuantizedQueryScorer(scalar, code, correction);
            Traverse(graph, ref quantized, filter, ef, context);
        }
        else if (quantizer is ProductQuantizer product)
        {
            var quantized = new ProductQueryScorer(product, product.QueryTable(query));
            Traverse(graph, ref quantized, filter, ef, context);
        }
        else
        {
            var binary = (BinaryQuantizer)quantizer;
            var code = context.CodeBuffer(binary.CodeLength);
            binary.Encode(query, MemoryMarshal.Cast<byte, ulong>(code.AsSpan(0, binary.CodeLength)));
            var quantized = new BinaryQueryScorer(binary, code);
            Traverse(graph, ref quantized, filter, ef, context);
        }
        int found = context.DrainResultsAscending();
        if (parameters.Rescore ?? true)
        {
            // Every candidate the beam kept is rescored, not only the first limit·oversampling of them: code order
            // is noisy near the cut, and ef exact distances cost little next to the traversal (a superset of what
            // Qdrant rescores, so results only get closer to exact).
            var nodes = context.Nodes;
            var distances = context.Distances;
            for (int i = 0; i < Math.Min(found, 2); i++) CachePrefetch.Lines(_vectors.Row(nodes[i]), Dimension * sizeof(float));
            for (int i = 0; i < found; i++)
            {
                if (i + 2 < found) CachePrefetch.Lines(_vectors.Row(nodes[i + 2]), Dimension * sizeof(float));
                distances[i] = TKernel.Distance(query, _vectors.Row(nodes[i]), Dimension);
            }
            Array.Sort(distances, nodes, 0, found);
        }
        Emit<TKernel>(context, found, limit, results);
    }

    private void Traverse<TScorer>(HnswGraph graph, ref TScorer scorer, PointFilter? filter, int ef, SearchContext context)
        where TScorer : struct, IQueryScorer
    {
        if (filter is not null)
        {
            var acceptor = new AcceptFiltered(_states, filter);
            HnswSearcher.Search(graph, ref scorer, ref acceptor, ef, context);
        }
        else if (GraphMayHoldDeleted)
        {
            var acceptor = new AcceptLive(_states);
            HnswSearcher.Search(graph, ref scorer, ref acceptor, ef, context);
        }
        else
        {
            var acceptor = default(AcceptAll);
            HnswSearcher.Search(graph, ref scorer, ref acceptor, ef, context);
        }
    }

    /// <summary>
    /// Adds the stored vectors still waiting to be linked to the graph's hits: both are scored exactly and the best
    /// <paramref name="limit"/> kept. An offset both linked and queued (an update being relinked) counts once.
    /// </summary>
    private void MergePending<TKernel>(float* query, int limit, PointFilter? filter, ReadOnlySpan<int> pending, int start,
        SearchContext context, List<ScoredOffset> results)
        where TKernel : IDistanceKernel
    {
        var heap = context.Results;
        heap.Clear();
        var seen = context.Seen;
        seen.Clear();
        for (int i = start; i < results.Count; i++)
        {
            int offset = results[i].Offset;
            if (seen.Add(offset)) Offer<TKernel>(query, offset, limit, heap);
        }
        results.RemoveRange(start, results.Count - start);
        foreach (int offset in pending)
        {
            if (_states.IsLive(offset) && (filter is null || filter.Matches(offset)) && seen.Add(offset))
                Offer<TKernel>(query, offset, limit, heap);
        }
        Emit<TKernel>(context, context.DrainResultsAscending(), limit, results);
    }

    /// <summary>Scores every live (and matching) point; uses the filter's candidate list when it has one.</summary>
    private void SearchExact<TKernel>(float* query, int limit, PointFilter? filter, SearchContext context, List<ScoredOffset> results)
        where TKernel : IDistanceKernel
    {
        var heap = context.Results;
        heap.Clear();
        int rows = Volatile.Read(ref _rows);
        if (filter?.Candidates is { } candidates)
        {
            foreach (int offset in candidates)
            {
                if (offset >= 0 && offset < rows && _states.IsLive(offset)) Offer<TKernel>(query, offset, limit, heap);
            }
        }
        else
        {
            for (int offset = 0; offset < rows; offset++)
            {
                if (_states.IsLive(offset) && (filter is null || filter.Matches(offset))) Offer<TKernel>(query, offset, limit, heap);
            }
        }
        Emit<TKernel>(context, context.DrainResultsAscending(), limit, results);
    }

    private void Offer<TKernel>(float* query, int offset, int limit, DistanceHeap heap) where TKernel : IDistanceKernel
    {
        float d = TKernel.Distance(query, _vectors.Row(offset), Dimension);
        if (heap.Count < limit) heap.Push(-d, offset);
        else if (d < -heap.TopKey)
        {
            heap.Pop();
            heap.Push(-d, offset);
        }
    }

    private static void Emit<TKernel>(SearchContext context, int found, int limit, List<ScoredOffset> results)
        where TKernel : IDistanceKernel
    {
        int take = Math.Min(found, limit);
        for (int i = 0; i < take; i++) results.Add(new ScoredOffset(context.Nodes[i], TKernel.ToScore(context.Distances[i])));
    }

    /// <summary>Normalises the pinned query copy, so cosine scores are right even for an unnormalised query.</summary>
    private void Normalise(float* vector)
    {
        var span = new Span<float>(vector, Dimension);
        float norm = TensorPrimitives.Norm(span);
        if (norm > 0) TensorPrimitives.Divide(span, norm, span);
    }
}
