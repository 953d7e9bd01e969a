using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AspireVector.Node.Index.Storage;

/// <summary>
/// Fixed-stride rows of unmanaged values in 64-byte aligned native chunks. Growth adds chunks and never moves
/// existing ones, so a pointer to a row stays valid while the buffer grows under concurrent readers.
/// </summary>
/// <remarks>
/// One writer grows the buffer; readers may call <see cref="Row"/> concurrently. Rows beyond the capacity a
/// reader observed are never handed out because offsets become reachable only after they were written.
/// </remarks>
public sealed unsafe class AlignedChunkedBuffer<T> : IDisposable where T : unmanaged
{
    /// <summary>Rows per chunk as a power of two (1024 rows keeps the unused tail of the last chunk small).</summary>
    public const int ChunkShift = 10;

    private const int ChunkRows = 1 << ChunkShift;
    private const int ChunkMask = ChunkRows - 1;
    private const int Alignment = 64;

    private nint[] _chunks = [];

    /// <param name="stride">Values per row.</param>
    public AlignedChunkedBuffer(int stride)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        Stride = stride;
    }

    /// <summary>Values per row.</summary>
    public int Stride { get; }

    /// <summary>Rows that can be addressed without growing.</summary>
    public int Capacity => Volatile.Read(ref _chunks).Length << ChunkShift;

    /// <summary>Bytes of native memory held.</summary>
    public long AllocatedBytes => (long)Volatile.Read(ref _chunks).Length * ChunkRows * Stride * sizeof(T);

    /// <summary>Pointer to the first value of <paramref name="row"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T* Row(int row)
    {
        var chunks = Volatile.Read(ref _chunks);
        return (T*)chunks[row >> ChunkShift] + (nint)(row & ChunkMask) * Stride;
    }

    /// <summary>Grows (zero-filled) until <paramref name="rows"/> rows are addressable.</summary>
    public void EnsureCapacity(int rows)
    {
        var chunks = _chunks;
        int needed = (rows + ChunkMask) >> ChunkShift;
        if (needed <= chunks.Length) return;
        var grown = new nint[needed];
        Array.Copy(chunks, grown, chunks.Length);
        nuint bytes = (nuint)ChunkRows * (nuint)Stride * (nuint)sizeof(T);
        for (int i = chunks.Length; i < needed; i++)
        {
            void* chunk = NativeMemory.AlignedAlloc(bytes, Alignment);
            NativeMemory.Clear(chunk, bytes);
            grown[i] = (nint)chunk;
        }
        Volatile.Write(ref _chunks, grown);
    }

    /// <summary>Writes the first <paramref name="rows"/> rows to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream, int rows)
    {
        for (int start = 0; start < rows; start += ChunkRows)
        {
            int count = Math.Min(ChunkRows, rows - start);
            stream.Write(new ReadOnlySpan<byte>(Row(start), count * Stride * sizeof(T)));
        }
    }

    /// <summary>Fills the first <paramref name="rows"/> rows from <paramref name="stream"/>.</summary>
    public void ReadFrom(Stream stream, int rows)
    {
        EnsureCapacity(rows);
        for (int start = 0; start < rows; start += ChunkRows)
        {
            int count = Math.Min(ChunkRows, rows - start);
            stream.ReadExactly(new Span<byte>(Row(start), count * Stride * sizeof(T)));
        }
    }

    public void Dispose()
    {
        var chunks = Interlocked.Exchange(ref _chunks, []);
        foreach (var chunk in chunks) NativeMemory.AlignedFree((void*)chunk);
    }
}
