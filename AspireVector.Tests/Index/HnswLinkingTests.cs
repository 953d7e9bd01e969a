using AspireVector.Node.Index;

namespace AspireVector.Tests.Index;

/// <summary>Background linking: stored vectors are searchable before they are linked, and linking catches up.</summary>
public sealed class HnswLinkingTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "av-linking-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Vectors_waiting_for_the_linker_are_found_exactly_and_linked_when_it_resumes()
    {
        var data = new TestVectors(3000, 16, seed: 51);
        using var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, HnswRecallTests.GraphOnly);
        index.UpsertBatch(Enumerable.Range(0, 2000).ToArray(), data.Data.AsSpan(0, 2000 * data.Dimension));
        Assert.True(index.WaitUntilLinked(Deadline));

        index.LinkingPaused = true;
        index.UpsertBatch(Enumerable.Range(2000, 1000).ToArray(), data.Data.AsSpan(2000 * data.Dimension));
        Assert.Equal(3000, index.Count);
        Assert.Equal(2000, index.IndexedCount);
        Assert.Equal(1000, index.PendingCount);
        Assert.False(index.WaitUntilLinked(TimeSpan.Zero));

        // Graph hits and queued vectors together: each queued vector is its own nearest neighbour at once.
        var hits = new List<ScoredOffset>();
        for (int i = 2000; i < 3000; i += 7)
        {
            hits.Clear();
            index.Search(data.Vector(i), 1, new SearchParams { HnswEf = 32 }, null, hits);
            Assert.Equal(i, Assert.Single(hits).Offset);
        }
        Assert.True(data.Recall(index, 10, new SearchParams { HnswEf = 64 }) >= 0.95);

        index.LinkingPaused = false;
        Assert.True(index.WaitUntilLinked(Deadline));
        Assert.Equal(0, index.PendingCount);
        Assert.Equal(3000, index.IndexedCount);
        Assert.True(data.Recall(index, 10, new SearchParams { HnswEf = 64 }) >= 0.95);
    }

    [Fact]
    public void Deleted_vectors_waiting_for_the_linker_are_never_found_nor_linked()
    {
        var data = new TestVectors(1000, 16, seed: 52);
        using var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, HnswRecallTests.GraphOnly);
        index.UpsertBatch(Enumerable.Range(0, 500).ToArray(), data.Data.AsSpan(0, 500 * data.Dimension));
        Assert.True(index.WaitUntilLinked(Deadline));
        index.LinkingPaused = true;
        index.UpsertBatch(Enumerable.Range(500, 500).ToArray(), data.Data.AsSpan(500 * data.Dimension));
        for (int i = 500; i < 1000; i += 2) index.Delete(i);

        var hits = new List<ScoredOffset>();
        for (int i = 500; i < 1000; i += 2)
        {
            hits.Clear();
            index.Search(data.Vector(i), 5, new SearchParams { HnswEf = 32 }, null, hits);
            Assert.DoesNotContain(hits, h => h.Offset == i);
        }

        index.LinkingPaused = false;
        Assert.True(index.WaitUntilLinked(Deadline));
        Assert.Equal(750, index.Count);
        Assert.Equal(750, index.IndexedCount);
        Assert.Equal(0, index.TombstoneCount);
    }

    [Fact]
    public void An_updated_vector_waiting_to_be_relinked_is_found_once_at_its_new_place()
    {
        var data = new TestVectors(2000, 16, seed: 53);
        using var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, HnswRecallTests.GraphOnly);
        index.UpsertBatch(Enumerable.Range(0, 2000).ToArray(), data.Data);
        Assert.True(index.WaitUntilLinked(Deadline));
        index.LinkingPaused = true;

        // Offset 3 takes offset 1500's vector: both are now the nearest to that vector, and 3 appears once.
        index.Upsert(3, data.Vector(1500));
        var hits = new List<ScoredOffset>();
        index.Search(data.Vector(1500), 2, new SearchParams { HnswEf = 32 }, null, hits);
        Assert.Equal(new[] { 3, 1500 }, hits.Select(h => h.Offset).Order().ToArray());
        Assert.All(hits, h => Assert.Equal(0f, h.Score));
        index.LinkingPaused = false;
        Assert.True(index.WaitUntilLinked(Deadline));
        Assert.Equal(2000, index.IndexedCount);
    }

    [Fact]
    public void Vectors_saved_before_they_were_linked_are_linked_after_loading()
    {
        var data = new TestVectors(1500, 16, seed: 54);
        using (var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, HnswRecallTests.GraphOnly))
        {
            index.UpsertBatch(Enumerable.Range(0, 1000).ToArray(), data.Data.AsSpan(0, 1000 * data.Dimension));
            Assert.True(index.WaitUntilLinked(Deadline));
            index.LinkingPaused = true;
            index.UpsertBatch(Enumerable.Range(1000, 500).ToArray(), data.Data.AsSpan(1000 * data.Dimension));
            index.Save(_directory);
        }

        using var loaded = (HnswVectorIndex)VectorIndexFactory.Load(_directory, Distance.Euclid);
        Assert.Equal(1500, loaded.Count);
        Assert.True(loaded.WaitUntilLinked(Deadline));
        Assert.Equal(1500, loaded.IndexedCount);
        Assert.True(data.Recall(loaded, 10, new SearchParams { HnswEf = 64 }) >= 0.95);
    }

    [Fact]
    public async Task Writers_waiting_on_the_backlog_resume_once_the_linker_drains_it()
    {
        var data = new TestVectors(2000, 16, seed: 55);
        using var index = new HnswVectorIndex(data.Dimension, Distance.Euclid, HnswRecallTests.GraphOnly);
        index.LinkingPaused = true;
        index.UpsertBatch(Enumerable.Range(0, 2000).ToArray(), data.Data);
        // Paused linking does not hold writers back (Qdrant's indexing_threshold 0 is for bulk loads).
        Assert.True(index.WaitForBacklogAsync(100, CancellationToken.None).IsCompleted);

        index.LinkingPaused = false;
        await index.WaitForBacklogAsync(100, CancellationToken.None).AsTask().WaitAsync(Deadline);
        Assert.True(index.PendingCount <= 100);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
