using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Points;

namespace AspireVector.Node.Storage;

/// <summary>
/// Binary encoding of a <see cref="ShardOperation"/> as one WAL record:
/// <c>[crc32 of the rest][op number u64][kind u8][body]</c>, little-endian. Vectors are copied as raw floats.
/// </summary>
internal static class ShardOperationCodec
{
    /// <summary>Encodes <paramref name="operation"/> with its <paramref name="opNumber"/> into <paramref name="output"/>.</summary>
    public static void Encode(ulong opNumber, ShardOperation operation, ArrayBufferWriter<byte> output)
    {
        output.ResetWrittenCount();
        output.GetSpan(4);
        output.Advance(4); // checksum, filled below
        WriteU64(output, opNumber);
        WriteByte(output, (byte)operation.Kind);
        if (operation.Kind == ShardOperationKind.Upsert)
        {
            var points = operation.Points;
            WriteI32(output, points.Count);
            foreach (var p in points)
            {
                WriteId(output, p.Id);
                WriteI32(output, p.Vector.Length);
                var bytes = MemoryMarshal.AsBytes(p.Vector.AsSpan());
                bytes.CopyTo(output.GetSpan(bytes.Length));
                output.Advance(bytes.Length);
                WriteJson(output, p.Payload);
            }
        }
        else
        {
            WriteI32(output, operation.Ids.Count);
            foreach (var id in operation.Ids) WriteId(output, id);
            WriteJson(output, operation.Payload);
            WriteI32(output, operation.Keys.Count);
            foreach (var k in operation.Keys) WriteString(output, k);
            WriteString(output, operation.Key);
        }
        var written = MemoryMarshal.AsMemory(output.WrittenMemory).Span;
        BinaryPrimitives.WriteUInt32LittleEndian(written, Crc32.Compute(written[4..]));
    }

    /// <summary>
    /// Decodes a record written by <see cref="Encode"/>. Returns false when the checksum does not match or the
    /// record is truncated (a torn write), never throwing for corrupt input.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> record, out ulong opNumber, out ShardOperation? operation)
    {
        opNumber = 0;
        operation = null;
        if (record.Length < 13 || BinaryPrimitives.ReadUInt32LittleEndian(record) != Crc32.Compute(record[4..])) return false;
        try
        {
            var r = new Reader(record[4..]);
            opNumber = r.U64();
            var kind = (ShardOperationKind)r.Byte();
            if (kind == ShardOperationKind.Upsert)
            {
                int n = r.I32();
                var points = new List<PointRecord>(n);
                for (int i = 0; i < n; i++)
                {
                    var id = r.Id();
                    int dim = r.I32();
                    var vector = new float[dim];
                    r.Bytes(dim * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(vector.AsSpan()));
                    points.Add(new PointRecord(id, vector, r.Json()));
                }
                operation = ShardOperation.Upsert(points);
                return true;
            }
            if (kind is < ShardOperationKind.Delete or > ShardOperationKind.ClearPayload) return false;
            int count = r.I32();
            var ids = new PointId[count];
            for (int i = 0; i < count; i++) ids[i] = r.Id();
            var payload = r.Json();
            int keyCount = r.I32();
            var keys = new string[keyCount];
            for (int i = 0; i < keyCount; i++) keys[i] = r.String()!;
            operation = new ShardOperation { Kind = kind, Ids = ids, Payload = payload, Keys = keys, Key = r.String() };
            return true;
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or JsonException or OverflowException or IndexOutOfRangeException)
        {
            return false;
        }
    }

    private static void WriteByte(ArrayBufferWriter<byte> o, byte v)
    {
        o.GetSpan(1)[0] = v;
        o.Advance(1);
    }

    private static void WriteI32(ArrayBufferWriter<byte> o, int v)
    {
        BinaryPrimitives.WriteInt32LittleEndian(o.GetSpan(4), v);
        o.Advance(4);
    }

    private static void WriteU64(ArrayBufferWriter<byte> o, ulong v)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(o.GetSpan(8), v);
        o.Advance(8);
    }

    private static void WriteId(ArrayBufferWriter<byte> o, PointId id)
    {
        if (id.IsUuid)
        {
            WriteByte(o, 1);
            id.Uuid.TryWriteBytes(o.GetSpan(16));
            o.Advance(16);
        }
        else
        {
            WriteByte(o, 0);
            WriteU64(o, id.Number);
        }
    }

    private static void WriteString(ArrayBufferWriter<byte> o, string? s)
    {
        if (s is null)
        {
            WriteI32(o, -1);
            return;
        }
        int len = Encoding.UTF8.GetByteCount(s);
        WriteI32(o, len);
        Encoding.UTF8.GetBytes(s, o.GetSpan(len));
        o.Advance(len);
    }

    private static void WriteJson(ArrayBufferWriter<byte> o, JsonObject? json)
    {
        if (json is null)
        {
            WriteI32(o, -1);
            return;
        }
        var bytes = JsonSerializer.SerializeToUtf8Bytes(json, PayloadJson.Options);
        WriteI32(o, bytes.Length);
        bytes.CopyTo(o.GetSpan(bytes.Length));
        o.Advance(bytes.Length);
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _data = data;

        public ReadOnlySpan<byte> Bytes(int n)
        {
            if (n < 0 || n > _data.Length) throw new ArgumentOutOfRangeException(nameof(n));
            var s = _data[..n];
            _data = _data[n..];
            return s;
        }

        public byte Byte() => Bytes(1)[0];

        public int I32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));

        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8));

        public PointId Id() => Byte() == 1 ? PointId.FromUuid(new Guid(Bytes(16))) : PointId.FromNumber(U64());

        public string? String()
        {
            int len = I32();
            return len < 0 ? null : Encoding.UTF8.GetString(Bytes(len));
        }

        public JsonObject? Json()
        {
            int len = I32();
            return len < 0 ? null : PayloadJson.Parse(Bytes(len));
        }
    }
}
