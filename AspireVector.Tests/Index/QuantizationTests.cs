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
            new QuantizationConfig(), new Random(31));
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
            new QuantizationConfig());
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
            new QuantizationConfig { MinTrainingVectors = 1 });
        index.Upsert(0, [1, 2, 3, 4]);
        index.WaitUntilLinked();
        Assert.False(index.IsQuantized);
        Assert.Null(index.Quantization);
    }

    [Theory]
    [InlineData(Distance.Cosine, true)]
    [InlineData(Distance.Dot, false)]
    [InlineData(Distance.Euclid, false)]
    public void Binary_WithRescoring_KeepsRecall(Distance distance, bool normalise)
    {
        var data = new TestVectors(3000, 64, seed: 41, normalise);
        using var index = new HnswVectorIndex(data.Dimension, distance, HnswRecallTests.GraphOnly,
            new QuantizationConfig { Kind = QuantizationKind.Binary }, new Random(41));
        index.UpsertBatch(Enumerable.Range(0, data.Count).ToArray(), data.Data);
        index.WaitUntilLinked();

        Assert.True(index.IsQuantized);
        double rescored = data.Recall(index, 10, new SearchParams { HnswEf = 128, Oversampling = 3 });
        double raw = data.Recall(index, 10, new SearchParams { HnswEf = 128, Rescore = false });
        double ignored = data.Recall(index, 10, new SearchParams { HnswEf = 128, IgnoreQuantization = true });
        Assert.True(rescored >= 0.85, $"rescored {rescored}");
        Assert.True(rescored > raw, $"rescored {rescored}, raw {raw}");
        Assert.True(ignored >= 0.95, $"ignored {ignored}");
    }

    [Fact]
    public void Binary_CodesExistFromTheFirstVector_AndSurviveSaveAndLoad()
    {
        var data = new TestVectors(600, 24, seed: 42);
        string directory = Directory.CreateTempSubdirectory("av-binary-").FullName;
        try
        {
            var hitsBefore = new List<ScoredOffset>();
            using (var index = new HnswVectorIndex(data.Dimension, Distance.Dot, HnswRecallTests.GraphOnly,
                       new QuantizationConfig { Kind = QuantizationKind.Binary }))
            {
                index.Upsert(0, data.Vector(0));
                Assert.True(index.IsQuantized); // sign bits need no training
                for (int i = 1; i < data.Count; i++) index.Upsert(i, data.Vector(i));
                index.WaitUntilLinked();
                index.Search(data.Queries[0], 10, new SearchParams { Rescore = false }, null, hitsBefore);
                index.Save(directory);
            }

            using var loaded = HnswVectorIndex.Load(directory);
            Assert.Equal(QuantizationKind.Binary, loaded.Quantization?.Kind);
            Assert.True(loaded.IsQuantized);
            var hitsAfter = new List<ScoredOffset>();
            loaded.Search(data.Queries[0], 10, new SearchParams { Rescore = false }, null, hitsAfter);
            Assert.Equal(hitsBefore.Select(h => (h.Offset, h.Score)), hitsAfter.Select(h => (h.Offset, h.Score)));
        }
        finally { Directory.Delete(directory, recursive: true); }
    }

    [Fact]
    public void SetQuantization_SwitchesCodes_AndNullDropsThem()
    {
        var data = new TestVectors(1000, 16, seed: 43);
        using var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, HnswRecallTests.GraphOnly);
        index.UpsertBatch(Enumerable.Range(0, data.Count).ToArray(), data.Data);
        index.WaitUntilLinked();
        Assert.False(index.IsQuantized);

        index.SetQuantization(new QuantizationConfig());
        WaitFor(() => index.IsQuantized, "int8 codes learned in the background");
        Assert.True(ApproximateScores(index, data), "int8 scores without rescoring are approximate");

        index.SetQuantization(new QuantizationConfig { Kind = QuantizationKind.Binary });
        WaitFor(() => index.IsQuantized, "binary codes written in the background");
        Assert.Equal(QuantizationKind.Binary, index.Quantization?.Kind);

        index.SetQuantization(null);
        Assert.False(index.IsQuantized);
        Assert.False(ApproximateScores(index, data), "without codes every score is exact");
    }

    [Theory]
    [InlineData(Distance.Euclid, false, 16)]
    [InlineData(Distance.Cosine, true, 8)]
    [InlineData(Distance.Dot, false, 32)]
    public void Product_WithRescoring_KeepsRecall(Distance distance, bool normalise, int compression)
    {
        var data = new TestVectors(4000, 32, seed: 44, normalise);
        using var index = new HnswVectorIndex(data.Dimension, distance, HnswRecallTests.GraphOnly,
            new QuantizationConfig { Kind = QuantizationKind.Product, Compression = compression, MinTrainingVectors = 1000 }, new Random(44));
        index.UpsertBatch(Enumerable.Range(0, data.Count).ToArray(), data.Data);
        index.WaitUntilLinked();
        WaitFor(() => index.IsQuantized, "product centroids learned in the background");

        double rescored = data.Recall(index, 10, new SearchParams { HnswEf = 128, Oversampling = 3 });
        double raw = data.Recall(index, 10, new SearchParams { HnswEf = 128, Rescore = false });
        Assert.True(rescored >= 0.9, $"rescored {rescored}, raw {raw}");
        Assert.True(raw >= 0.3, $"raw {raw}"); // x32 keeps one byte per 8 dimensions
        Assert.True(rescored >= raw, $"rescored {rescored}, raw {raw}");
    }

    [Fact]
    public void Product_VectorsRewrittenWhileCentroidsAreLearned_AreEncodedFromTheirNewValues()
    {
        var data = new TestVectors(3000, 16, seed: 45);
        var replacement = new TestVectors(3000, 16, seed: 46);
        using var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, HnswRecallTests.GraphOnly,
            new QuantizationConfig { Kind = QuantizationKind.Product, Compression = 8, MinTrainingVectors = 1500 });
        index.UpsertBatch(Enumerable.Range(0, data.Count).ToArray(), data.Data);
        // Training started with the upsert; rewrite every offset while it runs (or after, if it already finished).
        for (int i = 0; i < data.Count; i++) index.Upsert(i, replacement.Vector(i));
        index.WaitUntilLinked();
        WaitFor(() => index.IsQuantized, "product centroids learned in the background");

        int found = 0;
        var hits = new List<ScoredOffset>();
        for (int i = 0; i < 200; i++)
        {
            hits.Clear();
            index.Search(replacement.Vector(i), 5, new SearchParams { HnswEf = 64, Rescore = false }, null, hits);
            if (hits.Any(h => h.Offset == i)) found++;
        }
        Assert.True(found >= 180, $"{found} of 200 rewritten vectors found by their new value through their codes");
    }

    [Fact]
    public void Product_CodesSurviveSaveAndLoad()
    {
        var data = new TestVectors(2000, 16, seed: 47);
        string directory = Directory.CreateTempSubdirectory("av-product-").FullName;
        try
        {
            var before = new List<ScoredOffset>();
            using (var index = new HnswVectorIndex(data.Dimension, Distance.Dot, HnswRecallTests.GraphOnly,
                       new QuantizationConfig { Kind = QuantizationKind.Product, Compression = 16, MinTrainingVectors = 500 }))
            {
                index.UpsertBatch(Enumerable.Range(0, data.Count).ToArray(), data.Data);
                index.WaitUntilLinked();
                WaitFor(() => index.IsQuantized, "product centroids learned");
                index.Search(data.Queries[0], 10, new SearchParams { Rescore = false }, null, before);
                index.Save(directory);
            }

            using var loaded = HnswVectorIndex.Load(directory);
            Assert.Equal(new QuantizationConfig { Kind = QuantizationKind.Product, Compression = 16, MinTrainingVectors = 500 }, loaded.Quantization);
            Assert.True(loaded.IsQuantized);
            var after = new List<ScoredOffset>();
            loaded.Search(data.Queries[0], 10, new SearchParams { Rescore = false }, null, after);
            Assert.Equal(before.Select(h => (h.Offset, h.Score)), after.Select(h => (h.Offset, h.Score)));
        }
        finally { Directory.Delete(directory, recursive: true); }
    }

    /// <summary>True when a search without rescoring returns some score that is not the exact one.</summary>
    private static bool ApproximateScores(HnswVectorIndex index, TestVectors data)
    {
        var hits = new List<ScoredOffset>();
        index.Search(data.Queries[0], 10, new SearchParams { Rescore = false }, null, hits);
        Assert.NotEmpty(hits);
        return hits.Any(h => Math.Abs(h.Score - Node.Index.Kernels.DistanceKernels.Score(index.Distance, data.Queries[0], data.Vector(h.Offset))) > 1e-4f);
    }

    private static void WaitFor(Func<bool> condition, string what) =>
        Assert.True(SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(30)), $"timed out waiting for: {what}");
}
