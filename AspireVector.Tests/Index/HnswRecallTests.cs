using AspireVector.Node.Index;

namespace AspireVector.Tests.Index;

public sealed class HnswRecallTests
{
    /// <summary>Graph search forced on (no full-scan shortcut) so these tests measure the HNSW itself.</summary>
    internal static readonly HnswIndexConfig GraphOnly = new() { M = 16, EfConstruct = 100, FullScanThresholdKb = 0 };

    [Theory]
    [InlineData(Distance.Euclid, false)]
    [InlineData(Distance.Cosine, true)]
    [InlineData(Distance.Dot, false)]
    [InlineData(Distance.Manhattan, false)]
    public void Search_RecallAgainstBruteForce(Distance distance, bool normalise)
    {
        var data = new TestVectors(3000, 24, seed: 1, normalise);
        using var index = new HnswVectorIndex(data.Dimension, distance, GraphOnly, random: new Random(1));
        for (int i = 0; i < data.Count; i++) index.Upsert(i, data.Vector(i));
        index.WaitUntilLinked();

        Assert.Equal(data.Count, index.Count);
        Assert.Equal(data.Count, index.IndexedCount);
        double recall = data.Recall(index, 10, new SearchParams { HnswEf = 64 });
        Assert.True(recall >= 0.95, $"recall {recall}");
    }

    [Fact]
    public void ParallelBatchBuild_RecallAgainstBruteForce()
    {
        var data = new TestVectors(4000, 24, seed: 2);
        using var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, GraphOnly with { MaxIndexingThreads = 4 }, random: new Random(2));
        index.UpsertBatch(Enumerable.Range(0, data.Count).ToArray(), data.Data);
        index.WaitUntilLinked();

        Assert.Equal(data.Count, index.IndexedCount);
        Assert.True(data.Recall(index, 10, new SearchParams { HnswEf = 64 }) >= 0.95);
    }

    [Fact]
    public void Search_ReportsQdrantScores()
    {
        using var index = new HnswVectorIndex(2, Distance.Euclid, GraphOnly);
        index.Upsert(0, [0, 0]);
        index.WaitUntilLinked();
        index.Upsert(1, [3, 4]);
        index.WaitUntilLinked();
        var hits = new List<ScoredOffset>();
        index.Search([0, 0], 2, SearchParams.Default, null, hits);

        Assert.Equal([new ScoredOffset(0, 0), new ScoredOffset(1, 5)], hits);
    }

    [Fact]
    public void Search_HigherEfNeverHurtsAndExactIsPerfect()
    {
        var data = new TestVectors(2000, 16, seed: 3);
        using var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, GraphOnly with { M = 4, EfConstruct = 16 }, random: new Random(3));
        for (int i = 0; i < data.Count; i++) index.Upsert(i, data.Vector(i));
        index.WaitUntilLinked();

        double low = data.Recall(index, 10, new SearchParams { HnswEf = 10 });
        double high = data.Recall(index, 10, new SearchParams { HnswEf = 200 });
        Assert.True(high >= low, $"ef 10: {low}, ef 200: {high}");
        Assert.Equal(1.0, data.Recall(index, 10, new SearchParams { Exact = true }));
    }

    [Fact]
    public void SmallSegment_BelowFullScanThreshold_IsSearchedExactly()
    {
        var data = new TestVectors(500, 16, seed: 4);
        // 500 x 16 floats = 31 KB, under the 10,000 KB default threshold: exact by plan.
        using var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, HnswIndexConfig.Default with { M = 2, EfConstruct = 2 });
        for (int i = 0; i < data.Count; i++) index.Upsert(i, data.Vector(i));
        index.WaitUntilLinked();

        Assert.Equal(1.0, data.Recall(index, 10, new SearchParams { HnswEf = 1 }));
    }

    [Fact]
    public void Upsert_ReplacesVectorAtExistingOffset()
    {
        var data = new TestVectors(1000, 8, seed: 5);
        using var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, GraphOnly);
        for (int i = 0; i < data.Count; i++) index.Upsert(i, data.Vector(i));
        index.WaitUntilLinked();
        var far = Enumerable.Repeat(100f, data.Dimension).ToArray();
        index.Upsert(7, far);
        index.WaitUntilLinked();

        var hits = new List<ScoredOffset>();
        index.Search(far, 1, SearchParams.Default, null, hits);
        Assert.Equal(7, Assert.Single(hits).Offset);
        Assert.Equal(data.Count, index.Count);
        var copy = new float[data.Dimension];
        index.CopyVector(7, copy);
        Assert.Equal(far, copy);
    }

    [Fact]
    public void Upsert_RejectsWrongDimension()
    {
        using var index = new HnswVectorIndex(4, Distance.Dot, GraphOnly);
        Assert.Throws<ArgumentException>(() => index.Upsert(0, new float[3]));
    }
}
