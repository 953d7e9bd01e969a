namespace AspireVector.Node.Index;

/// <summary>
/// The vectors of one segment and the index over them. Points are addressed by dense segment-local offsets
/// assigned by the segment (0, 1, 2, ...). Vectors given to <see cref="Upsert"/> are already normalised
/// for <see cref="Distance.Cosine"/>.
/// </summary>
/// <remarks>
/// Concurrency: one writer at a time (the segment's update lock) with any number of concurrent searches.
/// </remarks>
public interface IVectorIndex : IDisposable
{
    int Dimension { get; }

    Distance Distance { get; }

    /// <summary>Number of live (not deleted) vectors.</summary>
    int Count { get; }

    /// <summary>Number of live vectors reachable through the graph index (0 for a plain index).</summary>
    int IndexedCount { get; }

    /// <summary>Stores (or replaces) the vector at <paramref name="offset"/>.</summary>
    void Upsert(int offset, ReadOnlySpan<float> vector);

    /// <summary>
    /// Stores many vectors (row-major in <paramref name="vectors"/>, one per distinct offset) at once; an index may link
    /// them on several threads. The default stores them one by one.
    /// </summary>
    void UpsertBatch(ReadOnlySpan<int> offsets, ReadOnlySpan<float> vectors)
    {
        for (int i = 0; i < offsets.Length; i++) Upsert(offsets[i], vectors.Slice(i * Dimension, Dimension));
    }

    /// <summary>
    /// Completes once at most <paramref name="limit"/> stored vectors wait to be indexed (an index that indexes on
    /// upsert completes at once).
    /// </summary>
    ValueTask WaitForBacklogAsync(int limit, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Removes the vector at <paramref name="offset"/>; searches stop returning it.</summary>
    void Delete(int offset);

    /// <summary>True when a live vector exists at <paramref name="offset"/>.</summary>
    bool Contains(int offset);

    /// <summary>
    /// Number of floats <see cref="CopyVector"/> copies for <paramref name="offset"/>: <see cref="Dimension"/>, or rows
    /// times it for a multivector index; 0 when no vector is stored there.
    /// </summary>
    int VectorLength(int offset) => Contains(offset) ? Dimension : 0;

    /// <summary>Copies the stored vector at <paramref name="offset"/> into <paramref name="destination"/> (<see cref="VectorLength"/> floats).</summary>
    void CopyVector(int offset, Span<float> destination);

    /// <summary>
    /// Finds the best <paramref name="limit"/> points for <paramref name="query"/> among those passing
    /// <paramref name="filter"/>, best first, appending them to <paramref name="results"/>.
    /// </summary>
    void Search(ReadOnlySpan<float> query, int limit, SearchParams parameters, PointFilter? filter, List<ScoredOffset> results);

    /// <summary>
    /// Copies the vectors (and graph, if any) as they are now into an in-memory image of the index's file, for the caller
    /// to write without holding writes off. Takes about one memory copy of the index.
    /// </summary>
    IndexImage Capture();

    /// <summary>Writes the vectors (and graph, if any) under <paramref name="directory"/>.</summary>
    void Save(string directory);
}
