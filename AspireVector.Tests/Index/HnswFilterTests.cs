using AspireVector.Node.Index;

namespace AspireVector.Tests.Index;

public sealed class HnswFilterTests
{
    [Fact]
    public void FilteredTraversal_OnePercentSelectivity_RecallWithin002OfUnfiltered()
    {
        var data = new TestVectors(5000, 24, seed: 11);
        using var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, HnswRecallTests.GraphOnly, random: new Random(11));
        index.UpsertBatch(Enumerable.Range(0, data.Count).ToArray(), data.Data);
        index.WaitUntilLinked();
        Func<int, bool> onePercent = i => i % 100 == 37;
        var parameters = new SearchParams { HnswEf = 64 };

        double unfiltered = data.Recall(index, 10, parameters);
        // No estimate: the planner must traverse the graph through non-matching nodes.
        double filtered = data.Recall(index, 10, parameters, onePercent, () => new PredicateFilter(onePercent));

        Assert.True(filtered >= unfiltered - 0.02, $"unfiltered {unfiltered}, filtered {filtered}");
    }

    [Fact]
    public void Planner_FewEstimatedMatches_ScoresCandidatesExactly()
    {
        var data = new TestVectors(3000, 16, seed: 12);
        var config = HnswRecallTests.GraphOnly with { FullScanThresholdKb = 10 }; // 10 KB = 160 vectors of dim 16
        using var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, config);
        index.UpsertBatch(Enumerable.Range(0, data.Count).ToArray(), data.Data);
        index.WaitUntilLinked();
        var matching = Enumerable.Range(0, data.Count).Where(i => i % 50 == 0).ToArray();

        var hits = new List<ScoredOffset>();
        foreach (var query in data.Queries)
        {
            var filter = new PredicateFilter(i => i % 50 == 0, matching.Length, matching);
            hits.Clear();
            index.Search(query, 5, SearchParams.Default, filter, hits);
            Assert.Equal(data.Nearest(query, 5, Distance.Euclid, i => i % 50 == 0), hits.Select(h => h.Offset));
            Assert.Equal(0, filter.Calls); // scored from the candidate list, no per-point predicate calls
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(1000)]
    public void FilteredSearch_ReturnsOnlyMatchingPoints_AndExactOracleAgrees(int modulus)
    {
        var data = new TestVectors(2000, 16, seed: 13);
        using var index = new HnswVectorIndex(data.Dimension, Distance.Cosine, HnswRecallTests.GraphOnly);
        for (int i = 0; i < data.Count; i++) index.Upsert(i, data.Vector(i));
        index.WaitUntilLinked();
        Func<int, bool> keep = i => i % modulus == 1;

        var hits = new List<ScoredOffset>();
        foreach (var query in data.Queries)
        {
            hits.Clear();
            index.Search(query, 10, new SearchParams { HnswEf = 32 }, new PredicateFilter(keep), hits);
            Assert.All(hits, h => Assert.True(keep(h.Offset)));
            int available = Enumerable.Range(0, data.Count).Count(keep);
            Assert.Equal(Math.Min(10, available), hits.Count);

            hits.Clear();
            index.Search(query, 10, new SearchParams { Exact = true }, new PredicateFilter(keep), hits);
            Assert.Equal(data.Nearest(query, 10, Distance.Cosine, keep), hits.Select(h => h.Offset));
        }
    }

    [Fact]
    public void FilteredSearch_MatchingNothing_ReturnsNothing()
    {
        var data = new TestVectors(500, 8, seed: 14);
        using var index = new HnswVectorIndex(data.Dimension, Distance.Dot, HnswRecallTests.GraphOnly);
        for (int i = 0; i < data.Count; i++) index.Upsert(i, data.Vector(i));
        index.WaitUntilLinked();
        var hits = new List<ScoredOffset>();
        index.Search(data.Queries[0], 10, SearchParams.Default, new PredicateFilter(_ => false), hits);
        Assert.Empty(hits);
    }
}
