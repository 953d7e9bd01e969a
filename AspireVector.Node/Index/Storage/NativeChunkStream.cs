using System.Runtime.InteropServices;

namespace AspireVector.Node.Index.Storage;

/// <summary>
/// A write-only, append-only stream into 1 MiB chunks of native memory, freed on dispose: a file's bytes built in memory
/// (quickly, under a lock) and written to disk later (slowly, without it). No managed buffer of the file's size, so no
/// large-object-heap churn and no 2 GiB limit.
/// </summary>
/// <remarks>
/// One writer, then any number of <see cref="WriteTo"/> calls; not thread-safe. Chunks come from a process-wide pool:
/// copying into freshly allocated memory costs a page fault per 4 KiB (about 20 ms per MiB on a loaded VM, measured),
/// twenty times the copy itself, and the capture that fills this stream holds a shard's writes off.
/// </remarks>
public sealed unsafe class NativeChunkStream : Stream
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>Most chunks kept for reuse (256 MiB): enough for the image of one large shard, flushed one at a time.</summary>
    private const int MaxPooledChunks = 256;

    private static readonly System.Collections.Concurrent.ConcurrentStack<nint> s_pool = new();
    private static int s_pooled;

    private readonly List<nint> _chunks = [];
    private long _length;

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => _length;

    /// <inheritdoc />
    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int used = (int)(_length % ChunkBytes);
            if (used == 0 && _length == (long)_chunks.Count * ChunkBytes) _chunks.Add(TakeChunk());
            int n = Math.Min(buffer.Length, ChunkBytes - used);
            buffer[..n].CopyTo(new Span<byte>((byte*)_chunks[^1] + used, n));
            buffer = buffer[n..];
            _length += n;
        }
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void WriteByte(byte value) => Write([value]);

    private static nint TakeChunk()
    {
        if (!s_pool.TryPop(out var chunk)) return (nint)NativeMemory.Alloc(ChunkBytes);
        Interlocked.Decrement(ref s_pooled);
        return chunk;
    }

    /// <summary>Copies everything written so far to <paramref name="destination"/>.</summary>
    public void WriteTo(Stream destination)
    {
        long left = _length;
        foreach (var chunk in _chunks)
        {
            int n = (int)Math.Min(left, ChunkBytes);
            destination.Write(new ReadOnlySpan<byte>((void*)chunk, n));
            left -= n;
        }
    }

    /// <inheritdoc />
    public override void Flush() { }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        foreach (var chunk in _chunks)
        {
            if (Interlocked.Increment(ref s_pooled) <= MaxPooledChunks) s_pool.Push(chunk);
            else
            {
                Interlocked.Decrement(ref s_pooled);
                NativeMemory.Free((void*)chunk);
            }
        }
        _chunks.Clear();
        _length = 0;
        base.Dispose(disposing);
    }
}
