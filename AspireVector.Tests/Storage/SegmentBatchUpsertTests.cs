using System.Text.Json.Nodes;
using AspireVector.Node.Index;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Tests.Storage;

/// <summary>Large upsert batches are linked into the HNSW graph on several threads; what a search sees must not change.</summary>
public sealed class SegmentBatchUpsertTests
{
    private const int Dim = 8;

    private static PointRecord Point(ulong id, Random random, string tag) =>
        new(PointId.FromNumber(id), Enumerable.Range(0, Dim).Select(_ => (float)random.NextDouble()).ToArray(), new JsonObject { ["tag"] = tag });

    [Fact]
    public void A_point_given_twice_in_one_batch_keeps_its_last_vector_and_payload()
    {
        var random = new Random(7);
        using var segment = Segment.CreateEmpty(new SegmentConfig(Dim, Distance.Euclid, new HnswIndexConfig { M = 8, EfConstruct = 32 }));
        var batch = Enumerable.Range(0, 200).Select(i => Point((ulong)i, random, "first")).ToList();
        var again = Point(17, random, "second");
        batch.Insert(100, again);
        segment.Apply(0, ShardOperation.Upsert(batch));

        Assert.Equal(200, segment.PointCount);
        Assert.True(segment.TryGetOffset(PointId.FromNumber(17), out int offset));
        Assert.Equal(again.Vector, segment.VectorAt(offset));
        Assert.Equal("second", segment.PayloadAt(offset)?["tag"]?.GetValue<string>());
    }

    [Fact]
    public void Batches_linked_in_parallel_find_every_point_as_its_own_nearest_neighbour()
    {
        var random = new Random(11);
        using var segment = Segment.CreateEmpty(new SegmentConfig(Dim, Distance.Euclid, new HnswIndexConfig { M = 16, EfConstruct = 64, FullScanThresholdKb = 0 }));
        var points = new List<PointRecord>();
        for (int b = 0; b < 20; b++)
        {
            var batch = Enumerable.Range(b * 100, 100).Select(i => Point((ulong)i, random, "t")).ToList();
            points.AddRange(batch);
            segment.Apply((ulong)b, ShardOperation.Upsert(batch));
        }

        // Re-upsert a batch of existing points with new vectors: they are re-linked, also in parallel.
        var moved = Enumerable.Range(500, 100).Select(i => Point((ulong)i, random, "moved")).ToList();
        segment.Apply(20, ShardOperation.Upsert(moved));
        foreach (var p in moved) points[(int)p.Id.Number] = p;

        Assert.True(((HnswVectorIndex)segment.Index).WaitUntilLinked(TimeSpan.FromSeconds(60)));
        Assert.Equal(2000, segment.Index.IndexedCount);
        var hits = new List<ScoredOffset>();
        int found = 0;
        foreach (var p in points)
        {
            hits.Clear();
            segment.Index.Search(p.Vector, 1, new SearchParams { HnswEf = 64 }, null, hits);
            if (hits.Count == 1 && segment.IdAt(hits[0].Offset) == p.Id) found++;
        }

        Assert.True(found >= points.Count * 0.99, $"only {found} of {points.Count} points are their own nearest neighbour");
    }
}
