using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspireVector.Node.Index;
using AspireVector.Node.Points;

namespace AspireVector.Node.Storage;

/// <summary>
/// A segment as it was at one operation number (<see cref="Segment.Capture"/>), written to a folder afterwards while the
/// segment takes new writes: the shard holds writes off only for the capture, not for the writing and fsyncs.
/// </summary>
public sealed class SegmentImage : IDisposable
{
    private readonly SegmentConfig _config;
    private readonly int _nextOffset;
    private readonly (string Folder, IndexImage Image)[] _indexes;
    private readonly Point[] _points;
    private readonly int _count;
    private readonly byte[]? _sparse;
    private bool _disposed;

    /// <param name="points">The live points in its first <paramref name="count"/> entries, rented from the shared pool; the image returns it.</param>
    /// <param name="sparse">The sparse indexes' file, or null when the segment has none.</param>
    internal SegmentImage(SegmentConfig config, long appliedOpNumber, int nextOffset, (string Folder, IndexImage Image)[] indexes, Point[] points, int count,
        byte[]? sparse = null)
    {
        _sparse = sparse;
        _count = count;
        _config = config;
        AppliedOpNumber = appliedOpNumber;
        _nextOffset = nextOffset;
        _indexes = indexes;
        _points = points;
    }

    /// <summary>Highest operation number whose effects the image holds (-1 for none).</summary>
    public long AppliedOpNumber { get; }

    /// <summary>
    /// Writes the segment files (the layout <see cref="Segment.Load"/> reads) under <paramref name="directory"/>, fsyncs
    /// them and writes their checksums last.
    /// </summary>
    public void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var (folder, image) in _indexes) image.WriteTo(Path.Combine(directory, folder));
        using (var stream = new FileStream(Path.Combine(directory, "points.bin"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                bool unnamedOnly = _config.Vectors.Count == 1 && _config.Vectors[0].Key.Length == 0;
                w.Write(unnamedOnly ? Segment.UnnamedFormatVersion : Segment.FormatVersion);
                if (!unnamedOnly)
                {
                    w.Write(_config.Vectors.Count);
                    foreach (var (name, _) in _config.Vectors) w.Write(name);
                }
                w.Write(AppliedOpNumber);
                w.Write(_nextOffset);
                w.Write(_count);
                foreach (var p in _points.AsSpan(0, _count))
                {
                    w.Write(p.Offset);
                    w.Write(p.Id.IsUuid);
                    if (p.Id.IsUuid) w.Write(p.Id.Uuid.ToByteArray());
                    else w.Write(p.Id.Number);
                    w.Write(p.Version);
                    if (p.Payload is null) w.Write(-1);
                    else
                    {
                        var bytes = JsonSerializer.SerializeToUtf8Bytes(p.Payload, PayloadJson.Options);
                        w.Write(bytes.Length);
                        w.Write(bytes);
                    }
                }
            }
            stream.Flush(flushToDisk: true);
        }

        if (_sparse is not null)
        {
            using var sparse = new FileStream(Path.Combine(directory, Segment.SparseFileName), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            sparse.Write(_sparse);
            sparse.Flush(flushToDisk: true);
        }

        SegmentChecksums.Write(directory);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var (_, image) in _indexes) image.Dispose();
        // Cleared: the pool must not keep payloads alive.
        System.Buffers.ArrayPool<Point>.Shared.Return(_points, clearArray: true);
    }

    /// <summary>One live point of the image.</summary>
    internal readonly record struct Point(PointId Id, int Offset, ulong Version, JsonObject? Payload);
}
