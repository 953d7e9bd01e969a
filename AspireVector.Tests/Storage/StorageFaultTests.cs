using AspireVector.Node.Collections;
using AspireVector.Node.Index;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Tests.Storage;

/// <summary>
/// A full disk, simulated through <see cref="StorageFaults"/>: a refused WAL write applies nothing and says so
/// clearly; a failed flush keeps the WAL, so a restart recovers every acknowledged operation.
/// </summary>
public sealed class StorageFaultTests
{
    private static readonly SegmentConfig Config = new(3, Distance.Dot);

    private static ShardOperation Upsert(ulong id) => ShardOperation.Upsert([new PointRecord(PointId.FromNumber(id), [id, 1, 2], null)]);

    private sealed class Faults : IDisposable
    {
        private readonly TempDirectory _dir = new();
        public Faults() => Seam = new StorageFaults(FilePath);

        public string FilePath => Path.Combine(_dir.Path, "faults");

        public StorageFaults Seam { get; }

        public void Set(string lines)
        {
            if (lines.Length == 0) File.Delete(FilePath);
            else File.WriteAllText(FilePath, lines);
        }

        public void Dispose() => _dir.Dispose();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Refused_wal_write_applies_nothing_and_writes_succeed_once_the_disk_has_room(bool wait)
    {
        using var dir = new TempDirectory();
        using var faults = new Faults();
        using (var shard = new LocalShard(0, dir.Path, Config, 32, faults: faults.Seam))
        {
            await shard.UpdateAsync(Upsert(1), wait: true);
            faults.Set("wal\n");
            var e = await Assert.ThrowsAsync<CollectionException>(() => shard.UpdateAsync(Upsert(2), wait));
            Assert.Equal(500, e.StatusCode);
            Assert.Equal("Service internal error: No space left on device: shard 0: the update was not applied; free disk space or fix the storage and retry", e.Message);
            Assert.Equal(1, shard.Segment.PointCount);

            faults.Set("");
            var ok = await shard.UpdateAsync(Upsert(3), wait: true);
            Assert.Equal(1UL, ok.OperationId); // the refused write took no operation number
        }

        using var reopened = new LocalShard(0, dir.Path, Config, 32);
        Assert.Equal(2, reopened.Segment.PointCount);
        Assert.False(reopened.Segment.TryGetOffset(PointId.FromNumber(2), out _));
    }

    [Fact]
    public async Task Failed_flush_keeps_the_wal_and_the_previous_segment()
    {
        using var dir = new TempDirectory();
        using var faults = new Faults();
        using (var shard = new LocalShard(0, dir.Path, Config, 32, faults: faults.Seam))
        {
            await shard.UpdateAsync(Upsert(1), wait: true);
            shard.Flush();
            faults.Set("flush\n");
            for (ulong id = 2; id <= 5; id++) await shard.UpdateAsync(Upsert(id), wait: true);
            var e = Assert.Throws<IOException>(() => shard.Flush());
            Assert.Contains("No space left on device", e.Message, StringComparison.Ordinal);
            Assert.True(shard.IsDirty);
            // Only the segment of the successful flush is left: the partial one was removed.
            Assert.Single(Directory.GetDirectories(Path.Combine(dir.Path, "segments")));
        }

        using var reopened = new LocalShard(0, dir.Path, Config, 32);
        Assert.Equal(4, reopened.RecoveredRecords);
        Assert.Equal(5, reopened.Segment.PointCount);
    }

    [Fact]
    public async Task Collection_flush_failure_is_logged_not_thrown_by_the_table_of_contents_close()
    {
        using var dir = new TempDirectory();
        using var faults = new Faults();
        faults.Set("flush\n");
        var options = new Node.Configuration.NodeOptions();
        options.Storage.StoragePath = dir.Path;
        options.Storage.FaultInjectionFile = faults.FilePath;
        using (var toc = new TableOfContents(options))
        {
            var c = toc.Create("c", CollectionConfig.FromCreateRequest(System.Text.Json.JsonDocument.Parse("""{"vectors": {"size": 3, "distance": "Dot"}}""").RootElement));
            await c.LocalShards[0].UpdateAsync(Upsert(7), wait: true);
            toc.FlushAll();
        }

        options.Storage.FaultInjectionFile = null;
        using var again = new TableOfContents(options);
        Assert.Equal(1, again.Get("c").PointsCount);
    }
}
