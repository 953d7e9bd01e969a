using System.Text;
using AspireVector.Node.Index;
using AspireVector.Node.Index.Sparse;
using AspireVector.Node.Points;

namespace AspireVector.Node.Storage;

public sealed partial class Segment
{
    /// <summary>
    /// Version 1: one unnamed vector, its index in <c>index/</c>. Version 2 adds the list of vector names after the
    /// version; the index of the name at position i is in <c>index/</c> for the unnamed vector and in <c>index-i/</c>
    /// otherwise, so a single-vector segment keeps version 1's layout of files.
    /// </summary>
    internal const int FormatVersion = 2;

    internal const int UnnamedFormatVersion = 1;

    /// <summary>
    /// The sparse vectors of a segment that has any: <c>[count]</c> then per name <c>[name][vectors]</c> (see
    /// <see cref="SparseVectorIndex.Save"/>). A segment without the file (older, or without sparse vectors) loads them empty.
    /// </summary>
    internal const string SparseFileName = "sparse.bin";

    /// <summary>
    /// Writes the segment (indexes, id tracker, versions, payloads) under <paramref name="directory"/> and fsyncs.
    /// The caller guarantees no writer runs meanwhile (the shard holds its update lock).
    /// </summary>
    public void Save(string directory)
    {
        using var image = Capture();
        image.WriteTo(directory);
    }

    /// <summary>
    /// Stops the background linkers of every graph index after their current chunks, and waits for those, until the
    /// result is disposed: taken before the shard holds updates for a <see cref="Capture"/>, so the capture does not
    /// wait for a chunk (tens to hundreds of milliseconds) with updates held off.
    /// </summary>
    public IDisposable HoldLinking()
    {
        var holds = new List<IDisposable>(_indexList.Length);
        foreach (var index in _indexList) if (index is HnswVectorIndex hnsw) holds.Add(hnsw.HoldLinking());
        return new LinkingHolds(holds);
    }

    private sealed class LinkingHolds(List<IDisposable> holds) : IDisposable
    {
        public void Dispose()
        {
            foreach (var hold in holds) hold.Dispose();
        }
    }

    /// <summary>
    /// Captures the segment as it is now for <see cref="SegmentImage.WriteTo"/>: each index's file copied into memory, and
    /// the id tracker, versions and payload references (payloads are replaced, never mutated, so a reference is a
    /// snapshot). About one memory copy of the vectors and graph; the slow part, writing and fsyncing, needs no lock.
    /// The caller guarantees no writer runs meanwhile (the shard holds its update lock).
    /// </summary>
    public SegmentImage Capture()
    {
        var indexes = new (string Folder, IndexImage Image)[_indexList.Length];
        Lock.EnterReadLock();
        try
        {
            for (int i = 0; i < _indexList.Length; i++) indexes[i] = (IndexFolder(Config.Vectors[i].Key, i), _indexList[i].Capture());
            // Pooled: a fresh array this size would be page-faulted in while writes wait (see NativeChunkStream).
            var points = System.Buffers.ArrayPool<SegmentImage.Point>.Shared.Rent(_offsets.Count);
            int n = 0;
            foreach (var (id, offset) in _offsets) points[n++] = new SegmentImage.Point(id, offset, _versions[offset], _payloads[offset]);
            return new SegmentImage(Config, AppliedOpNumber, _nextOffset, indexes, points, n, _sparse.Count > 0 ? SparseBytes() : null);
        }
        catch
        {
            foreach (var (_, image) in indexes) image?.Dispose();
            throw;
        }
        finally { Lock.ExitReadLock(); }
    }

    /// <summary>The sparse indexes as <see cref="SparseFileName"/> holds them (captured under the read lock).</summary>
    private byte[] SparseBytes()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(_sparse.Count);
            foreach (var (name, index) in _sparse)
            {
                w.Write(name);
                index.Save(w);
            }
        }

        return stream.ToArray();
    }

    private static Dictionary<string, SparseVectorIndex> LoadSparse(string directory)
    {
        var sparse = new Dictionary<string, SparseVectorIndex>(StringComparer.Ordinal);
        string path = Path.Combine(directory, SparseFileName);
        if (!File.Exists(path)) return sparse;
        using var r = new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));
        int n = r.ReadInt32();
        if (n is < 0 or > 65_536) throw new InvalidDataException($"segment in {directory} names {n} sparse vectors");
        for (int i = 0; i < n; i++)
        {
            string name = r.ReadString();
            sparse[name] = SparseVectorIndex.Load(r);
        }

        return sparse;
    }

    private static string IndexFolder(string name, int position) => name.Length == 0 ? "index" : $"index-{position}";

    /// <summary>
    /// Reads a segment written by <see cref="Save"/>, after checking every file against its checksums; throws
    /// <see cref="InvalidDataException"/> naming a damaged file. A vector of <paramref name="config"/> the files do not
    /// hold starts empty; a stored vector the config no longer names is dropped.
    /// </summary>
    public static Segment Load(string directory, SegmentConfig config)
    {
        SegmentChecksums.Verify(directory);
        using var r = new BinaryReader(new FileStream(Path.Combine(directory, "points.bin"), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));
        int version = r.ReadInt32();
        string[] stored;
        if (version == UnnamedFormatVersion) stored = [""];
        else if (version == FormatVersion)
        {
            int n = r.ReadInt32();
            if (n is < 0 or > 65_536) throw new InvalidDataException($"segment in {directory} names {n} vectors");
            stored = new string[n];
            for (int i = 0; i < n; i++) stored[i] = r.ReadString();
        }
        else throw new InvalidDataException($"unknown segment format in {directory}");

        var indexes = new IVectorIndex[config.Vectors.Count];
        try
        {
            for (int i = 0; i < indexes.Length; i++)
            {
                var (name, vector) = config.Vectors[i];
                int position = Array.IndexOf(stored, name);
                indexes[i] = position < 0
                    ? CreateIndex(vector)
                    : VectorIndexFactory.Load(Path.Combine(directory, IndexFolder(name, position)), vector.Distance);
                // The collection's quantization may have changed since the index was saved.
                if (indexes[i] is HnswVectorIndex hnsw) hnsw.SetQuantization(vector.Quantization);
            }
        }
        catch
        {
            foreach (var index in indexes) index?.Dispose();
            throw;
        }

        Dictionary<string, SparseVectorIndex> sparse;
        try
        {
            sparse = LoadSparse(directory);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            foreach (var index in indexes) index.Dispose();
            throw e as InvalidDataException ?? new InvalidDataException($"truncated {SparseFileName} in {directory}", e);
        }

        var segment = new Segment(config, indexes, sparse);
        segment.AppliedOpNumber = r.ReadInt64();
        segment._nextOffset = r.ReadInt32();
        segment.EnsureCapacity(segment._nextOffset);
        int count = r.ReadInt32();
        for (int i = 0; i < count; i++)
        {
            int offset = r.ReadInt32();
            var id = r.ReadBoolean() ? PointId.FromUuid(new Guid(r.ReadBytes(16))) : PointId.FromNumber(r.ReadUInt64());
            segment._versions[offset] = r.ReadUInt64();
            int len = r.ReadInt32();
            segment._payloads[offset] = len < 0 ? null : PayloadJson.Parse(r.ReadBytes(len));
            segment._ids[offset] = id;
            segment._offsets[id] = offset;
            segment._liveIds.Add(id);
        }
        return segment;
    }
}
