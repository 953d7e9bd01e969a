using AspireVector.Node.Index.Hnsw;
using AspireVector.Node.Index.Quantization;
using AspireVector.Node.Index.Storage;

namespace AspireVector.Node.Index;

public sealed unsafe partial class HnswVectorIndex
{
    private const string FileName = "hnsw.bin";
    private const int Magic = 0x4E485641; // "AVHN"
    /// <summary>
    /// 3 adds the quantization kind (int8, binary or product); 2 added the offsets still queued for linking; 1 (every vector
    /// linked) and 2 (int8 only) still load.
    /// </summary>
    private const int FormatVersion = 3;

    /// <summary>True when <paramref name="directory"/> holds an index written by <see cref="Save"/>.</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, FileName));

    /// <summary>
    /// Writes configuration, vectors, point states, the graph and the quantized codes to one file, via a temporary
    /// file and a rename so a crash never leaves a torn index behind.
    /// </summary>
    public void Save(string directory)
    {
        using var image = Capture();
        image.WriteTo(directory);
    }

    /// <summary>The bytes <see cref="Save"/> writes, copied into memory while stores and the linker wait.</summary>
    public IndexImage Capture()
    {
        var bytes = new NativeChunkStream();
        try
        {
            // The linker lock keeps the graph still while it is copied; queued offsets are saved as such.
            lock (_linkLock)
            lock (_writeLock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                using var writer = new BinaryWriter(bytes, System.Text.Encoding.UTF8, leaveOpen: true);
                writer.Write(Magic);
                writer.Write(FormatVersion);
                writer.Write(Dimension);
                writer.Write((int)Distance);
                writer.Write(Config.M);
                writer.Write(Config.EfConstruct);
                writer.Write(Config.FullScanThresholdKb);
                writer.Write(Config.MaxIndexingThreads);
                writer.Write(Config.RebuildTombstoneRatio);
                writer.Write(Quantization is not null);
                if (Quantization is not null)
                {
                    writer.Write((int)Quantization.Kind);
                    writer.Write(Quantization.Quantile);
                    writer.Write(Quantization.AlwaysRam);
                    writer.Write(Quantization.MinTrainingVectors);
                    if (Quantization.Kind == QuantizationKind.Product) writer.Write(Quantization.Compression);
                }
                writer.Write(_rows);
                writer.Write(_count);
                writer.Write(_graphTombstones);
                writer.Flush();
                _states.WriteTo(bytes, _rows);
                _vectors.WriteTo(bytes, _rows);
                _graph.WriteTo(writer, _rows);
                writer.Write(_quantizer is not null);
                _quantizer?.WriteTo(writer, _rows);
                var pending = PendingSnapshot();
                writer.Write(pending.Length);
                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pending));
                writer.Flush();
            }
            return new IndexImage(FileName, bytes);
        }
        catch
        {
            bytes.Dispose();
            throw;
        }
    }

    /// <summary>Reads an index written by <see cref="Save"/>; nothing is rebuilt, offsets saved unlinked are queued again.</summary>
    public static HnswVectorIndex Load(string directory, Random? random = null)
    {
        using var stream = new FileStream(Path.Combine(directory, FileName), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var reader = new BinaryReader(stream);
        if (reader.ReadInt32() != Magic) throw new InvalidDataException($"{directory} does not hold an HNSW index");
        int version = reader.ReadInt32();
        if (version is not (1 or 2 or FormatVersion)) throw new InvalidDataException($"unsupported HNSW index format {version}");
        int dimension = reader.ReadInt32();
        var distance = (Distance)reader.ReadInt32();
        var config = new HnswIndexConfig
        {
            M = reader.ReadInt32(),
            EfConstruct = reader.ReadInt32(),
            FullScanThresholdKb = reader.ReadInt32(),
            MaxIndexingThreads = reader.ReadInt32(),
            RebuildTombstoneRatio = reader.ReadDouble(),
        };
        QuantizationConfig? quantization = null;
        if (reader.ReadBoolean())
        {
            var kind = version >= 3 ? (QuantizationKind)reader.ReadInt32() : QuantizationKind.Scalar;
            quantization = new QuantizationConfig
            {
                Kind = kind,
                Quantile = reader.ReadSingle(),
                AlwaysRam = reader.ReadBoolean(),
                MinTrainingVectors = reader.ReadInt32(),
            };
            if (kind == QuantizationKind.Product) quantization = quantization with { Compression = reader.ReadInt32() };
        }
        int rows = reader.ReadInt32();
        var index = new HnswVectorIndex(dimension, distance, config, quantization, random ?? new Random(rows));
        try
        {
            index._rows = rows;
            index._count = reader.ReadInt32();
            index._graphTombstones = reader.ReadInt32();
            index._states.ReadFrom(stream, rows);
            index._vectors.ReadFrom(stream, rows);
            index._graph = HnswGraph.ReadFrom(reader);
            index._linkedNodes = index._graph.NodeCount;
            index._graph.EnsureCapacity(rows);
            index._builder = new HnswBuilder(index._graph, index._vectors, dimension, config.EfConstruct);
            if (reader.ReadBoolean())
                index._quantizer = version >= 3 ? VectorQuantizer.ReadFrom(reader, rows) : ScalarQuantizer.ReadFrom(reader, rows);
            if (version >= 2)
            {
                int pending = reader.ReadInt32();
                if (pending < 0 || pending > rows) throw new InvalidDataException($"{directory}: {pending} queued offsets for {rows} rows");
                var offsets = new int[pending];
                for (int i = 0; i < pending; i++)
                {
                    offsets[i] = reader.ReadInt32();
                    if ((uint)offsets[i] >= (uint)rows) throw new InvalidDataException($"{directory}: queued offset {offsets[i]} outside {rows} rows");
                }
                lock (index._writeLock) index.Enqueue(offsets);
            }
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }
}
