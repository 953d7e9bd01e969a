using System.Text;
using System.Text.Json;
using AspireVector.Node.Index;
using AspireVector.Node.Points;

namespace AspireVector.Node.Storage;

public sealed partial class Segment
{
    private const int FormatVersion = 1;

    /// <summary>
    /// Writes the segment (index, id tracker, versions, payloads) under <paramref name="directory"/> and fsyncs.
    /// The caller guarantees no writer runs meanwhile (the shard holds its update lock).
    /// </summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        Lock.EnterReadLock();
        try
        {
            Index.Save(Path.Combine(directory, "index"));
            using var stream = new FileStream(Path.Combine(directory, "points.bin"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                w.Write(FormatVersion);
                w.Write(AppliedOpNumber);
                w.Write(_nextOffset);
                w.Write(_offsets.Count);
                foreach (var (id, offset) in _offsets)
                {
                    w.Write(offset);
                    w.Write(id.IsUuid);
                    if (id.IsUuid) w.Write(id.Uuid.ToByteArray());
                    else w.Write(id.Number);
                    w.Write(_versions[offset]);
                    var payload = _payloads[offset];
                    if (payload is null) w.Write(-1);
                    else
                    {
                        var bytes = JsonSerializer.SerializeToUtf8Bytes(payload, PayloadJson.Options);
                        w.Write(bytes.Length);
                        w.Write(bytes);
                    }
                }
            }
            stream.Flush(flushToDisk: true);
        }
        finally { Lock.ExitReadLock(); }

        SegmentChecksums.Write(directory);
    }

    /// <summary>
    /// Reads a segment written by <see cref="Save"/>, after checking every file against its checksums; throws
    /// <see cref="InvalidDataException"/> naming a damaged file.
    /// </summary>
    public static Segment Load(string directory, SegmentConfig config)
    {
        SegmentChecksums.Verify(directory);
        var segment = new Segment(config, VectorIndexFactory.Load(Path.Combine(directory, "index"), config.Distance));
        using var r = new BinaryReader(new FileStream(Path.Combine(directory, "points.bin"), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));
        if (r.ReadInt32() != FormatVersion) throw new InvalidDataException($"unknown segment format in {directory}");
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
