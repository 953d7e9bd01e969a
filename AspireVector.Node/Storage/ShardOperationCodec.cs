using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Index.Sparse;
using AspireVector.Node.Points;

namespace AspireVector.Node.Storage;

/// <summary>
/// Binary encoding of a <see cref="ShardOperation"/> as one WAL record:
/// <c>[crc32 of the rest][op number u64][kind u8][body]</c>, little-endian. Vectors are copied as raw floats. A
/// point-carrying record whose points hold named vectors sets the high bit of the kind byte and lists, per point,
/// <c>[count][name, dim, floats]...</c> instead of the single unnamed vector (older records decode unchanged). A record
/// whose points hold sparse vectors also sets the next bit and follows each point's payload with
/// <c>[count][name, n, u32 ids, f32 weights]...</c>.
/// </summary>
internal static class ShardOperationCodec
{
    /// <summary>Flag on the kind byte of a point-carrying record whose points list their vectors by name.</summary>
    private const byte NamedLayout = 0x80;

    /// <summary>Flag on the kind byte of a point-carrying record whose points list sparse vectors after their payload.</summary>
    private const byte SparseLayout = 0x40;

    private static bool AnySparse(IReadOnlyList<PointRecord> points)
    {
        foreach (var p in points) if (p.Sparse.Count > 0) return true;
        return false;
    }

    private static void WriteSparse(ArrayBufferWriter<byte> o, IReadOnlyDictionary<string, SparseVector> sparse)
    {
        WriteI32(o, sparse.Count);
        foreach (var (name, v) in sparse)
        {
            WriteString(o, name);
            WriteI32(o, v.Count);
            var ids = MemoryMarshal.AsBytes(v.Indices.AsSpan());
            ids.CopyTo(o.GetSpan(ids.Length));
            o.Advance(ids.Length);
            var weights = MemoryMarshal.AsBytes(v.Values.AsSpan());
            weights.CopyTo(o.GetSpan(weights.Length));
            o.Advance(weights.Length);
        }
    }

    private static bool AllUnnamed(IReadOnlyList<PointRecord> points)
    {
        foreach (var p in points) if (!p.IsUnnamedOnly) return false;
        return true;
    }

    private static void WriteVector(ArrayBufferWriter<byte> o, float[] vector)
    {
        WriteI32(o, vector.Length);
        var bytes = MemoryMarshal.AsBytes(vector.AsSpan());
        bytes.CopyTo(o.GetSpan(bytes.Length));
        o.Advance(bytes.Length);
    }

    /// <summary>Encodes <paramref name="operation"/> with its <paramref name="opNumber"/> into <paramref name="output"/>.</summary>
    public static void Encode(ulong opNumber, ShardOperation operation, ArrayBufferWriter<byte> output)
    {
        output.ResetWrittenCount();
        output.GetSpan(4);
        output.Advance(4); // checksum, filled below
        WriteU64(output, opNumber);
        if (operation.CarriesPoints)
        {
            var points = operation.Points;
            // A single-vector upsert keeps the original layout (the unnamed vector only); other point-carrying
            // operations list every point's vectors by name.
            bool named = operation.Kind != ShardOperationKind.Upsert || !AllUnnamed(points);
            bool sparse = AnySparse(points);
            WriteByte(output, (byte)((byte)operation.Kind | (named ? NamedLayout : 0) | (sparse ? SparseLayout : 0)));
            WriteI32(output, points.Count);
            foreach (var p in points)
            {
                WriteId(output, p.Id);
                if (named)
                {
                    WriteI32(output, p.Vectors.Count);
                    foreach (var (name, vector) in p.Vectors)
                    {
                        WriteString(output, name);
                        WriteVector(output, vector);
                    }
                }
                else WriteVector(output, p.Vector!);
                WriteJson(output, p.Payload);
                if (sparse) WriteSparse(output, p.Sparse);
            }
        }
        else
        {
            WriteByte(output, (byte)operation.Kind);
            WriteI32(output, operation.Ids.Count);
            foreach (var id in operation.Ids) WriteId(output, id);
            WriteJson(output, operation.Payload);
            var keys = operation.Kind == ShardOperationKind.DeleteVectors ? operation.VectorNames : operation.Keys;
            WriteI32(output, keys.Count);
            foreach (var k in keys) WriteString(output, k);
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
            byte tag = r.Byte();
            bool named = (tag & NamedLayout) != 0;
            bool sparse = (tag & SparseLayout) != 0;
            var kind = (ShardOperationKind)(tag & ~(NamedLayout | SparseLayout));
            if (kind is ShardOperationKind.Upsert or ShardOperationKind.UpdateVectors)
            {
                int n = r.I32();
                var points = new List<PointRecord>(n);
                for (int i = 0; i < n; i++)
                {
                    var id = r.Id();
                    IReadOnlyDictionary<string, float[]> vectors;
                    if (named)
                    {
                        int count = r.I32();
                        var map = new Dictionary<string, float[]>(count, StringComparer.Ordinal);
                        for (int j = 0; j < count; j++) map[r.String() ?? throw new JsonException("null vector name")] = r.Vector();
                        vectors = map;
                    }
                    else vectors = PointRecord.Unnamed(r.Vector());
                    var pointPayload = r.Json();
                    points.Add(sparse ? new PointRecord(id, vectors, pointPayload) { Sparse = r.Sparse() } : new PointRecord(id, vectors, pointPayload));
                }
                operation = new ShardOperation { Kind = kind, Points = points };
                return true;
            }
            if (named || sparse || kind is < ShardOperationKind.Delete or > ShardOperationKind.DeleteVectors) return false;
            int idCount = r.I32();
            var ids = new PointId[idCount];
            for (int i = 0; i < idCount; i++) ids[i] = r.Id();
            var payload = r.Json();
            int keyCount = r.I32();
            var keys = new string[keyCount];
            for (int i = 0; i < keyCount; i++) keys[i] = r.String()!;
            operation = kind == ShardOperationKind.DeleteVectors
                ? new ShardOperation { Kind = kind, Ids = ids, VectorNames = keys, Key = r.String() }
                : new ShardOperation { Kind = kind, Ids = ids, Payload = payload, Keys = keys, Key = r.String() };
            return true;
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or JsonException or OverflowException or IndexOutOfRangeException or InvalidDataException)
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

        public float[] Vector()
        {
            int dim = I32();
            if (dim < 0 || dim > _data.Length / sizeof(float)) throw new ArgumentOutOfRangeException(nameof(dim));
            var vector = new float[dim];
            Bytes(dim * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(vector.AsSpan()));
            return vector;
        }

        public Dictionary<string, SparseVector> Sparse()
        {
            int count = I32();
            if (count < 0 || count > _data.Length) throw new ArgumentOutOfRangeException(nameof(count));
            var map = new Dictionary<string, SparseVector>(count, StringComparer.Ordinal);
            for (int j = 0; j < count; j++)
            {
                string name = String() ?? throw new JsonException("null sparse vector name");
                int n = I32();
                if (n < 0 || n > _data.Length / (sizeof(uint) + sizeof(float))) throw new ArgumentOutOfRangeException(nameof(n));
                var ids = new uint[n];
                var weights = new float[n];
                Bytes(n * sizeof(uint)).CopyTo(MemoryMarshal.AsBytes(ids.AsSpan()));
                Bytes(n * sizeof(float)).CopyTo(MemoryMarshal.AsBytes(weights.AsSpan()));
                map[name] = SparseVector.FromSorted(ids, weights);
            }

            return map;
        }

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
