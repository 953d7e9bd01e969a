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
            Volatile.Write(ref _linkedNodes, graph.NodeCount);
            Volatile.Write(ref _graphTombstones, 0);
            ClearPending();
        }
    }

    /// <summary>
    /// Applies a changed <c>quantization_config</c>: null drops the codes (searches use full precision at once); a
    /// new configuration drops codes made under the old one and makes new ones in the background (searches use full
    /// precision until they are ready). The same configuration keeps the codes it has, or makes them if missing.
    /// </summary>
    public void SetQuantization(QuantizationConfig? quantization)
    {
        if (Distance == Distance.Manhattan) quantization = null;
        int generation;
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (quantization != Quantization)
            {
                Quantization = quantization;
                Volatile.Write(ref _quantizer, null);
                _quantizationGeneration++;
                _productTraining = false;
                _recode = null;
            }
            else if (quantization is null || _quantizer is not null) return;
            generation = _quantizationGeneration;
        }

        if (quantization is null) return;
        // Making codes reads every stored vector: off the caller's thread (a config change may arrive on the
        // consensus loop), under the write lock so codes and stored vectors stay in step.
        _ = Task.Run(() =>
        {
            lock (_writeLock)
            {
                if (!_disposed && generation == _quantizationGeneration) TrainQuantizerIfDue();
            }
        });
    }

    /// <summary>Creates the codes once enough vectors exist (codes for all stored vectors are written first). Under the write lock.</summary>
    private void TrainQuantizerIfDue()
    {
        if (Quantization is null || _quantizer is not null) return;
        switch (Quantization.Kind)
        {
            case QuantizationKind.Binary:
                Volatile.Write(ref _quantizer, BinaryQuantizer.Train(_vectors, _states, _rows, Dimension));
                break;
            case QuantizationKind.Scalar when _count >= Quantization.MinTrainingVectors:
                Volatile.Write(ref _quantizer, ScalarQuantizer.Train(_vectors, _states, _rows, Dimension, Distance == Distance.Euclid,
                    Quantization.Quantile, Quantization.AlwaysRam));
                break;
            case QuantizationKind.Product when _count >= Quantization.MinTrainingVectors && !_productTraining:
                StartProductTraining();
                break;
        }
    }

    /// <summary>
    /// Product centroids take seconds to learn and every vector a search over 256 centroids per chunk to encode, too
    /// long to hold writes: a sample is copied under the write lock, k-means runs without it, the stored vectors are
    /// encoded in slices of <see cref="EncodeSlice"/> under it, and offsets written meanwhile are encoded again at the
    /// end (<see cref="_recode"/>) before the codes are published.
    /// </summary>
    private void StartProductTraining()
    {
        const int MaxSample = 16_384;
        var config = Quantization!;
        int generation = _quantizationGeneration;
        int step = Math.Max(1, _count / MaxSample);
        var sample = new List<float>(Math.Min(_count, MaxSample) * Dimension);
        for (int offset = 0, live = 0; offset < _rows; offset++)
        {
            if (!_states.IsLive(offset) || live++ % step != 0) continue;
            sample.AddRange(new ReadOnlySpan<float>(_vectors.Row(offset), Dimension));
        }
        _productTraining = true;
        _recode = [];
        _ = Task.Run(() => TrainProduct(config, generation, sample.ToArray()));
    }

    private const int EncodeSlice = 4096;

    private void TrainProduct(QuantizationConfig config, int generation, float[] sample)
    {
        ProductQuantizer quantizer;
        try
        {
            quantizer = ProductQuantizer.Train(sample, Dimension, ProductQuantizer.ChunkDimensionsFor(config.Compression), Distance == Distance.Euclid);
        }
        catch (Exception e) when (e is OutOfMemoryException or ArgumentException or InvalidOperationException)
        {
            // Searches stay full precision; the next write starts training again.
            lock (_writeLock)
            {
                if (generation != _quantizationGeneration) return;
                _productTraining = false;
                _recode = null;
            }
            return;
        }

        for (int next = 0; ;)
        {
            lock (_writeLock)
            {
                if (_disposed || generation != _quantizationGeneration) return;
                int end = Math.Min(_rows, next + EncodeSlice);
                for (; next < end; next++)
                {
                    if (_states.Get(next) != PointStates.Empty) quantizer.Store(next, _vectors.Row(next));
                }
                if (next < _rows) continue;
                foreach (int offset in _recode!) quantizer.Store(offset, _vectors.Row(offset));
                _recode = null;
                _productTraining = false;
                Volatile.Write(ref _quantizer, quantizer);
                return;
            }
        }
    }
}
