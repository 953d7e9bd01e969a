using System.Runtime.CompilerServices;
using AspireVector.Node.Index.Storage;

namespace AspireVector.Node.Index.Hnsw;

/// <summary>One byte per offset: empty, live, or deleted (a tombstone the graph still navigates through).</summary>
public sealed unsafe class PointStates : IDisposable
{
    public const byte Empty = 0;
    public const byte Live = 1;
    public const byte Deleted = 2;

    private readonly AlignedChunkedBuffer<byte> _states = new(1);

    public int Capacity => _states.Capacity;

    public long AllocatedBytes => _states.AllocatedBytes;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsLive(int offset) => Volatile.Read(ref *_states.Row(offset)) == Live;

    public byte Get(int offset) => offset < _states.Capacity ? Volatile.Read(ref *_states.Row(offset)) : Empty;

    public void Set(int offset, byte state) => Volatile.Write(ref *_states.Row(offset), state);

    public void EnsureCapacity(int rows) => _states.EnsureCapacity(rows);

    public void WriteTo(Stream stream, int rows) => _states.WriteTo(stream, rows);

    public void ReadFrom(Stream stream, int rows) => _states.ReadFrom(stream, rows);

    public void Dispose() => _states.Dispose();
}
