using AspireVector.Node.Snapshots;

namespace AspireVector.Node.Storage;

public sealed partial class LocalShard
{
    /// <summary>
    /// Captures this shard's current state into <paramref name="target"/>, laid out like a shard folder without its
    /// WAL (<c>segments/CURRENT</c> and <c>segments/&lt;name&gt;/...</c>), and returns the last operation number it holds.
    /// </summary>
    /// <remarks>
    /// Under the update lock the segment is flushed when operations were applied since the last flush (so the saved
    /// segment holds every operation acknowledged so far, <c>wait=false</c> ones included, and no WAL tail is needed),
    /// then its files are hard-linked (copied where links are impossible) into <paramref name="target"/>. A later flush
    /// replaces the segment folder and deletes the old one, but the links keep the captured files alive, so the caller
    /// archives them after the lock is released while writes go on. With <paramref name="startForwarding"/> (a snapshot
    /// transfer) forwarding starts at the captured moment, still under the lock, as <see cref="SetForwarderAsync"/> would:
    /// every update after the capture is forwarded, none before.
    /// </remarks>
    public async Task<long> CaptureAsync(string target, Func<ShardOperation, Task>? startForwarding, CancellationToken cancellationToken)
    {
        await _flushLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _updateLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _flushLock.Release();
            throw;
        }
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            string pointer = Path.Combine(SegmentsDirectory, CurrentPointer);
            if (IsDirty || !File.Exists(pointer)) FlushLocked();
            string name = File.ReadAllText(pointer).Trim();
            string segments = Path.Combine(target, "segments");
            FileLinks.LinkTree(Path.Combine(SegmentsDirectory, name), Path.Combine(segments, name));
            File.WriteAllText(Path.Combine(segments, CurrentPointer), name);
            if (startForwarding is not null) StartForwardingLocked(startForwarding);

            return _segment.AppliedOpNumber;
        }
        finally
        {
            _updateLock.Release();
            _flushLock.Release();
        }
    }

    /// <summary>
    /// Checks that <paramref name="directory"/> (a captured or extracted shard folder) holds a segment that loads with
    /// <paramref name="config"/>; throws <see cref="InvalidDataException"/> naming the problem otherwise.
    /// </summary>
    public static void ValidateCaptured(string directory, SegmentConfig config)
    {
        string pointer = Path.Combine(directory, "segments", CurrentPointer);
        if (!File.Exists(pointer)) throw new InvalidDataException("a shard in the snapshot has no segments/CURRENT");
        string name = File.ReadAllText(pointer).Trim();
        if (name.Length == 0 || name.Contains('/') || name.Contains('\\') || name is "." or "..")
            throw new InvalidDataException("a shard in the snapshot names an invalid segment");
        string segmentDirectory = Path.Combine(directory, "segments", name);
        if (!System.IO.Directory.Exists(segmentDirectory)) throw new InvalidDataException($"the segment `{name}` named by a shard is missing");
        Segment segment;
        try
        {
            segment = Segment.Load(segmentDirectory, config);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException or OverflowException
                                      or IndexOutOfRangeException or System.Text.Json.JsonException or OutOfMemoryException or InvalidCastException)
        {
            throw new InvalidDataException($"a shard's segment does not load: {e.Message}", e);
        }
        using (segment)
        {
            foreach (var (vectorName, vector) in config.Vectors)
            {
                int dimension = segment.Indexes[vectorName].Dimension;
                if (dimension != vector.Dimension)
                    throw new InvalidDataException(vectorName.Length == 0
                        ? $"the snapshot's vectors have {dimension} dimensions, the collection expects {vector.Dimension}"
                        : $"the snapshot's vector `{vectorName}` has {dimension} dimensions, the collection expects {vector.Dimension}");
            }
        }
    }
}
