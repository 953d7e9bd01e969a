using System.Buffers;

namespace AspireVector.Node.Index.Sparse;

/// <summary>
/// The inverted index of one sparse vector name of a segment: each point's vector by dense offset (for
/// <c>with_vector</c> and re-scoring) and, per dimension, a <see cref="PostingList"/> of the points holding it. A
/// search scores exactly: the dot product over the dimensions the query shares with each point (optionally IDF
/// weighted), and only points sharing at least one dimension are hits, as in Qdrant.
/// </summary>
/// <remarks>
/// Concurrency: mutated by the segment's single writer under its write lock; searched by many readers under its read
/// lock (each search rents its own scratch arrays).
/// </remarks>
public sealed class SparseVectorIndex
{
    private readonly Dictionary<uint, PostingList> _postings = [];
    private SparseVector?[] _vectors = [];

    /// <summary>Points holding a vector of this name.</summary>
    public int Count { get; private set; }

    /// <summary>True when the point at <paramref name="offset"/> holds a vector of this name.</summary>
    public bool Contains(int offset) => offset < _vectors.Length && _vectors[offset] is not null;

    /// <summary>The vector of the point at <paramref name="offset"/>, or null.</summary>
    public SparseVector? Get(int offset) => offset < _vectors.Length ? _vectors[offset] : null;

    /// <summary>Points holding dimension <paramref name="index"/> (Qdrant's document frequency for IDF).</summary>
    public int DocumentFrequency(uint index) => _postings.TryGetValue(index, out var list) ? list.Count : 0;

    /// <summary>Stores (or replaces) the vector of the point at <paramref name="offset"/>.</summary>
    public void Upsert(int offset, SparseVector vector)
    {
        Delete(offset);
        if (offset >= _vectors.Length) Array.Resize(ref _vectors, Math.Max(offset + 1, Math.Max(64, _vectors.Length * 2)));
        _vectors[offset] = vector;
        Count++;
        for (int i = 0; i < vector.Count; i++)
        {
            if (!_postings.TryGetValue(vector.Indices[i], out var list)) _postings[vector.Indices[i]] = list = new PostingList();
            list.Set(offset, vector.Values[i]);
        }
    }

    /// <summary>Removes the vector of the point at <paramref name="offset"/> (nothing when it holds none).</summary>
    public void Delete(int offset)
    {
        if (Get(offset) is not { } old) return;
        foreach (uint index in old.Indices)
        {
            if (!_postings.TryGetValue(index, out var list)) continue;
            list.Remove(offset);
            if (list.Count == 0) _postings.Remove(index);
        }

        _vectors[offset] = null;
        Count--;
    }

    /// <summary>
    /// The query's weights as scored: with <paramref name="idf"/>, each multiplied by Qdrant's IDF of its dimension,
    /// <c>ln((n - df + 0.5) / (df + 0.5) + 1)</c> with n the points holding this vector and df those holding the dimension.
    /// </summary>
    public float[] QueryWeights(SparseVector query, bool idf)
    {
        var weights = (float[])query.Values.Clone();
        if (!idf) return weights;
        float n = Count;
        for (int i = 0; i < weights.Length; i++)
        {
            float df = DocumentFrequency(query.Indices[i]);
            weights[i] *= MathF.Log((n - df + 0.5f) / (df + 0.5f) + 1f);
        }

        return weights;
    }

    /// <summary>
    /// The best <paramref name="top"/> points sharing a dimension with <paramref name="query"/> that pass
    /// <paramref name="filter"/>, best first (ties by offset), into <paramref name="hits"/>.
    /// </summary>
    public void Search(SparseVector query, bool idf, int top, PointFilter? filter, List<ScoredOffset> hits)
    {
        hits.Clear();
        if (top <= 0 || Count == 0 || query.Count == 0) return;
        var weights = QueryWeights(query, idf);
        var scores = ArrayPool<float>.Shared.Rent(_vectors.Length);
        var seen = ArrayPool<bool>.Shared.Rent(_vectors.Length);
        Array.Clear(seen, 0, _vectors.Length); // pooled arrays come back as their last user left them
        var touched = new List<int>();
        try
        {
            for (int q = 0; q < query.Count; q++)
            {
                if (!_postings.TryGetValue(query.Indices[q], out var list)) continue;
                float w = weights[q];
                var offsets = list.Offsets;
                var values = list.Weights;
                for (int i = 0; i < offsets.Length; i++)
                {
                    int o = offsets[i];
                    if (!seen[o])
                    {
                        seen[o] = true;
                        scores[o] = 0;
                        touched.Add(o);
                    }

                    scores[o] += w * values[i];
                }
            }

            // A min-heap of the best `top` so far: its root is the hit to drop first.
            var best = new PriorityQueue<int, (float Score, int NegOffset)>(Math.Min(top, touched.Count) + 1);
            foreach (int o in touched)
            {
                if (filter is not null && !filter.Matches(o)) continue;
                var key = (scores[o], -o);
                if (best.Count < top) best.Enqueue(o, key);
                else if (best.TryPeek(out _, out var worst) && key.CompareTo(worst) > 0) best.EnqueueDequeue(o, key);
            }

            var found = new ScoredOffset[best.Count];
            for (int i = found.Length - 1; i >= 0; i--)
            {
                best.TryDequeue(out int o, out var key);
                found[i] = new ScoredOffset(o, key.Score);
            }

            hits.AddRange(found);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
            ArrayPool<bool>.Shared.Return(seen);
        }
    }

    /// <summary>Writes every stored vector (offset, count, ids, weights); the posting lists are rebuilt on load.</summary>
    public void Save(BinaryWriter w)
    {
        w.Write(Count);
        for (int o = 0; o < _vectors.Length; o++)
        {
            if (_vectors[o] is not { } v) continue;
            w.Write(o);
            w.Write(v.Count);
            foreach (uint i in v.Indices) w.Write(i);
            foreach (float x in v.Values) w.Write(x);
        }
    }

    /// <summary>Reads an index written by <see cref="Save"/>.</summary>
    public static SparseVectorIndex Load(BinaryReader r)
    {
        var index = new SparseVectorIndex();
        int count = r.ReadInt32();
        for (int k = 0; k < count; k++)
        {
            int offset = r.ReadInt32();
            int n = r.ReadInt32();
            if (offset < 0 || n < 0 || n > r.BaseStream.Length) throw new InvalidDataException("corrupt sparse vector record");
            var indices = new uint[n];
            var values = new float[n];
            for (int i = 0; i < n; i++) indices[i] = r.ReadUInt32();
            for (int i = 0; i < n; i++) values[i] = r.ReadSingle();
            index.Upsert(offset, SparseVector.FromSorted(indices, values));
        }

        return index;
    }
}
