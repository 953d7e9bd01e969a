using System.Buffers.Binary;

namespace AspireVector.Node.Consensus;

/// <summary>Bounds-checked little-endian reader behind <see cref="RaftCodec"/>; truncation raises <see cref="FormatException"/>.</summary>
internal ref struct RaftBinaryReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public byte Byte() => Take(1)[0];

    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public byte[] Bytes() => Take(checked((int)U32())).ToArray();

    public readonly void EnsureEnd()
    {
        if (!_rest.IsEmpty)
        {
            throw new FormatException($"{_rest.Length} trailing bytes");
        }
    }

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n < 0 || n > _rest.Length)
        {
            throw new FormatException("truncated raft record");
        }

        var head = _rest[..n];
        _rest = _rest[n..];
        return head;
    }
}
