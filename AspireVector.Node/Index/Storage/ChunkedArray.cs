using System.Runtime.CompilerServices;

namespace AspireVector.Node.Index.Storage;

/// <summary>
/// Fixed-stride rows of managed values in chunks that never move. Used for graph links and quantized codes:
/// being managed, an old generation (e.g. a graph replaced by a rebuild) stays valid for as long as a
/// concurrent search still holds it, with no explicit reclamation.
/// </summary>
/// <remarks>One writer grows it; readers may access rows concurrently.</remarks>
public sealed class ChunkedArray<T>
{
    private const int ChunkShift = 10;
    private const int ChunkRows = 1 << ChunkShift;
    private const int ChunkMask = ChunkRows - 1;

    private T[][] _chunks = [];

    /// <param name="stride">Values per row.</param>
    public ChunkedArray(int stride)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        Stride = stride;
    }

    /// <summary>Values per row.</summary>
    public int Stride { get; }

    /// <summary>Rows that can be addressed without growing.</summary>
    public int Capacity => Volatile.Read(ref _chunks).Length << ChunkShift;

    /// <summary>Values allocated (capacity times stride).</summary>
    public long AllocatedValues => (long)Capacity * Stride;

    /// <summary>The values of <paramref name="row"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<T> Row(int row) =>
        new(Volatile.Read(ref _chunks)[row >> ChunkShift], (row & ChunkMask) * Stride, Stride);

    /// <summary>Reference to the first value of <paramref name="row"/> (no bounds check beyond the chunk).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T RowRef(int row) =>
        ref Volatile.Read(ref _chunks)[row >> ChunkShift][(row & ChunkMask) * Stride];

    /// <summary>Grows (default-filled) until <paramref name="rows"/> rows are addressable.</summary>
    public void EnsureCapacity(int rows)
    {
        var chunks = _chunks;
        int needed = (rows + ChunkMask) >> ChunkShift;
        if (needed <= chunks.Length) return;
        var grown = new T[needed][];
        Array.Copy(chunks, grown, chunks.Length);
        for (int i = chunks.Length; i < needed; i++) grown[i] = new T[ChunkRows * Stride];
        Volatile.Write(ref _chunks, grown);
    }
}
