using System.Buffers;
using System.Buffers.Binary;

namespace AspireVector.Node.Consensus;

/// <summary>Little-endian append-only writer behind <see cref="RaftCodec"/>.</summary>
internal struct RaftBinaryWriter
{
    private ArrayBufferWriter<byte>? _buffer;

    private ArrayBufferWriter<byte> Buffer => _buffer ??= new ArrayBufferWriter<byte>(64);

    public void Byte(byte value)
    {
        Buffer.GetSpan(1)[0] = value;
        Buffer.Advance(1);
    }

    public void U32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(Buffer.GetSpan(4), value);
        Buffer.Advance(4);
    }

    public void U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(Buffer.GetSpan(8), value);
        Buffer.Advance(8);
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        U32((uint)value.Length);
        Buffer.Write(value);
    }

    public byte[] ToArray() => _buffer is null ? [] : _buffer.WrittenSpan.ToArray();
}
