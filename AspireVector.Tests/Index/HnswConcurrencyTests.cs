using AspireVector.Node.Index;

namespace AspireVector.Tests.Index;

public sealed class HnswConcurrencyTests
{
    [Fact]
    public async Task ConcurrentInsertAndSearch_NoCorruption()
    {
        var data = new TestVectors(4000, 16, seed: 41);
        using var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, HnswRecallTests.GraphOnly,
            new QuantizationConfig { MinTrainingVectors = 500 });
        int written = 0;
        var writer = Task.Run(() =>
        {
            for (int i = 0; i < data.Count; i++)
            {
                index.Upsert(i, data.Vector(i));
                if (i % 10 == 9) index.Delete(i - 5);
                Volatile.Write(ref written, i + 1);
            }
        });
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            var hits = new List<ScoredOffset>();
            int q = r;
            while (!writer.IsCompleted)
            {
                int before = Volatile.Read(ref written);
                hits.Clear();
                index.Search(data.Queries[q++ % data.Queries.Length], 10, new SearchParams { HnswEf = 32 }, null, hits);
                int after = Volatile.Read(ref written);
                Assert.True(hits.Count <= 10);
                Assert.Equal(hits.Count, hits.Select(h => h.Offset).Distinct().Count());
                Assert.All(hits, h => Assert.InRange(h.Offset, 0, after));
                if (before >= 10) Assert.NotEmpty(hits);
                for (int i = 1; i < hits.Count; i++) Assert.True(hits[i - 1].Score <= hits[i].Score);
            }
        })).ToArray();
        await Task.WhenAll(readers.Append(writer));
        Assert.True(index.WaitUntilLinked(TimeSpan.FromSeconds(60)));

        Assert.Equal(data.Count - data.Count / 10, index.Count);
        double recall = data.Recall(index, 10, new SearchParams { HnswEf = 64 }, keep: i => i % 10 != 4);
        Assert.True(recall >= 0.9, $"recall {recall}");
    }
}
