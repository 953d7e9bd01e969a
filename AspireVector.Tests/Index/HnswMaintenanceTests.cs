using AspireVector.Node.Index;

namespace AspireVector.Tests.Index;

public sealed class HnswMaintenanceTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "av-index-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Delete_TombstonesAreSkippedButKeepTheGraphNavigable()
    {
        var data = new TestVectors(3000, 16, seed: 21);
        using var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, HnswRecallTests.GraphOnly);
        index.UpsertBatch(Enumerable.Range(0, data.Count).ToArray(), data.Data);
        index.WaitUntilLinked();
        for (int i = 0; i < data.Count; i += 3) index.Delete(i);

        Assert.Equal(2000, index.Count);
        Assert.Equal(1000, index.TombstoneCount);
        Assert.False(index.Contains(0));
        Assert.True(index.Contains(1));
        double recall = data.Recall(index, 10, new SearchParams { HnswEf = 64 }, keep: i => i % 3 != 0);
        Assert.True(recall >= 0.95, $"recall {recall}");
    }

    [Fact]
    public void Optimize_RebuildsOnlyAboveTheTombstoneRatio()
    {
        var data = new TestVectors(2000, 16, seed: 22);
        using var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, HnswRecallTests.GraphOnly with { RebuildTombstoneRatio = 0.3 });
        index.UpsertBatch(Enumerable.Range(0, data.Count).ToArray(), data.Data);
        index.WaitUntilLinked();
        for (int i = 0; i < 200; i++) index.Delete(i);
        Assert.False(index.Optimize());

        for (int i = 200; i < 1000; i++) index.Delete(i);
        Assert.True(index.Optimize());
        Assert.Equal(0, index.TombstoneCount);
        Assert.Equal(1000, index.IndexedCount);
        double recall = data.Recall(index, 10, new SearchParams { HnswEf = 64 }, keep: i => i >= 1000);
        Assert.True(recall >= 0.95, $"recall {recall}");

        // A deleted offset can be written again after the rebuild dropped it from the graph.
        index.Upsert(5, data.Vector(5));
        index.WaitUntilLinked();
        Assert.True(index.Contains(5));
        Assert.Equal(1001, index.IndexedCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SaveLoad_RoundTripGivesIdenticalResults(bool quantized)
    {
        var data = new TestVectors(2000, 20, seed: 23);
        var quantization = quantized ? new QuantizationConfig { Quantile = 0.99f } : null;
        using var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, HnswRecallTests.GraphOnly, quantization);
        index.UpsertBatch(Enumerable.Range(0, data.Count).ToArray(), data.Data);
        index.WaitUntilLinked();
        index.Delete(3);
        index.Save(_directory);

        using var loaded = (HnswVectorIndex)VectorIndexFactory.Load(_directory, Distance.Euclid);
        Assert.Equal(index.Count, loaded.Count);
        Assert.Equal(index.IndexedCount, loaded.IndexedCount);
        Assert.Equal(quantized, loaded.IsQuantized);
        var before = new List<ScoredOffset>();
        var after = new List<ScoredOffset>();
        var parameters = new SearchParams { HnswEf = 20, Rescore = false };
        foreach (var query in data.Queries)
        {
            before.Clear();
            after.Clear();
            index.Search(query, 10, parameters, null, before);
            loaded.Search(query, 10, parameters, null, after);
            Assert.Equal(before, after);
        }

        // Still writable after load.
        loaded.Upsert(data.Count, data.Queries[0]);
        loaded.WaitUntilLinked();
        after.Clear();
        loaded.Search(data.Queries[0], 1, SearchParams.Default, null, after);
        Assert.Equal(data.Count, after[0].Offset);
    }

    [Fact]
    public void Factory_LoadsAnExactIndexToo()
    {
        using (var exact = new ExactVectorIndex(2, Distance.Dot))
        {
            exact.Upsert(0, [1, 0]);
            exact.Save(_directory);
        }
        using var loaded = VectorIndexFactory.Load(_directory, Distance.Dot);
        Assert.IsType<ExactVectorIndex>(loaded);
        Assert.True(loaded.Contains(0));
    }
}
