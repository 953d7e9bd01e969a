using System.Text.Json.Nodes;
using AspireVector.Node.Index;
using AspireVector.Node.Points;
using AspireVector.Node.Storage;

namespace AspireVector.Tests.Storage;

/// <summary>
/// A flush holds updates off only while it captures the segment: writes go on while the captured image is written, and
/// every one of them is recovered after a restart, whether the flush finished, failed or was still running.
/// </summary>
public sealed class LocalShardFlushTests
{
    private static readonly SegmentConfig Config = new(3, Distance.Dot);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static PointRecord Point(ulong id, string tag) =>
        new(PointId.FromNumber(id), [id, id + 1, id + 2], new JsonObject { ["tag"] = tag });

    private static string? TagOf(LocalShard shard, ulong id)
    {
        var s = shard.Segment;
        return s.TryGetOffset(PointId.FromNumber(id), out int o) ? s.PayloadAt(o)?["tag"]?.GetValue<string>() : null;
    }

    [Fact]
    public async Task Paced_flushes_wait_a_multiple_of_the_last_flush_and_unpaced_ones_do_not()
    {
        using var dir = new TempDirectory();
        using var shard = new LocalShard(0, dir.Path, Config, 32);
        await shard.UpdateAsync(ShardOperation.Upsert([Point(1, "a")]), wait: true);
        // A slow write makes the last flush's duration, and so the pause after it, measurable.
        shard.BeforeSegmentWrite = () => SpinWait.SpinUntil(() => false, TimeSpan.FromMilliseconds(50));
        shard.Flush();
        shard.BeforeSegmentWrite = null;
        Assert.False(shard.IsDirty);

        await shard.UpdateAsync(ShardOperation.Upsert([Point(2, "b")]), wait: true);
        shard.Flush(paced: true);
        Assert.True(shard.IsDirty, "a paced flush right after a 50 ms flush waits about 19 x 50 ms");

        // Paced flushes resume once the pause has passed (well within the deadline).
        Assert.True(SpinWait.SpinUntil(() =>
        {
            shard.Flush(paced: true);
            return !shard.IsDirty;
        }, Deadline));

        await shard.UpdateAsync(ShardOperation.Upsert([Point(3, "c")]), wait: true);
        shard.Flush();
        Assert.False(shard.IsDirty, "an unpaced flush (snapshot, shutdown) always runs");
    }

    [Fact]
    public async Task Writes_complete_while_a_flush_writes_the_segment()
    {
        using var dir = new TempDirectory();
        using var writing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using (var shard = new LocalShard(0, dir.Path, Config, 32))
        {
            for (ulong i = 0; i < 10; i++) await shard.UpdateAsync(ShardOperation.Upsert([Point(i, "before")]), wait: true);
            shard.BeforeSegmentWrite = () =>
            {
                writing.Set();
                release.Wait(Deadline);
            };
            var flush = Task.Run(() => shard.Flush());
            Assert.True(writing.Wait(Deadline));

            // The flush is stalled between its capture and its write: updates must not wait for it.
            for (ulong i = 10; i < 30; i++)
                await shard.UpdateAsync(ShardOperation.Upsert([Point(i, "during")]), wait: true).WaitAsync(Deadline);
            await shard.UpdateAsync(ShardOperation.Delete([PointId.FromNumber(0)]), wait: true).WaitAsync(Deadline);
            Assert.False(flush.IsCompleted);

            release.Set();
            await flush.WaitAsync(Deadline);
            Assert.True(shard.IsDirty, "operations applied after the capture are not in the flushed segment");
        }

        using var reopened = new LocalShard(0, dir.Path, Config, 32);
        Assert.Equal(21, reopened.RecoveredRecords); // the 20 upserts and the delete after the capture, nothing before
        Assert.Equal(29, reopened.Segment.PointCount);
        Assert.Null(TagOf(reopened, 0));
        Assert.Equal("before", TagOf(reopened, 9));
        Assert.Equal("during", TagOf(reopened, 29));
    }

    [Fact]
    public async Task A_flush_failing_after_concurrent_writes_keeps_the_wal_for_all_of_them()
    {
        using var dir = new TempDirectory();
        using (var shard = new LocalShard(0, dir.Path, Config, 32))
        {
            for (ulong i = 0; i < 5; i++) await shard.UpdateAsync(ShardOperation.Upsert([Point(i, "before")]), wait: true);
            shard.BeforeSegmentWrite = () =>
            {
                for (ulong i = 5; i < 10; i++)
                    shard.UpdateAsync(ShardOperation.Upsert([Point(i, "during")]), wait: true).WaitAsync(Deadline).GetAwaiter().GetResult();
                throw new IOException("disk gone (test)");
            };
            Assert.Throws<IOException>(() => shard.Flush());
            Assert.True(shard.IsDirty);
            Assert.Empty(Directory.GetDirectories(Path.Combine(dir.Path, "segments"))); // the partial copy is gone
        }

        using var reopened = new LocalShard(0, dir.Path, Config, 32);
        Assert.Equal(10, reopened.RecoveredRecords);
        Assert.Equal(10, reopened.Segment.PointCount);
        Assert.Equal("before", TagOf(reopened, 4));
        Assert.Equal("during", TagOf(reopened, 9));
    }

    [Fact]
    public async Task Flushes_racing_writes_lose_no_operation()
    {
        using var dir = new TempDirectory();
        var expected = new Dictionary<ulong, string>();
        using (var shard = new LocalShard(0, dir.Path, Config, 32))
        {
            using var stop = new CancellationTokenSource();
            int flushes = 0;
            var flusher = Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    shard.Flush();
                    flushes++;
                }
            });
            var random = new Random(7);
            for (int op = 0; op < 400; op++)
            {
                ulong id = (ulong)random.Next(60);
                if (random.Next(4) == 0)
                {
                    await shard.UpdateAsync(ShardOperation.Delete([PointId.FromNumber(id)]), wait: true);
                    expected.Remove(id);
                }
                else
                {
                    string tag = "op" + op;
                    await shard.UpdateAsync(ShardOperation.Upsert([Point(id, tag)]), wait: true);
                    expected[id] = tag;
                }
            }
            stop.Cancel();
            await flusher.WaitAsync(Deadline);
            Assert.True(flushes > 1, $"only {flushes} flushes ran during the writes");
        }

        using var reopened = new LocalShard(0, dir.Path, Config, 32);
        Assert.Equal(expected.Count, reopened.Segment.PointCount);
        foreach (var (id, tag) in expected) Assert.Equal(tag, TagOf(reopened, id));
        for (ulong id = 0; id < 60; id++)
        {
            if (!expected.ContainsKey(id)) Assert.Null(TagOf(reopened, id));
        }
    }
}
