using AspireVector.Node.Index.Hnsw;
using AspireVector.Node.Index.Quantization;

namespace AspireVector.Node.Index;

public sealed unsafe partial class HnswVectorIndex
{
    /// <summary>
    /// The optimizer hook: when tombstones exceed <see cref="HnswIndexConfig.RebuildTombstoneRatio"/> of the
    /// graph, builds a fresh graph over the live points (in parallel) and swaps it in. Searches keep using the
    /// old graph until the swap, so they are never blocked.
    /// </summary>
    /// <returns>True when the graph was rebuilt.</returns>
    public bool Optimize()
    {
        lock (_linkLock)
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int nodes = _graph.NodeCount;
            if (_graphTombstones == 0 || _graphTombstones < Config.RebuildTombstoneRatio * nodes) return false;
            Rebuild();
            return true;
        }
    }

    /// <summary>Rebuilds the graph from the live points regardless of the tombstone ratio.</summary>
    public void Rebuild()
    {
        lock (_linkLock)
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var graph = new HnswGraph(Config.M);
            graph.EnsureCapacity(_rows);
            var builder = new HnswBuilder(graph, _vectors, Dimension, Config.EfConstruct);
            var live = new List<int>(_count);
            for (int i = 0; i < _rows; i++) if (_states.IsLive(i)) live.Add(i);
            var offsets = live.ToArray();
            var levels = new int[offsets.Length];
            for (int i = 0; i < levels.Length; i++) levels[i] = HnswBuilder.DrawLevel(_random, Config.M);
            LinkOnOwnThreads(builder, offsets, levels);
            Volatile.Write(ref _builder, builder);
            Volatile.Write(ref _graph, graph);
            Volatile.Write(ref _graphTombstones, 0);
            ClearPending();
        }
    }

    /// <summary>Learns the int8 range once enough vectors exist (codes for all stored vectors are written first).</summary>
    private void TrainQuantizerIfDue()
    {
        if (Quantization is null || _quantizer is not null) return;
        if (_count < Quantization.MinTrainingVectors) return;
        var quantizer = ScalarQuantizer.Train(_vectors, _states, _rows, Dimension, Distance == Distance.Euclid,
            Quantization.Quantile, Quantization.AlwaysRam);
        Volatile.Write(ref _quantizer, quantizer);
    }
}
