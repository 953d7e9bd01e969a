using AspireVector.Node.Index;
using AspireVector.Node.Index.Sparse;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Tests.Storage;

/// <summary>
/// A shard with a dense and a sparse vector: the inverted index follows upserts, vector updates, vector and point
/// deletions; the flushed segment (<c>sparse.bin</c>) and the WAL replay both keep it; the WAL codec carries sparse
/// vectors and still decodes records written before them.
/// </summary>
public sealed class SparseVectorShardTests
{
    private static readonly SegmentConfig Config = new([new KeyValuePair<string, SegmentVectorConfig>("dense", new SegmentVectorConfig(2, Distance.Dot))], ["text"]);

    private static SparseVector Sparse(uint[] indices, float[] values) => SparseVector.TryCreate(indices, values, out _)!;

    private static PointRecord Point(ulong id, float[]? dense, SparseVector? text)
    {
        var vectors = new Dictionary<string, float[]>();
        if (dense is not null) vectors["dense"] = dense;
        var sparse = new Dictionary<string, SparseVector>();
        if (text is not null) sparse["text"] = text;
        return new PointRecord(PointId.FromNumber(id), vectors, null) { Sparse = sparse };
    }

    private static List<(ulong Id, float Score)> Search(Segment segment, SparseVector query)
    {
        var hits = new List<ScoredOffset>();
        segment.SparseIndexes["text"].Search(query, idf: false, 10, null, hits);
        return [.. hits.Select(h => (segment.IdAt(h.Offset).Number, h.Score))];
    }

    private static SparseVector? TextOf(LocalShard shard, ulong id)
    {
        Assert.True(shard.Segment.TryGetOffset(PointId.FromNumber(id), out int offset));
        return shard.Segment.SparseVectorsAt(offset)?.GetValueOrDefault("text");
    }

    [Fact]
    public void Sparse_vectors_are_sorted_and_validated_as_qdrant_does()
    {
        var v = Sparse([9, 2, 5], [1f, 2f, 3f]);
        Assert.Equal([2u, 5u, 9u], v.Indices);
        Assert.Equal([2f, 3f, 1f], v.Values);
        Assert.Null(SparseVector.TryCreate([1, 2], [1f], out var error));
        Assert.Equal("values: must be the same length as indices", error);
        Assert.Null(SparseVector.TryCreate([3, 1, 3], [1f, 2f, 3f], out error));
        Assert.Equal("indices: must be unique", error);
        Assert.Equal(6f, v.Score(Sparse([5, 7], [2f, 1f])));
        Assert.Null(v.Score(Sparse([7], [1f])));
    }

    [Fact]
    public async Task Sparse_index_follows_updates_and_survives_flush_and_wal_replay()
    {
        using var dir = new TempDirectory();
        using (var shard = new LocalShard(0, dir.Path, Config, 32))
        {
            await shard.UpdateAsync(ShardOperation.Upsert([
                Point(1, [1, 0], Sparse([1, 2], [1f, 2f])),
                Point(2, [0, 1], Sparse([2, 3], [3f, 1f])),
                Point(3, [1, 1], null),
            ]), wait: true);
            shard.Flush();
            Assert.NotEmpty(Directory.EnumerateFiles(dir.Path, "sparse.bin", SearchOption.AllDirectories));
            await shard.UpdateAsync(ShardOperation.UpdateVectors([Point(3, null, Sparse([3], [5f]))]), wait: true);
            await shard.UpdateAsync(new ShardOperation { Kind = ShardOperationKind.DeleteVectors, Ids = [PointId.FromNumber(1)], VectorNames = ["text"] }, wait: true);
            await shard.UpdateAsync(ShardOperation.Upsert([Point(4, [2, 2], Sparse([3, 4], [2f, 2f]))]), wait: true);
            await shard.UpdateAsync(ShardOperation.Delete([PointId.FromNumber(4)]), wait: true);
        }

        using var reopened = new LocalShard(0, dir.Path, Config, 32);
        Assert.Equal(4, reopened.RecoveredRecords);
        Assert.Null(TextOf(reopened, 1));
        Assert.Equal(Sparse([2, 3], [3f, 1f]), TextOf(reopened, 2));
        Assert.Equal(Sparse([3], [5f]), TextOf(reopened, 3));
        Assert.True(reopened.Segment.HasVector(OffsetOf(reopened, 3), "text"));
        Assert.False(reopened.Segment.HasVector(OffsetOf(reopened, 1), "text"));
        Assert.Equal(2, reopened.Segment.SparseIndexes["text"].Count);
        Assert.Equal([(3UL, 5f), (2UL, 1f)], Search(reopened.Segment, Sparse([3], [1f])));
        Assert.Equal([(2UL, 3f)], Search(reopened.Segment, Sparse([2], [1f])));
        Assert.Empty(Search(reopened.Segment, Sparse([4], [1f])));

        // An upsert replaces the whole point: a sparse vector it does not give is gone.
        await reopened.UpdateAsync(ShardOperation.Upsert([Point(2, [1, 1], null)]), wait: true);
        Assert.Null(TextOf(reopened, 2));
        Assert.Equal([(3UL, 5f)], Search(reopened.Segment, Sparse([3], [1f])));
    }

    private static int OffsetOf(LocalShard shard, ulong id)
    {
        Assert.True(shard.Segment.TryGetOffset(PointId.FromNumber(id), out int offset));
        return offset;
    }

    [Fact]
    public void Sparse_vectors_round_trip_through_the_wal_codec_and_dense_records_keep_their_layout()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        ShardOperationCodec.Encode(3, ShardOperation.Upsert([Point(7, [1, 2], Sparse([8, 1], [0.5f, 2f])), Point(8, [3, 4], null)]), buffer);
        Assert.True(ShardOperationCodec.TryDecode(buffer.WrittenSpan, out ulong op, out var decoded));
        Assert.Equal(3UL, op);
        Assert.Equal(Sparse([1, 8], [2f, 0.5f]), decoded!.Points[0].Sparse["text"]);
        Assert.Empty(decoded.Points[1].Sparse);
        Assert.Equal([3f, 4f], decoded.Points[1].Vectors["dense"]);

        // A record without sparse vectors is written exactly as before they existed (no sparse flag on the kind byte).
        ShardOperationCodec.Encode(4, ShardOperation.Upsert([Point(8, [3, 4], null)]), buffer);
        Assert.Equal(0, buffer.WrittenSpan[12] & 0x40);
        Assert.True(ShardOperationCodec.TryDecode(buffer.WrittenSpan, out _, out decoded));
        Assert.Empty(decoded!.Points[0].Sparse);

        // A torn sparse record is refused, never half-decoded.
        ShardOperationCodec.Encode(5, ShardOperation.UpdateVectors([Point(7, null, Sparse([1], [1f]))]), buffer);
        Assert.False(ShardOperationCodec.TryDecode(buffer.WrittenSpan[..^3], out _, out _));
    }
}
