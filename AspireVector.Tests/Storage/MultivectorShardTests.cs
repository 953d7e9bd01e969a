using AspireVector.Node.Index;
using AspireVector.Node.Index.Kernels;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Tests.Storage;

/// <summary>
/// A shard with a multivector (rows of 3, max_sim) next to a plain dense vector: the exact multivector index follows
/// upserts, vector updates and deletions, keeps each point's own number of rows through a flush
/// (<c>multivectors.bin</c>) and a WAL replay, and ranks by max_sim; the WAL codec carries the flat rows as it
/// carries any dense vector.
/// </summary>
public sealed class MultivectorShardTests
{
    private static readonly SegmentConfig Config = new([
        new KeyValuePair<string, SegmentVectorConfig>("colbert", new SegmentVectorConfig(3, Distance.Dot, Multivector: true)),
        new KeyValuePair<string, SegmentVectorConfig>("dense", new SegmentVectorConfig(2, Distance.Dot)),
    ]);

    private static PointRecord Point(ulong id, float[]? colbert, float[]? dense)
    {
        var vectors = new Dictionary<string, float[]>();
        if (colbert is not null) vectors["colbert"] = colbert;
        if (dense is not null) vectors["dense"] = dense;
        return new PointRecord(PointId.FromNumber(id), vectors, null);
    }

    private static float[]? ColbertOf(LocalShard shard, ulong id)
    {
        Assert.True(shard.Segment.TryGetOffset(PointId.FromNumber(id), out int offset));
        return shard.Segment.VectorsAt(offset, ["colbert"]).GetValueOrDefault("colbert");
    }

    private static List<(ulong Id, float Score)> Search(Segment segment, float[] query)
    {
        var hits = new List<ScoredOffset>();
        segment.Indexes["colbert"].Search(query, 10, SearchParams.Default, null, hits);
        return [.. hits.Select(h => (segment.IdAt(h.Offset).Number, h.Score))];
    }

    [Fact]
    public void Max_sim_sums_the_best_row_similarity_of_each_query_row()
    {
        float[] query = [1, 0, 0, 0, 1, 0]; // two rows
        float[] stored = [2, 0, 0, 0, 3, 0, 1, 1, 1]; // three rows
        // Dot: row 1 best 2 (first stored row), row 2 best 3 (second): 5; the internal distance is its negation.
        Assert.Equal(-5f, MaxSimKernel.Distance(Distance.Dot, query, stored, 3));
        // Euclid: smallest squared distances 1 (to [2,0,0]) and 2 (to [1,1,1]), summed (the score is its square root,
        // as Qdrant reports it).
        Assert.Equal(3f, MaxSimKernel.Distance(Distance.Euclid, query, stored, 3));
        Assert.Equal(MathF.Sqrt(3f), DistanceKernels.ToScore(Distance.Euclid, 3f));
        // One row against one row is the metric itself.
        Assert.Equal(DistanceKernels.Distance(Distance.Manhattan, [1, 2, 3], [3, 2, 1]), MaxSimKernel.Distance(Distance.Manhattan, [1, 2, 3], [3, 2, 1], 3));
        Assert.Throws<ArgumentException>(() => MaxSimKernel.Distance(Distance.Dot, [1, 2], stored, 3));
    }

    [Fact]
    public async Task Multivector_index_follows_updates_and_survives_flush_and_wal_replay()
    {
        using var dir = new TempDirectory();
        using (var shard = new LocalShard(0, dir.Path, Config, 32))
        {
            await shard.UpdateAsync(ShardOperation.Upsert([
                Point(1, [1, 0, 0, 0, 1, 0], [1, 0]),
                Point(2, [0, 0, 1], [0, 1]),
                Point(3, null, [1, 1]),
            ]), wait: true);
            shard.Flush();
            Assert.NotEmpty(Directory.EnumerateFiles(dir.Path, MultiVectorIndex.FileName, SearchOption.AllDirectories));
            await shard.UpdateAsync(ShardOperation.UpdateVectors([Point(3, [0, 2, 0, 0, 0, 2, 2, 0, 0], null)]), wait: true);
            await shard.UpdateAsync(new ShardOperation { Kind = ShardOperationKind.DeleteVectors, Ids = [PointId.FromNumber(2)], VectorNames = ["colbert"] }, wait: true);
            await shard.UpdateAsync(ShardOperation.Upsert([Point(4, [5, 5, 5], null)]), wait: true);
            await shard.UpdateAsync(ShardOperation.Delete([PointId.FromNumber(4)]), wait: true);
        }

        using var reopened = new LocalShard(0, dir.Path, Config, 32);
        Assert.Equal(4, reopened.RecoveredRecords);
        Assert.Equal([1f, 0, 0, 0, 1, 0], ColbertOf(reopened, 1)!);
        Assert.Null(ColbertOf(reopened, 2));
        Assert.Equal([0f, 2, 0, 0, 0, 2, 2, 0, 0], ColbertOf(reopened, 3)!);
        Assert.Equal(2, reopened.Segment.Indexes["colbert"].Count);
        // Query rows [1,0,0] and [0,1,0]: point 3 scores 2 + 2, point 1 scores 1 + 1; point 2 holds no multivector.
        Assert.Equal([(3UL, 4f), (1UL, 2f)], Search(reopened.Segment, [1, 0, 0, 0, 1, 0]));
        // A plain vector is a one-row query.
        Assert.Equal([(3UL, 2f), (1UL, 1f)], Search(reopened.Segment, [1, 0, 0]));

        // An upsert replaces the whole point: a multivector it does not give is gone; the dense vector is untouched.
        await reopened.UpdateAsync(ShardOperation.Upsert([Point(3, null, [2, 2])]), wait: true);
        Assert.Null(ColbertOf(reopened, 3));
        Assert.Equal([(1UL, 2f)], Search(reopened.Segment, [1, 0, 0, 0, 1, 0]));
    }

    [Fact]
    public void Multivectors_round_trip_through_the_wal_codec()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        ShardOperationCodec.Encode(9, ShardOperation.Upsert([Point(7, [1, 2, 3, 4, 5, 6], [1, 2]), Point(8, [7, 8, 9], null)]), buffer);
        Assert.True(ShardOperationCodec.TryDecode(buffer.WrittenSpan, out ulong op, out var decoded));
        Assert.Equal(9UL, op);
        Assert.Equal([1f, 2, 3, 4, 5, 6], decoded!.Points[0].Vectors["colbert"]);
        Assert.Equal([7f, 8, 9], decoded.Points[1].Vectors["colbert"]);
        Assert.False(decoded.Points[1].Vectors.ContainsKey("dense"));
        Assert.False(ShardOperationCodec.TryDecode(buffer.WrittenSpan[..^5], out _, out _));
    }
}
