using System.Text;
using AspireVector.Node.Index;

namespace AspireVector.Node.Storage;

public sealed partial class Segment
{
    /// <summary>Payloads measured exactly up to this many points; above it, an even sample of this size is scaled up.</summary>
    private const int PayloadSample = 1024;

    /// <summary>Reads the figures cluster telemetry reports for this segment's replica.</summary>
    /// <remarks>
    /// Takes the read lock. Bounded work: payloads are serialized for at most <see cref="PayloadSample"/> points, so
    /// a telemetry request never walks the payloads of a large shard (Qdrant's payload size is an estimate too).
    /// </remarks>
    public ShardSizeStats ReadSizeStats()
    {
        Lock.EnterReadLock();
        try
        {
            long vectors = 0, vectorBytes = 0;
            var byName = new Dictionary<string, long>(_indexList.Length, StringComparer.Ordinal);
            for (int i = 0; i < _indexList.Length; i++)
            {
                var index = _indexList[i];
                byName[Config.Vectors[i].Key] = index.Count;
                vectors += index.Count;
                vectorBytes += index is MultiVectorIndex multi ? multi.StoredFloats * sizeof(float) : (long)index.Count * index.Dimension * sizeof(float);
            }

            return new ShardSizeStats(PointCount, vectors, byName, vectorBytes, EstimatePayloadBytes(), IndexedCount, IndexingBacklog);
        }
        finally { Lock.ExitReadLock(); }
    }

    private long EstimatePayloadBytes()
    {
        int live = _offsets.Count;
        if (live == 0) return 0;
        int stride = Math.Max(1, live / PayloadSample);
        long sampledBytes = 0;
        int sampled = 0, seen = 0;
        foreach (int offset in _offsets.Values)
        {
            if (seen++ % stride != 0) continue;
            if (_payloads[offset] is { } payload) sampledBytes += Encoding.UTF8.GetByteCount(payload.ToJsonString());
            sampled++;
        }

        return sampled == live ? sampledBytes : (long)Math.Round((double)sampledBytes / sampled * live);
    }
}
