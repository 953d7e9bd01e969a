using AspireVector.Node.Index;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Tests.Storage;

/// <summary>
/// A shard with two named vectors: one index per name over shared offsets, points holding any subset, vector updates
/// and deletions as their own WAL operations, and both the flushed segment (format 2) and the WAL replay keeping them.
/// </summary>
public sealed class NamedVectorShardTests
{
    private static readonly SegmentConfig Config = new([
        new KeyValuePair<string, SegmentVectorConfig>("text", new SegmentVectorConfig(3, Distance.Euclid)),
        new KeyValuePair<string, SegmentVectorConfig>("image", new SegmentVectorConfig(2, Distance.Dot)),
    ]);

    private static PointRecord Point(ulong id, float[]? image, float[]? text)
    {
        var vectors = new Dictionary<string, float[]>();
        if (image is not null) vectors["image"] = image;
        if (text is not null) vectors["text"] = text;
        return new PointRecord(PointId.FromNumber(id), vectors, null);
    }

    private static Dictionary<string, float[]> VectorsOf(LocalShard shard, ulong id)
    {
        var segment = shard.Segment;
        Assert.True(segment.TryGetOffset(PointId.FromNumber(id), out int offset));
        return segment.VectorsAt(offset);
    }

    [Fact]
    public async Task Named_vectors_survive_flush_and_wal_replay()
    {
        using var dir = new TempDirectory();
        using (var shard = new LocalShard(0, dir.Path, Config, 32))
        {
            await shard.UpdateAsync(ShardOperation.Upsert([Point(1, [1, 2], [1, 2, 3]), Point(2, [3, 4], null), Point(3, null, null)]), wait: true);
            shard.Flush();
            await shard.UpdateAsync(ShardOperation.UpdateVectors([Point(2, null, [7, 8, 9]), Point(404, [1, 1], null)]), wait: true);
            await shard.UpdateAsync(new ShardOperation { Kind = ShardOperationKind.DeleteVectors, Ids = [PointId.FromNumber(1)], VectorNames = ["image"] }, wait: true);
            Assert.Equal(["text"], VectorsOf(shard, 1).Keys);
        }

        using var reopened = new LocalShard(0, dir.Path, Config, 32);
        Assert.Equal(2, reopened.RecoveredRecords);
        Assert.Equal(3, reopened.Segment.PointCount);
        Assert.Equal(["text"], VectorsOf(reopened, 1).Keys);
        Assert.Equal([1f, 2f, 3f], VectorsOf(reopened, 1)["text"]);
        Assert.Equal([3f, 4f], VectorsOf(reopened, 2)["image"]);
        Assert.Equal([7f, 8f, 9f], VectorsOf(reopened, 2)["text"]);
        Assert.Empty(VectorsOf(reopened, 3));
        Assert.False(reopened.Segment.TryGetOffset(PointId.FromNumber(404), out _));
        Assert.Equal(1, reopened.Segment.Indexes["image"].Count);
        Assert.Equal(2, reopened.Segment.Indexes["text"].Count);

        // A search on one name sees only the points holding that vector.
        var hits = new List<ScoredOffset>();
        reopened.Segment.Indexes["image"].Search([1f, 1f], 10, SearchParams.Default, null, hits);
        Assert.Equal(PointId.FromNumber(2), reopened.Segment.IdAt(Assert.Single(hits).Offset));

        // An upsert replaces the whole point: a vector it does not give is gone.
        await reopened.UpdateAsync(ShardOperation.Upsert([Point(2, [5, 5], null)]), wait: true);
        Assert.Equal(["image"], VectorsOf(reopened, 2).Keys);
    }

    [Fact]
    public void Named_operations_round_trip_through_the_wal_codec_and_old_records_still_decode()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var update = ShardOperation.UpdateVectors([Point(5, [1, 2], null)]);
        ShardOperationCodec.Encode(9, update, buffer);
        Assert.True(ShardOperationCodec.TryDecode(buffer.WrittenSpan, out ulong op, out var decoded));
        Assert.Equal(9UL, op);
        Assert.Equal(ShardOperationKind.UpdateVectors, decoded!.Kind);
        Assert.Equal([1f, 2f], decoded.Points[0].Vectors["image"]);
        Assert.False(decoded.Points[0].Vectors.ContainsKey("text"));

        var delete = new ShardOperation { Kind = ShardOperationKind.DeleteVectors, Ids = [PointId.FromNumber(5)], VectorNames = ["image", "text"] };
        ShardOperationCodec.Encode(10, delete, buffer);
        Assert.True(ShardOperationCodec.TryDecode(buffer.WrittenSpan, out _, out decoded));
        Assert.Equal(["image", "text"], decoded!.VectorNames);

        // A single-vector upsert keeps the layout written before named vectors existed (kind byte 1, no flag).
        ShardOperationCodec.Encode(11, ShardOperation.Upsert([new PointRecord(PointId.FromNumber(1), [1f, 2f], null)]), buffer);
        Assert.Equal((byte)ShardOperationKind.Upsert, buffer.WrittenSpan[12]);
        Assert.True(ShardOperationCodec.TryDecode(buffer.WrittenSpan, out _, out decoded));
        Assert.Equal([1f, 2f], decoded!.Points[0].Vector!);
    }
}
