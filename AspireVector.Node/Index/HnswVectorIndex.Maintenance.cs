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

    /// <summary>
    /// Applies a changed <c>quantization_config</c>: null drops the int8 codes (searches use full precision at once);
    /// a new configuration drops codes learned under the old one and learns new ones in the background (searches
    /// use full precision until they are ready). The same configuration keeps the codes it has.
    /// </summary>
    public void SetQuantization(QuantizationConfig? quantization)
    {
        if (Distance == Distance.Manhattan) quantization = null;
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (quantization == Quantization) return;
            Quantization = quantization;
            Volatile.Write(ref _quantizer, null);
        }

        if (quantization is null) return;
        // Training reads every stored vector: off the caller's thread (a config change may arrive on the
        // consensus loop), under the write lock so codes and stored vectors stay in step.
        _ = Task.Run(() =>
        {
            lock (_writeLock)
            {
                if (!_disposed && Quantization == quantization) TrainQuantizerIfDue();
            }
        });
    }

    /// <summary>Creates the codes once enough vectors exist (codes for all stored vectors are written first).</summary>
    private void TrainQuantizerIfDue()
    {
        if (Quantization is null || _quantizer is not null) return;
        // Int8 needs enough vectors to learn its range; sign bits need nothing.
        if (Quantization.Kind == QuantizationKind.Scalar && _count < Quantization.MinTrainingVectors) return;
        VectorQuantizer quantizer = Quantization.Kind == QuantizationKind.Binary
            ? BinaryQuantizer.Train(_vectors, _states, _rows, Dimension)
            : ScalarQuantizer.Train(_vectors, _states, _rows, Dimension, Distance == Distance.Euclid, Quantization.Quantile, Quantization.AlwaysRam);
        Volatile.Write(ref _quantizer, quantizer);
    }
}
