using System.Runtime.InteropServices;

namespace AspireVector.Node.Index.Storage;

/// <summary>
/// A write-only, append-only stream into 1 MiB chunks of native memory, freed on dispose: a file's bytes built in memory
/// (quickly, under a lock) and written to disk later (slowly, without it). No managed buffer of the file's size, so no
/// large-object-heap churn and no 2 GiB limit.
/// </summary>
/// <remarks>One writer, then any number of <see cref="WriteTo"/> calls; not thread-safe.</remarks>
public sealed unsafe class NativeChunkStream : Stream
{
    private const int ChunkBytes = 1 << 20;

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
            if (used == 0 && _length == (long)_chunks.Count * ChunkBytes) _chunks.Add((nint)NativeMemory.Alloc(ChunkBytes));
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
        foreach (var chunk in _chunks) NativeMemory.Free((void*)chunk);
        _chunks.Clear();
        _length = 0;
        base.Dispose(disposing);
    }
}
