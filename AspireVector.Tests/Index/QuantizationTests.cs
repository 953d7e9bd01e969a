using AspireVector.Node.Index;

namespace AspireVector.Tests.Index;

public sealed class QuantizationTests
{
    [Theory]
    [InlineData(Distance.Euclid, false)]
    [InlineData(Distance.Cosine, true)]
    [InlineData(Distance.Dot, false)]
    public void Int8_WithRescoring_KeepsRecall(Distance distance, bool normalise)
    {
        var data = new TestVectors(3000, 32, seed: 31, normalise);
        using var index = new HnswVectorIndex(data.Dimension, distance, HnswRecallTests.GraphOnly,
            new ScalarQuantizationConfig(), new Random(31));
        index.UpsertBatch(Enumerable.Range(0, data.Count).ToArray(), data.Data);
        index.WaitUntilLinked();

        Assert.True(index.IsQuantized);
        double rescored = data.Recall(index, 10, new SearchParams { HnswEf = 64, Oversampling = 2 });
        double raw = data.Recall(index, 10, new SearchParams { HnswEf = 64, Rescore = false });
        double ignored = data.Recall(index, 10, new SearchParams { HnswEf = 64, IgnoreQuantization = true });
        Assert.True(rescored >= 0.93, $"rescored {rescored}");
        Assert.True(raw >= 0.75, $"raw {raw}");
        Assert.True(ignored >= 0.95, $"ignored {ignored}");
    }

    [Fact]
    public void Int8_RescoredScoresAreExactScores()
    {
        var data = new TestVectors(1000, 16, seed: 32);
        using var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, HnswRecallTests.GraphOnly,
            new ScalarQuantizationConfig());
        for (int i = 0; i < data.Count; i++) index.Upsert(i, data.Vector(i));
        index.WaitUntilLinked();

        Assert.True(index.IsQuantized); // trained on the fly once enough vectors arrived
        var hits = new List<ScoredOffset>();
        index.Search(data.Queries[0], 5, SearchParams.Default, null, hits);
        foreach (var hit in hits)
        {
            float exact = Node.Index.Kernels.DistanceKernels.Score(Distance.Euclid, data.Queries[0], data.Vector(hit.Offset));
            Assert.Equal(exact, hit.Score, 1e-4f);
        }
    }

    [Fact]
    public void Manhattan_IsNeverQuantized()
    {
        using var index = new HnswVectorIndex(4, Distance.Manhattan, HnswRecallTests.GraphOnly,
            new ScalarQuantizationConfig { MinTrainingVectors = 1 });
        index.Upsert(0, [1, 2, 3, 4]);
        index.WaitUntilLinked();
        Assert.False(index.IsQuantized);
        Assert.Null(index.Quantization);
    }
}
